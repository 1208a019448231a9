"""`assistant serve --workers 2` over one `chroma run` server and one PostgreSQL.

Each keep-alive connection is pinned to the worker process that accepted it (found through
/proc), so the test can write through one worker and read through the other.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import ROOT
from tests.web._web import chroma_run, free_port

pytestmark = pytest.mark.server

KEYS = {name: f"{name}-key-0123456789abcdef" for name in ("chat", "limit", "gen")}
BURST = 8
NEW_ARTICLE = """---
id: zz-sleep-hygiene
title: Sleep Hygiene for People Living With Chronic Pain
authors:
  - Clinic Team
source: Written for the worker test
reviewed_on: 2026-11-27
version: 1
status: published
---

## Building a Wind-Down Routine

A regular wind-down routine with dim lights and no screens for an hour before bed helps
people with chronic pain fall asleep. Keeping the bedroom cool and quiet also helps.
"""


def worker_env(tmp: Path, chroma_port: int, db_url: str, corpus: Path) -> dict[str, str]:
    """Environment of the serve and ingest processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VA_")}
    env.update(
        PYTHONPATH=str(ROOT),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        VA_STORE__MODE="http",
        VA_STORE__PORT=str(chroma_port),
        VA_STORE__COLLECTION="workers",
        VA_STORE__REFRESH_INTERVAL_S="0.5",
        VA_CORPUS__PATH=str(corpus),
        VA_PROMPTS_PATH=str(ROOT / "prompts"),
        VA_SERVER__DATABASE_URL=db_url,
        VA_SERVER__UI="false",
        VA_SERVER__RATE_LIMIT_PER_MINUTE=str(BURST),
        VA_SERVER__RATE_LIMIT_BURST=str(BURST),
        VA_SERVER__API_KEYS=json.dumps(list(KEYS.values())),
        VA_EMBEDDING__THREADS="1",
    )
    return env


def _children(pid: int) -> list[int]:
    """Worker processes of the uvicorn supervisor (not multiprocessing's resource tracker)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for kid in (task / "children").read_text().split():
            cmd = Path(f"/proc/{kid}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"spawn_main" in cmd:
                out.append(int(kid))
    return out


def _server_pid_of(client_port: int, candidates: list[int]) -> int:
    """The worker whose socket is the other end of our connection (via /proc/net/tcp)."""
    hexport = f"{client_port:04X}"
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        if f[2].endswith(f":{hexport}"):
            inodes.add(f"socket:[{f[9]}]")
    for pid in candidates:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) in inodes:
                    return pid
            except OSError:
                continue
    raise LookupError("no worker holds this connection")


class Pinned:
    """One keep-alive connection to the server, and the worker process that holds it.

    The server closes idle connections after a few seconds; a closed one is replaced by a new
    connection that lands on the same worker (new connections are tried until one does)."""

    def __init__(self, port: int, workers: list[int]) -> None:
        self.port, self.workers = port, workers
        self.worker = self._connect()

    def _connect(self, want: int | None = None) -> int:
        for _ in range(200):
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self._send("GET", "/healthz", None, {}).read()
            assert self.conn.sock is not None
            pid = _server_pid_of(self.conn.sock.getsockname()[1], self.workers)
            if want is None or pid == want:
                return pid
            self.conn.close()
        raise LookupError(f"no new connection reached worker {want}")

    def _send(self, method: str, path: str, data: str | None, headers: dict[str, str]) -> Any:
        self.conn.request(method, path, body=data, headers=headers)
        return self.conn.getresponse()

    def request(
        self, method: str, path: str, body: Any = None, key: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if key:
            headers["X-API-Key"] = KEYS[key]
        data = json.dumps(body) if body is not None else None
        try:
            resp = self._send(method, path, data, headers)
        except (http.client.HTTPException, ConnectionError):
            self.conn.close()
            self._connect(self.worker)
            resp = self._send(method, path, data, headers)
        return resp.status, json.loads(resp.read() or b"null")


@pytest.fixture(scope="module")
def cluster(postgres: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Chroma server + PostgreSQL + `serve --workers 2`; yields what the tests need."""
    tmp = tmp_path_factory.mktemp("workers")
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    chroma, chroma_port = chroma_run(tmp / "chroma")
    db_url = postgres.new_database()
    env = worker_env(tmp, chroma_port, db_url, corpus)
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "assistant.interfaces.cli", "serve", "--workers", "2", "--port", str(port),
         "--log-level", "warning"],
        env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 900  # two model loads; slow on a busy machine
        ready = 0
        while ready < 6:  # a few in a row, so that both workers are up
            assert serve.poll() is None, serve.stdout.read().decode() if serve.stdout else ""
            assert time.monotonic() < deadline, "workers not ready in time"
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                c.request("GET", "/readyz")
                ready = ready + 1 if c.getresponse().status == 200 else 0
                c.close()
            except OSError:
                ready = 0
            time.sleep(0.5)
        workers = _children(serve.pid)
        pinned: dict[int, Pinned] = {}
        # The second worker may still be loading its model: try until both have answered.
        while len(pinned) < 2 and time.monotonic() < deadline:
            p = Pinned(port, workers)
            pinned.setdefault(p.worker, p)
            time.sleep(0.2)
            for q in pinned.values():  # keep the pinned connections alive (5 s keep-alive)
                q.request("GET", "/healthz")
        assert len(pinned) == 2, f"connections reached only {list(pinned)} of {workers}"
        yield {"a": pinned.popitem()[1], "b": pinned.popitem()[1], "env": env, "db": db_url,
               "corpus": corpus, "workers": workers}  # fmt: skip
    finally:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
        chroma.terminate()
        chroma.wait(timeout=20)


