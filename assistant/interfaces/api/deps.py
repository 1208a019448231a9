"""What the routes share: the chat service, settings, and a timed thread runner."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from pydantic import BaseModel

from assistant.config.settings import Settings
from assistant.errors import AssistantError
from assistant.interfaces.api.errors import ApiError
from assistant.interfaces.chat import ChatService

__all__ = ["Ctx", "WebContext", "get_ctx", "sse"]

T = TypeVar("T")
log = logging.getLogger("assistant.interfaces.api")
log = logging.getLogger("assistant.interfaces.api")


@dataclass
class WebContext:
    """Services and settings of one app; lives on app.state.ctx."""

    chat: ChatService
    settings: Settings
    limiter: anyio.CapacityLimiter

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking work in a worker thread; 504 after server.request_timeout_s."""
        try:
            with anyio.fail_after(self.settings.server.request_timeout_s):
                return await anyio.to_thread.run_sync(
                    fn, *args, abandon_on_cancel=True, limiter=self.limiter
                )
        except TimeoutError:
            raise ApiError(504, "timeout", "the answer took too long; please try again") from None
        except (ApiError, AssistantError):
            raise
        except Exception as exc:  # a bug: log it here, send no detail to the client
            log.error("unexpected error in %s", getattr(fn, "__qualname__", fn), exc_info=exc)
            raise ApiError(500, "internal_error", "internal error; it has been logged") from None


def get_ctx(request: Request) -> WebContext:
    """FastAPI dependency: the app's WebContext."""
    ctx: WebContext = request.app.state.ctx
    return ctx


Ctx = Annotated[WebContext, Depends(get_ctx)]


def sse(event: str | None, data: BaseModel | dict[str, Any] | str) -> bytes:
    """One Server-Sent Event."""
    if isinstance(data, BaseModel):
        payload = data.model_dump_json()
    elif isinstance(data, str):
        payload = data
    else:
        payload = json.dumps(data, ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n".encode()
