"""Make the OpenAPI document say what the server enforces (its configured text limit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from assistant.interfaces.api.schemas import MAX_TEXT

__all__ = ["honest_openapi"]


def _cap(node: Any, limit: int) -> None:
    """Every `maxLength: MAX_TEXT` (message content, q) becomes the configured limit."""
    if isinstance(node, dict):
        if node.get("maxLength") == MAX_TEXT:
            node["maxLength"] = limit
        for v in node.values():
            _cap(v, limit)
    elif isinstance(node, list):
        for v in node:
            _cap(v, limit)


def honest_openapi(app: FastAPI, max_message_chars: int) -> None:
    """Wrap `app.openapi` so that text limits in the schema match server.max_message_chars."""
    inner: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None or not getattr(app, "_va_capped", False):
            schema = inner()
            _cap(schema, max_message_chars)
            app.openapi_schema = schema
            app._va_capped = True  # type: ignore[attr-defined]
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
