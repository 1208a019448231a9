"""The client-server path: a real `chroma run` server shared by several service instances."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant, StoreError
from assistant.config.settings import Settings
from tests.conftest import PROMPTS

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`chroma run` on a free loopback port, with its own data folder."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def _http_settings(port: int, corpus: Path, collection: str) -> Settings:
    return Settings(
        store={"mode": "http", "port": port, "collection": collection, "refresh_interval_s": 0},
        corpus={"path": corpus, "auto_ingest": False},
        prompts_path=PROMPTS,
    )


def test_ingest_and_answer_through_a_chroma_server(chroma_server: int, corpus_copy: Path) -> None:
    writer = Assistant(_http_settings(chroma_server, corpus_copy, "srv-a"))
    report = writer.ingest(corpus_copy)
    assert report.embedded == report.chunks > 0
    assert writer.ingest(corpus_copy).embedded == 0, "the hash cache works over HTTP too"
    answer = writer.ask("Does ketamine help fibromyalgia?")
    assert answer.route == "answer"
    assert answer.citations[0].section == "Treating Fibromyalgia"
    assert writer.service.ready()
    session = writer.service.store.client._server._session  # type: ignore[attr-defined]
    assert session.timeout.read == writer.settings.store.timeout_s, "calls out are bounded"


def test_two_workers_share_one_index_and_see_updates(chroma_server: int, corpus_copy: Path) -> None:
    worker_1 = Assistant(_http_settings(chroma_server, corpus_copy, "srv-b"))
    worker_2 = Assistant(_http_settings(chroma_server, corpus_copy, "srv-b"))
    worker_1.ingest(corpus_copy)
    assert worker_2.ask("What side effects can ketamine cause?").route == "answer"
    path = corpus_copy / "ketamine-chronic-pain.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Side effects such as disorientation",
            "Side effects such as vivid dreams, disorientation",
        )
    )
    worker_1.ingest(corpus_copy)
    quotes = " ".join(
        c.quote for c in worker_2.ask("What side effects can ketamine cause?").citations
    )
    assert "vivid dreams" in quotes, "the second worker picked up the new generation"


def test_unreachable_server_is_a_clear_error(corpus_copy: Path) -> None:
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:\d+"):
        Assistant(_http_settings(_free_port(), corpus_copy, "srv-c"))
