"""No request harms another: bad inputs next to good ones, at once, on a real uvicorn server."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from assistant.interfaces.api import create_app
from tests.web._web import LiveServer, service_for, web_settings

pytestmark = pytest.mark.server

ENDPOINTS = ["/v1/chat", "/v1/chat/stream", "/v1/chat/completions"]
BAD_BODY = b'{"messages": [{"role": "user", "content": "pain \\ud800 what helps"}]}'
TOPICS = ["ketamine", "fibromyalgia", "nerve pain", "chronic pain", "side effects", "infusions"]


@pytest.fixture(scope="module")
def live(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """A live server over the shared batching service; yields (url, service)."""
    tmp = tmp_path_factory.mktemp("isolation")
    service = service_for(built_store)
    with LiveServer(create_app(service, web_settings(built_store, tmp, ui=False))) as srv:
        yield srv.url, service


def _good(i: int) -> dict[str, Any]:
    word = TOPICS[i % len(TOPICS)]
    text = f"What should I know about {word}? (visitor {i} {uuid.uuid4().hex[:6]})"
    return {"messages": [{"role": "user", "content": text}]}


def _fire(url: str, path: str, bodies: Sequence[dict[str, Any] | bytes]) -> list[httpx.Response]:
    """Send every body at the same moment (one thread each); responses in order."""
    out: list[Any] = [None] * len(bodies)
    start = threading.Barrier(len(bodies))

    def send(i: int) -> None:
        body = bodies[i]
        with httpx.Client(base_url=url, timeout=120) as c:
            start.wait()
            if isinstance(body, bytes):
                out[i] = c.post(path, content=body, headers={"content-type": "application/json"})
            else:
                out[i] = c.post(path, json=body)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


@pytest.mark.parametrize("path", ENDPOINTS)
def test_twenty_good_and_two_bad_at_once(live: tuple[str, Any], path: str) -> None:
    url, _ = live
    bodies: list[dict[str, Any] | bytes] = [_good(i) for i in range(20)]
    bodies[7:7] = [BAD_BODY]
    bodies[15:15] = [BAD_BODY]
    got = _fire(url, path, bodies)
    for body, resp in zip(bodies, got, strict=True):
        if body is BAD_BODY:
            assert resp.status_code == 422, resp.text
            assert resp.json()["error"]["code"] == "invalid_text"
        else:
            assert resp.status_code == 200, resp.text
    if path == "/v1/chat/stream":
        assert all("event: final" in r.text for r in got if r.status_code == 200)


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/v1/feedback", {"content": b'{"message_id": "x\\udfff", "rating": "up"}'}),
        (
            "POST",
            "/v1/chat",
            {
                "content": b'{"messages": [{"role": "user", "content": "hi"}],'
                b' "session_id": "a\\ud800"}'
            },
        ),
        (
            "POST",
            "/v1/chat/completions",
            {
                "content": b'{"messages": [{"role": "user", '
                b'"content": [{"type": "text", "text": "\\ud83d"}]}]}'
            },
        ),
        ("GET", "/v1/search?q=pain%ED%A0%80", {}),
        ("GET", "/v1/search?q=%20%20", {}),
        ("POST", "/v1/chat", {"json": {"messages": [{"role": "user", "content": ""}]}}),
    ],
)
def test_bad_text_is_a_json_4xx_never_a_5xx(
    live: tuple[str, Any], method: str, path: str, kwargs: dict[str, Any]
) -> None:
    url, _ = live
    headers = {"content-type": "application/json"} if "content" in kwargs else {}
    resp = httpx.request(method, url + path, headers=headers, timeout=60, **kwargs)
    assert resp.status_code < 500, resp.text
    if resp.status_code != 200:  # an invalid UTF-8 query string is decoded with U+FFFD
        assert 400 <= resp.status_code < 500 and resp.json()["error"]["code"]


class _Poisoned:
    """Wraps the real embedder; fails any pass that contains the marker (an unknown bug)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        if any("POISON" in t for t in texts):
            raise TypeError("stand-in for a tokenizer crash")
        return self.inner.embed_queries(texts, cache=cache)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_failure_inside_a_batch_fails_only_its_own_request(live: tuple[str, Any]) -> None:
    url, service = live
    batcher = service.embedder
    real = batcher.inner
    batcher.inner = _Poisoned(real)
    retries = batcher.isolated_retries
    wait = batcher.max_wait_s
    # A wide gathering window: the concurrent requests share passes on a slow CI machine
    # too (with 1 ms a poisoned request could land alone and nothing would be retried).
    batcher.max_wait_s = 0.5
    try:
        bodies: list[dict[str, Any] | bytes] = [_good(100 + i) for i in range(20)]
        poison = {"messages": [{"role": "user", "content": "POISON ketamine pain question"}]}
        bodies[3:3] = [poison]
        bodies[12:12] = [poison]
        got = _fire(url, "/v1/chat", bodies)
    finally:
        batcher.inner = real
        batcher.max_wait_s = wait
    for body, resp in zip(bodies, got, strict=True):
        if body is poison:
            assert resp.status_code == 500 and resp.json()["error"]["code"] == "internal_error"
        else:
            assert resp.status_code == 200, resp.text
    assert batcher.isolated_retries > retries, "the poisoned request shared a pass"
