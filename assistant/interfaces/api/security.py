"""Public-embed safety: API keys, CORS, per-client rate limits and a body-size limit."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from assistant.config.settings import ServerSettings
from assistant.interfaces.api.errors import ApiError, TrackingSend

__all__ = [
    "BodySizeLimit",
    "RateLimiter",
    "SharedRateLimiter",
    "add_cors",
    "client_id",
    "guard",
    "make_limiter",
]

log = logging.getLogger("assistant.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodySizeLimit:
    """ASGI middleware: 413 when Content-Length or the streamed body exceeds the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await self._reject(send)
                    return
        seen = 0
        tracked = TrackingSend(send)

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        try:
            await self.app(scope, limited_receive, tracked)
        except _TooLarge:
            if not tracked.started:
                await self._reject(send)

    async def _reject(self, send: Send) -> None:
        body = json.dumps(
            {
                "error": {
                    "type": "invalid_request_error",
                    "code": "body_too_large",
                    "message": f"the request body is larger than {self.max_bytes} bytes",
                    "status": 413,
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(StarletteHTTPException):
    """Raised inside receive() when the streamed body passes the limit (JSON 413)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"the request body is larger than {max_bytes} bytes")


class RateLimiter:
    """A token bucket per client: `burst` at once, refilled at `per_minute`/60 per second."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def hit(self, key: str) -> float:
        """Take a token; returns 0 when allowed, else the seconds to wait."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            if now - self._last_sweep > 60:
                self._sweep(now)
        return wait

    def _sweep(self, now: float) -> None:
        """Forget clients whose bucket is full again (keeps memory bounded)."""
        full_after = self.burst / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}
        self._last_sweep = now


class SharedRateLimiter:
    """The same token bucket in a PostgreSQL table, so all workers share one limit per client.

    One atomic upsert per request; the database clock is used, so several hosts agree.
    Client keys are stored as salted hashes and rows go once their bucket is full again.
    If the database fails, the per-process limiter answers until it is back.
    """

    def __init__(self, engine: Any, per_minute: int, burst: int) -> None:
        import sqlalchemy as sa

        self.engine = engine
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.fallback = RateLimiter(per_minute, burst)
        with engine.connect() as conn:
            salt = conn.execute(
                sa.text("SELECT value FROM settings_kv WHERE name = 'rate_limit_salt'")
            ).scalar_one()
        self._salt = str(salt).encode()
        refill = (
            "LEAST(:burst, rl.tokens + GREATEST(0, EXTRACT(EPOCH FROM now()) - rl.updated_at)"
            " * :rate)"
        )
        self._upsert = sa.text(
            "INSERT INTO rate_limits AS rl (key, tokens, updated_at, allowed) "
            "VALUES (:key, :burst - 1, EXTRACT(EPOCH FROM now()), true) "
            "ON CONFLICT (key) DO UPDATE SET "
            f"tokens = CASE WHEN {refill} >= 1 THEN {refill} - 1 ELSE {refill} END, "
            f"allowed = {refill} >= 1, "
            "updated_at = GREATEST(rl.updated_at, EXTRACT(EPOCH FROM now())) "
            "RETURNING rl.tokens, rl.allowed"
        )
        self._sweep_sql = sa.text(
            "DELETE FROM rate_limits WHERE updated_at < EXTRACT(EPOCH FROM now()) - :full_after"
        )
        self._hits = 0

    def hit(self, key: str) -> float:
        """Take a token; returns 0 when allowed, else the seconds to wait."""
        hashed = hashlib.sha256(self._salt + key.encode()).hexdigest()[:32]
        try:
            with self.engine.begin() as conn:
                tokens, allowed = conn.execute(
                    self._upsert, {"key": hashed, "burst": self.burst, "rate": self.rate}
                ).one()
                self._hits += 1
                if self._hits % 1000 == 0:
                    conn.execute(self._sweep_sql, {"full_after": self.burst / self.rate})
        except Exception as exc:  # the database is away: limit per process meanwhile
            log.warning("shared rate limit unavailable (%s); limiting per process", exc)
            return self.fallback.hit(key)
        return 0.0 if allowed else (1.0 - float(tokens)) / self.rate


def make_limiter(settings: ServerSettings, engine: Any | None = None) -> Any:
    """Shared limits when the log lives in PostgreSQL, else per-process limits."""
    if engine is not None and engine.dialect.name == "postgresql":
        return SharedRateLimiter(engine, settings.rate_limit_per_minute, settings.rate_limit_burst)
    return RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)


def _presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.headers.get("x-api-key") or None


def client_id(request: Request, settings: ServerSettings) -> str:
    """Who the request is from, for rate limiting only (never stored): key or address."""
    key = getattr(request.state, "api_key_id", None)
    if key:
        return f"key:{key}"
    host = request.client.host if request.client else "unknown"
    if settings.trust_forwarded_for:
        fwd = request.headers.get("x-forwarded-for", "")
        if fwd.strip():
            host = fwd.split(",")[0].strip()
    return f"ip:{host}"


def _check_key(request: Request, settings: ServerSettings) -> None:
    """401 for a wrong key; no keys configured means every request is anonymous."""
    if not settings.api_keys:
        return  # OpenAI clients always send some key; with no keys set, it is ignored
    presented = _presented_key(request)
    if presented is None:
        if settings.require_api_key:
            raise ApiError(
                401,
                "missing_api_key",
                "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                {"WWW-Authenticate": "Bearer"},
            )
        return
    for secret in settings.api_keys:
        value = secret.get_secret_value()
        if hmac.compare_digest(presented.encode(), value.encode()):
            request.state.api_key_id = hashlib.sha256(value.encode()).hexdigest()[:12]
            return
    raise ApiError(
        401, "invalid_api_key", "the API key is not valid", {"WWW-Authenticate": "Bearer"}
    )


def guard(
    settings: ServerSettings, limiter: RateLimiter | SharedRateLimiter
) -> Callable[[Request], None]:
    """A FastAPI dependency for /v1 routes: API key check (401), then rate limit (429)."""

    def dependency(request: Request) -> None:
        _check_key(request, settings)
        wait = limiter.hit(client_id(request, settings))
        if wait > 0:
            retry = max(1, math.ceil(wait))
            raise ApiError(
                429,
                "rate_limited",
                f"too many requests; retry after {retry} s",
                {"Retry-After": str(retry)},
            )

    return dependency


def add_cors(app: FastAPI, settings: ServerSettings) -> None:
    """Allow the configured origins (and only them) to call the API from a browser."""
    if not settings.cors_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=settings.cors_allow_credentials,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "Authorization", "X-API-Key"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
