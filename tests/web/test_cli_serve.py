"""`assistant serve`: the README's command brings the whole web layer up on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.web._web import free_port

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VA_")}
    env.update(
        PYTHONPATH=str(ROOT),
        VA_STORE__PATH=str(tmp / "chroma"),
        VA_CORPUS__PATH=str(ROOT / "corpus"),
        VA_PROMPTS_PATH=str(ROOT / "prompts"),
        VA_SERVER__LOG_DB=str(tmp / "log.sqlite3"),
    )
    return env


def test_serve_ingests_then_serves_everything(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.interfaces.cli", "serve", "--port", str(port)],
        env=_env(tmp_path), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server not ready in time"
            time.sleep(0.5)
        assert (tmp_path / "chroma").exists()  # the corpus was ingested at startup
        body = httpx.post(
            f"{base}/v1/chat",
            json={
                "messages": [{"role": "user", "content": "Can ketamine help with fibromyalgia?"}]
            },
            timeout=60,
        ).json()
        assert body["route"] == "answer" and body["citations"]
        assert httpx.get(f"{base}/ui/", timeout=30).status_code == 200
        assert httpx.get(f"{base}/demo", timeout=30).status_code == 200
        assert "server" not in httpx.get(f"{base}/healthz").headers  # no version banner
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_serve_refuses_public_bind_without_keys(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "assistant.interfaces.cli", "serve", "--host", "0.0.0.0"],
        env=_env(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "api_keys" in done.stderr and "Traceback" not in done.stderr