def test_two_worker_processes_serve(cluster: dict[str, Any]) -> None:
    assert len(cluster["workers"]) == 2
    assert cluster["a"].worker != cluster["b"].worker


def test_feedback_written_through_one_worker_is_read_through_the_other(
    cluster: dict[str, Any],
) -> None:
    a, b = cluster["a"], cluster["b"]
    question = "Can ketamine help with fibromyalgia? Call me on 555-867-5309."
    status, body = a.request(
        "POST", "/v1/chat", {"messages": [{"role": "user", "content": question}]}, key="chat"
    )
    assert status == 200, body
    status, got = b.request(
        "POST", "/v1/feedback", {"message_id": body["message_id"], "rating": "down",
                                 "comment": "mail me at ann@example.org"}, key="chat",
    )  # fmt: skip
    assert status == 200, got
    engine = sa.create_engine(cluster["db"].replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT m.question, f.comment FROM feedback f JOIN messages m "
                    "USING (message_id) WHERE message_id = :m"), {"m": body["message_id"]},
        ).one()  # fmt: skip
    engine.dispose()
    assert row.question.endswith("Call me on [phone].") and row.comment == "mail me at [email]"


def test_rate_limits_hold_across_both_workers(cluster: dict[str, Any]) -> None:
    a, b = cluster["a"], cluster["b"]
    statuses = {a.worker: [], b.worker: []}
    for i in range(3 * BURST):
        pin = a if i % 2 == 0 else b
        statuses[pin.worker].append(pin.request("GET", "/v1/models", key="limit")[0])
    allowed = sum(s == 200 for ss in statuses.values() for s in ss)
    assert BURST <= allowed <= BURST + 2, statuses  # one bucket (+ tokens refilled meanwhile)
    assert all(429 in ss for ss in statuses.values()), "both workers enforce the shared limit"


def test_a_new_index_generation_is_picked_up_by_both(cluster: dict[str, Any]) -> None:
    a, b = cluster["a"], cluster["b"]
    before = a.request("GET", "/readyz")[1]["passages"]
    (cluster["corpus"] / "zz-sleep-hygiene.md").write_text(NEW_ARTICLE, encoding="utf-8")
    ingest = subprocess.Popen(
        [sys.executable, "-m", "assistant.interfaces.cli", "ingest", str(cluster["corpus"])],
        env=cluster["env"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while ingest.poll() is None:  # keep both pinned connections alive meanwhile
        assert time.monotonic() < deadline, "ingest took too long"
        for pin in (a, b):
            pin.request("GET", "/healthz")
        time.sleep(1)
    assert ingest.returncode == 0, ingest.stderr.read() if ingest.stderr else ""
    for pin in (a, b):
        deadline = time.monotonic() + 60
        while pin.request("GET", "/readyz")[1]["passages"] == before:
            assert time.monotonic() < deadline, f"worker {pin.worker} kept the old generation"
            time.sleep(0.5)
        status, got = pin.request("GET", "/v1/search?q=wind-down+routine+before+bed&k=1",
                                  key="gen")  # fmt: skip
        assert status == 200 and got["hits"][0]["article_id"] == "zz-sleep-hygiene", got
