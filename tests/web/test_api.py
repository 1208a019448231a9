"""The HTTP API over a real uvicorn server, real Chroma and the real corpus."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.interfaces.api import create_app
from tests.web._web import LiveServer, service_for, web_settings

pytestmark = pytest.mark.server

CORPUS_TEXT = (
    Path(__file__).resolve().parents[2] / "corpus" / "ketamine-chronic-pain.md"
).read_text()
ON_TOPIC = "Can ketamine help with fibromyalgia?"
OFF_TOPIC = "What is the capital of France?"


def user(text: str) -> dict[str, Any]:
    """A one-turn chat body."""
    return {"messages": [{"role": "user", "content": text}]}


@pytest.fixture(scope="module")
def web(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A live server with generous limits; yields (base url, log db path)."""
    tmp = tmp_path_factory.mktemp("api")
    settings = web_settings(built_store, tmp, ui=False, max_body_bytes=8192)
    with LiveServer(create_app(service_for(built_store), settings)) as srv:
        yield srv.url, settings.server.log_db


@pytest.fixture()
def client(web: tuple[str, Path]) -> Iterator[httpx.Client]:
    """An HTTP client on the live server."""
    with httpx.Client(base_url=web[0], timeout=60) as c:
        yield c


def sse_events(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Parse a Server-Sent Events body into (event, data) pairs."""
    out = []
    for block in text.strip().split("\n\n"):
        name, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        out.append((name, json.loads("\n".join(data))))
    return out


def assert_error(resp: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """A JSON error body of the documented shape, without a stack trace."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    err = resp.json()["error"]
    assert err["status"] == status and err["message"]
    if code:
        assert err["code"] == code, err
    return err


def test_health_and_ready(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["store_reachable"] and body["passages"] > 0


def test_chat_answers_with_verbatim_citations(client: httpx.Client) -> None:
    resp = client.post("/v1/chat", json=user(ON_TOPIC))
    assert resp.status_code == 200
    body = resp.json()
    assert body["route"] == "answer"
    assert len(body["message_id"]) >= 16
    assert body["citations"] and body["disclaimer"]
    for c in body["citations"]:
        assert c["quote"] in CORPUS_TEXT
        assert f"[{c['n']}]" in body["answer"]
    assert "fibromyalgia" in body["answer"].lower()


def test_chat_off_topic_is_not_answered(client: httpx.Client) -> None:
    body = client.post("/v1/chat", json=user(OFF_TOPIC)).json()
    assert body["route"] != "answer"
    assert body["citations"] == []
    assert body["disclaimer"]


def test_an_escaped_emoji_is_read_and_a_lone_surrogate_is_a_clear_422(client: httpx.Client) -> None:
    """JSON may escape an emoji as a surrogate pair (read as the emoji) or carry half of one."""
    headers = {"content-type": "application/json"}
    raw = '{"messages": [{"role": "user", "content": "what is ketamine \\ud83d\\ude2b"}]}'
    resp = client.post("/v1/chat", content=raw.encode(), headers=headers)
    assert resp.status_code == 200 and resp.json()["route"] == "answer"
    raw = raw.replace("\\ude2b", "")
    assert_error(
        client.post("/v1/chat", content=raw.encode(), headers=headers), 422, "invalid_text"
    )


def test_stream_sends_gated_sentences_then_final(client: httpx.Client) -> None:
    # an overview request: answered with several sentences whatever the ranking weights
    question = "Give me an overview of ketamine infusion therapy"
    resp = client.post("/v1/chat/stream", json=user(question))
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/event-stream")
    events = sse_events(resp.text)
    names = [n for n, _ in events]
    assert names[-1] == "final" and names.count("final") == 1
    assert set(names[:-1]) == {"delta"} and len(names) >= 3
    final = events[-1][1]
    deltas = "".join(d["text"] for _, d in events[:-1])
    assert deltas == final["answer"]
    assert final["citations"] and final["disclaimer"] and final["message_id"]
    plain = client.post("/v1/chat", json=user(question)).json()
    assert plain["answer"] == final["answer"] and plain["route"] == final["route"]


def test_stream_validation_errors_keep_http_status(client: httpx.Client) -> None:
    resp = client.post("/v1/chat/stream", json={"messages": []})
    assert_error(resp, 422)


def test_search_ranks_passages(client: httpx.Client) -> None:
    resp = client.get("/v1/search", params={"q": "fibromyalgia widespread pain", "k": 3})
    assert resp.status_code == 200
    hits = resp.json()["hits"]
    assert [h["rank"] for h in hits] == [1, 2, 3]
    assert hits[0]["section"] == "Treating Fibromyalgia"
    assert all(0 <= h["score"] <= 1 and h["text"] in CORPUS_TEXT for h in hits)
    assert hits[0]["fused"] >= hits[1]["fused"] >= hits[2]["fused"]
    assert_error(client.get("/v1/search", params={"q": "  "}), 422)
    assert_error(client.get("/v1/search"), 422, "missing_field")
    assert_error(client.get("/v1/search", params={"q": "x", "k": 0}), 422)


def test_feedback_is_stored_redacted_without_ip(
    client: httpx.Client, web: tuple[str, Path]
) -> None:
    question = (
        "My email is jane.doe@example.com and phone +1 (555) 123-4567: "
        "is ketamine for fibromyalgia?"
    )
    chat = client.post("/v1/chat", json={**user(question), "session_id": "visit-42"}).json()
    mid = chat["message_id"]
    resp = client.post(
        "/v1/feedback",
        json={"message_id": mid, "rating": "down", "comment": "call me on 020 7946 0958"},
    )
    assert resp.status_code == 200 and resp.json() == {"ok": True, "message_id": mid}
    db = sqlite3.connect(web[1])
    q, sid, channel = db.execute(
        "SELECT question, session_id, channel FROM messages WHERE message_id=?", (mid,)
    ).fetchone()
    assert "jane.doe" not in q and "555" not in q
    assert "[email]" in q and "[phone]" in q and sid == "visit-42" and channel == "api"
    rating, comment = db.execute(
        "SELECT rating, comment FROM feedback WHERE message_id=?", (mid,)
    ).fetchone()
    assert rating == "down" and comment == "call me on [phone]"
    cols = {r[1] for t in ("messages", "feedback") for r in db.execute(f"PRAGMA table_info({t})")}
    assert not {c for c in cols if "ip" in c.split("_") or "addr" in c}
    db.close()
    raw = b"".join(p.read_bytes() for p in web[1].parent.glob(web[1].name + "*"))
    assert b"127.0.0.1" not in raw


def test_feedback_errors(client: httpx.Client) -> None:
    assert_error(
        client.post("/v1/feedback", json={"message_id": "nope", "rating": "up"}),
        404,
        "unknown_message_id",
    )
    assert_error(client.post("/v1/feedback", json={"message_id": "x", "rating": "meh"}), 422)
    assert_error(client.post("/v1/feedback", json={"rating": "up"}), 422, "missing_field")


def test_bad_input_error_codes(client: httpx.Client, web: tuple[str, Path]) -> None:
    headers = {"content-type": "application/json"}
    assert_error(
        client.post("/v1/chat", content=b"{not json", headers=headers), 400, "invalid_json"
    )
    assert_error(client.post("/v1/chat", json={}), 422, "missing_field")
    err = assert_error(client.post("/v1/chat", json=user("x" * 8001)), 422, "message_too_long")
    assert "8000" in err["message"]
    assert_error(
        client.post("/v1/chat", json={"messages": [{"role": "assistant", "content": "hi"}]}),
        422,
        "invalid_messages",
    )
    assert_error(
        client.post("/v1/chat", json={"messages": [{"role": "wizard", "content": "a"}]}), 422
    )
    assert_error(client.post("/v1/chat", json={**user("hi"), "session_id": "a b<script>"}), 422)
    assert_error(client.post("/v1/chat", json=user("y" * 9000)), 413, "body_too_large")
    assert_error(client.get("/no/such/path"), 404, "not_found")
    assert_error(client.get("/v1/chat"), 405, "method_not_allowed")


def test_chunked_body_over_limit_is_413(web: tuple[str, Path]) -> None:
    """A body without Content-Length is counted as it streams in."""
    host, port = web[0].removeprefix("http://").split(":")
    payload = json.dumps(user("z" * 9000)).encode()
    chunks = b"".join(
        f"{len(payload[i : i + 1000]):x}\r\n".encode() + payload[i : i + 1000] + b"\r\n"
        for i in range(0, len(payload), 1000)
    )
    request = (
        (
            f"POST /v1/chat HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        ).encode()
        + chunks
        + b"0\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.split()[1] == b"413"
    assert json.loads(body)["error"]["code"] == "body_too_large"


def test_openapi_docs_list_every_endpoint(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/v1/chat", "/v1/chat/stream", "/v1/chat/completions", "/v1/search",
              "/v1/feedback", "/healthz", "/readyz", "/widget.js", "/demo"):  # fmt: skip
        assert p in paths
    assert client.get("/docs").status_code == 200


# -- API keys, rate limits, CORS, timeouts and 500s: servers with their own settings -------
KEY = "k" * 8 + "-test-key-0001"
OTHER = "o" * 8 + "-test-key-0002"


def test_api_keys_and_rate_limits(built_store: Path, tmp_path: Path) -> None:
    settings = web_settings(
        built_store,
        tmp_path,
        ui=False,
        api_keys=[KEY, OTHER],
        require_api_key=True,
        rate_limit_per_minute=2,
        rate_limit_burst=2,
    )
    with (
        LiveServer(create_app(service_for(built_store), settings)) as srv,
        httpx.Client(base_url=srv.url, timeout=60) as c,
    ):
        assert_error(c.post("/v1/chat", json=user(ON_TOPIC)), 401, "missing_api_key")
        bad = c.post("/v1/chat", json=user(ON_TOPIC), headers={"Authorization": "Bearer wrong"})
        assert_error(bad, 401, "invalid_api_key")
        ok = {"Authorization": f"Bearer {KEY}"}
        assert c.post("/v1/chat", json=user(ON_TOPIC), headers=ok).status_code == 200
        assert (
            c.get("/v1/search", params={"q": "pain"}, headers={"X-API-Key": KEY}).status_code == 200
        )
        limited = c.post("/v1/chat", json=user(ON_TOPIC), headers=ok)
        assert_error(limited, 429, "rate_limited")
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        other = c.post("/v1/chat", json=user(ON_TOPIC), headers={"X-API-Key": OTHER})
        assert other.status_code == 200  # each key has its own bucket
        assert c.get("/healthz").status_code == 200  # health is never limited


def test_anonymous_clients_are_limited_per_address(built_store: Path, tmp_path: Path) -> None:
    settings = web_settings(
        built_store, tmp_path, ui=False, rate_limit_per_minute=12, rate_limit_burst=3
    )
    with (
        LiveServer(create_app(service_for(built_store), settings)) as srv,
        httpx.Client(base_url=srv.url, timeout=60) as c,
    ):
        resps = [c.get("/v1/search", params={"q": "ketamine"}) for _ in range(5)]
        assert [r.status_code for r in resps[:3]] == [200, 200, 200]
        last = resps[-1]
        assert_error(last, 429, "rate_limited")
        wait = int(last.headers["Retry-After"])
        assert 1 <= wait <= 5  # one token every 5 s
        time.sleep(wait)
        assert c.get("/v1/search", params={"q": "ketamine"}).status_code == 200


def test_cors_allow_list(built_store: Path, tmp_path: Path) -> None:
    settings = web_settings(
        built_store, tmp_path, ui=False, cors_origins=["https://clinic.example"]
    )
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}  # fmt: skip
    with (
        LiveServer(create_app(service_for(built_store), settings)) as srv,
        httpx.Client(base_url=srv.url, timeout=60) as c,
    ):
        ok = c.options("/v1/chat/stream", headers={"Origin": "https://clinic.example", **preflight})
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://clinic.example"
        evil = c.options("/v1/chat/stream", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in evil.headers
        resp = c.post("/v1/chat", json=user(ON_TOPIC), headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in resp.headers


class _Slow:
    """The real service, but `ask` hangs (stands in for a backend that stalls)."""

    def __init__(self, inner: Any, delay: float) -> None:
        self.inner = inner
        self.delay = delay

    def ask(self, messages: Any) -> Any:
        time.sleep(self.delay)  # then give up: the client has long had its 504
        raise RuntimeError("too late")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _Broken(_Slow):
    """The real service with a bug in it."""

    def ask(self, messages: Any) -> Any:
        raise RuntimeError("secret internal detail /etc/passwd")


def test_timeout_is_504_and_crash_is_500_without_trace(built_store: Path, tmp_path: Path) -> None:
    service = service_for(built_store)
    settings = web_settings(built_store, tmp_path, ui=False, request_timeout_s=0.3)
    with (
        LiveServer(create_app(_Slow(service, 2.0), settings)) as slow,  # type: ignore[arg-type]
        LiveServer(create_app(_Broken(service, 0), settings)) as broken,  # type: ignore[arg-type]
        httpx.Client(timeout=60) as c,
    ):
        assert_error(c.post(f"{slow.url}/v1/chat", json=user(ON_TOPIC)), 504, "timeout")
        err = assert_error(c.post(f"{broken.url}/v1/chat", json=user(ON_TOPIC)), 500)
        assert (
            "secret" not in err["message"]
            and "passwd" not in c.post(f"{broken.url}/v1/chat", json=user(ON_TOPIC)).text
        )


def test_unexpected_error_outside_the_service_is_json_500(
    built_store: Path, tmp_path: Path
) -> None:
    settings = web_settings(built_store, tmp_path, ui=False)
    app = create_app(service_for(built_store), settings)

    @app.get("/boom")
    async def boom() -> None:
        raise ValueError("internal path /srv/secret")

    with LiveServer(app) as srv, httpx.Client(base_url=srv.url, timeout=30) as c:
        for _ in range(2):  # the connection survives
            err = assert_error(c.get("/boom"), 500, "internal_error")
            assert "secret" not in err["message"]
        assert c.get("/healthz").status_code == 200
