"""The `assistant` CLI as a user runs it: readable output, JSON, stdin, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROMPTS, ROOT, write_broken_article


def run(args: list[str], store: Path, stdin: str | None = None, corpus: Path | None = None):
    env = {
        **os.environ,
        "VA_STORE__PATH": str(store),
        "VA_PROMPTS_PATH": str(PROMPTS),
        "VA_CORPUS__PATH": str(corpus or ROOT / "corpus"),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_ask_prints_answer_sources_and_disclaimer(built_store: Path) -> None:
    out = run(["ask", "Can ketamine help fibromyalgia?"], built_store)
    assert out.returncode == 0, out.stderr
    assert "Sources:" in out.stdout and "[1] Ketamine Infusion Therapy" in out.stdout
    assert "Treating Fibromyalgia" in out.stdout
    assert "not medical advice" in out.stdout
    assert "Traceback" not in out.stderr


def test_ask_json_and_json_from_stdin(built_store: Path) -> None:
    out = run(["ask", "--json", "What is chronic pain?"], built_store)
    data = json.loads(out.stdout)
    assert data["route"] == "answer" and data["citations"][0]["quote"] in data["answer"]
    convo = {
        "messages": [
            {"role": "user", "content": "Does ketamine help neuropathic pain?"},
            {"role": "assistant", "content": "It may."},
            {"role": "user", "content": "What about fibromyalgia?"},
        ]
    }
    out = run(["ask", "--json", "-"], built_store, stdin=json.dumps(convo))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["citations"][0]["section"] == "Treating Fibromyalgia"


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ("not json", "stdin is not valid JSON"),
        ('{"messages": []}', "non-empty list"),
        ('{"question": "hi"}', "stdin must be"),
        ('{"messages": [{"role": "user", "content": 5}]}', "string 'content'"),
    ],
)
def test_bad_stdin_is_a_clear_error(built_store: Path, stdin: str, words: str) -> None:
    out = run(["ask", "--json", "-"], built_store, stdin=stdin)
    assert out.returncode == 1
    assert out.stderr.startswith("error: ") and words in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_ingest_reports_and_bad_article_fails_cleanly(tmp_path: Path, corpus_copy: Path) -> None:
    out = run(["ingest", str(corpus_copy)], tmp_path / "s", corpus=corpus_copy)
    assert out.returncode == 0, out.stderr
    assert "10 embedded" in out.stdout or "embedded" in out.stdout
    again = run(["ingest", str(corpus_copy), "--json"], tmp_path / "s", corpus=corpus_copy)
    assert json.loads(again.stdout)["embedded"] == 0
    write_broken_article(corpus_copy)
    bad = run(["ingest", str(corpus_copy)], tmp_path / "s", corpus=corpus_copy)
    assert bad.returncode == 1
    assert "broken.md: field 'reviewed_on'" in bad.stderr and "Traceback" not in bad.stderr


def test_first_ask_validates_the_corpus_before_opening_a_store(
    tmp_path: Path, corpus_copy: Path
) -> None:
    """`ask` on a fresh machine auto-ingests; a corpus that fails says why and creates no store."""
    write_broken_article(corpus_copy)
    store = tmp_path / "fresh" / "chroma"
    out = run(["ask", "What is chronic pain?"], store, corpus=corpus_copy)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "broken.md: field 'reviewed_on'" in out.stderr
    assert not store.exists()


def test_status_and_search(built_store: Path) -> None:
    out = run(["status"], built_store)
    assert out.returncode == 0 and "ketamine-chronic-pain v1 [published]" in out.stdout
    found = json.loads(run(["search", "--json", "-k", "2", "nerve damage"], built_store).stdout)
    assert len(found) == 2 and found[0]["section"] == "Targeting Neuropathic Pain"


def test_unsafe_setting_is_refused_without_traceback(built_store: Path) -> None:
    env_store = built_store
    out = subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli", "ask", "hi"],
        capture_output=True,
        text=True,
        env={**os.environ, "VA_STORE__PATH": str(env_store), "PYTHONPATH": str(ROOT),
             "VA_RETRIEVAL__RELEVANCE_FLOOR": "0"},
        timeout=120,
    )  # fmt: skip
    assert out.returncode == 1
    assert "relevance_floor" in out.stderr and "Traceback" not in out.stderr
