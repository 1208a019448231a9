"""Serve before the service is ready: a 503 placeholder mount and a sub-app's lifespan."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["LazyMount", "hold_lifespan"]


class LazyMount:
    """An ASGI app at a mount point that answers 503 until the real app is set."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.app: Callable[..., Awaitable[None]] | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Delegate once set; before that, 503 with Retry-After (websockets are closed)."""
        if self.app is not None:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1013})
            return
        if scope["type"] != "http":
            return
        body = f"The {self.what} is starting; reload in a few seconds.".encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"2")]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def hold_lifespan(app: Any, entered: asyncio.Event, stop: asyncio.Event) -> None:
    """Run a sub-app's lifespan (e.g. Gradio's queue) on the server's loop until `stop`."""
    async with app.router.lifespan_context(app):
        entered.set()
        await stop.wait()
