"""JSON errors for every failure: no HTML pages, no stack traces."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import AssistantError, IndexNotReadyError, StoreError
from assistant.interfaces.log import UnknownMessageError
from assistant.pipeline.validation import InvalidRequestError

__all__ = ["ApiError", "CatchAll", "TrackingSend", "error_response", "install_error_handlers"]

log = logging.getLogger("assistant.interfaces.api")

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "service_unavailable",
    504: "timeout_error",
}


class ApiError(Exception):
    """An error with an HTTP status, a machine code and a message for people."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The one error shape: {"error": {type, code, message, status}}."""
    body = {
        "error": {
            "type": _TYPES.get(status, "api_error"),
            "code": code,
            "message": message,
            "status": status,
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


def _loc(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query")]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "invalid_json", "the request body is not valid JSON"
    first = errors[0] if errors else {}
    where = _loc(first.get("loc", ()))
    if first.get("type") in ("invalid_text", "string_unicode"):
        if first.get("type") == "invalid_text":
            return 422, "invalid_text", str(first.get("msg"))
        return 422, "invalid_text", f"{where} is not valid Unicode text (e.g. a lone surrogate)"
    if first.get("type") == "missing":
        return 422, "missing_field", f"{where} is required"
    if first.get("type") in ("string_too_long", "too_long") and "content" in where:
        return 422, "message_too_long", f"{where}: {first.get('msg', 'too long')}"
    return 422, "invalid_field", f"{where}: {first.get('msg', 'invalid value')}"


def install_error_handlers(app: FastAPI) -> None:
    """Map every exception to the JSON error shape."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(*_validation_message(exc))

    @app.exception_handler(InvalidRequestError)
    async def _invalid(_: Request, exc: InvalidRequestError) -> JSONResponse:
        text = str(exc)
        code = "message_too_long" if "the limit is" in text else "invalid_messages"
        return error_response(422, code, text)

    @app.exception_handler(UnknownMessageError)
    async def _unknown(_: Request, exc: UnknownMessageError) -> JSONResponse:
        return error_response(404, "unknown_message_id", str(exc))

    @app.exception_handler(IndexNotReadyError)
    async def _not_ready(_: Request, exc: IndexNotReadyError) -> JSONResponse:
        return error_response(503, "index_not_ready", str(exc), {"Retry-After": "5"})

    @app.exception_handler(StoreError)
    async def _store(_: Request, exc: StoreError) -> JSONResponse:
        log.warning("vector store error: %s", exc)
        return error_response(503, "store_unavailable", "the vector store is not reachable")

    @app.exception_handler(AssistantError)
    async def _assistant(_: Request, exc: AssistantError) -> JSONResponse:
        return error_response(400, "bad_request", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
        msg = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            msg = "no such endpoint; see /docs"
        elif exc.status_code == 405:
            msg = "method not allowed for this endpoint; see /docs"
        headers = dict(exc.headers) if exc.headers else None
        return error_response(
            exc.status_code, codes.get(exc.status_code, "http_error"), msg, headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error: %s: %s", type(exc).__name__, exc, exc_info=exc)
        return error_response(500, "internal_error", "internal error; it has been logged")


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class TrackingSend:
    """An ASGI `send` that remembers whether the response has started (headers sent)."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


class CatchAll:
    """ASGI middleware: an unexpected exception becomes a JSON 500 and the connection lives.

    (Starlette's own last-resort handler re-raises after replying, and uvicorn then drops
    the connection; this answers cleanly and logs the traceback server-side only.)
    """

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = TrackingSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            log.error("unexpected error on %s", scope.get("path"), exc_info=exc)
            if tracked.started:
                raise
            response = error_response(500, "internal_error", "internal error; it has been logged")
            await response(scope, receive, send)
