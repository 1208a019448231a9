"""Helpers for web tests: a real uvicorn server on a free port, and headless Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

__all__ = [
    "ARTIFACTS",
    "LiveServer",
    "chroma_run",
    "chrome",
    "free_port",
    "service_for",
    "web_settings",
]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_run(data: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`chroma run` on a free loopback port."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    port = free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("chroma run did not start")


def web_settings(store: Path, tmp: Path, **server: Any) -> Any:
    """Settings over the session index, with a private log and generous limits by default."""
    from tests.conftest import make_settings

    base: dict[str, Any] = {
        "log_db": tmp / "log.sqlite3",
        "rate_limit_per_minute": 100_000,
        "rate_limit_burst": 10_000,
    }
    base.update(server)
    return make_settings(store, server=base)


@functools.lru_cache(maxsize=2)
def service_for(store: Path) -> Any:
    """One batching AnswerService per index for the whole test session (one model load)."""
    from assistant.config.container import build_services
    from tests.conftest import make_settings

    service = build_services(make_settings(store), batching=True)
    service.snapshot()
    return service


class LiveServer:
    """uvicorn.Server in a thread on 127.0.0.1:<free port>."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", timeout_keep_alive=5
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def chrome(tmp: Path, width: int = 1280, height: int = 900, extra: list[str] | None = None) -> Any:
    """Headless Debian Chromium through /usr/bin/chromedriver, with a fresh profile."""
    if not (shutil.which("chromium") and Path("/usr/bin/chromedriver").exists()):
        pytest.skip("chromium and chromedriver are not installed (make sysdeps)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        f"--user-data-dir={tmp / 'chrome-profile'}",
        *(extra or []),
    ):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
