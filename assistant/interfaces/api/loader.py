"""Start serving at once: the answer service and the chat UI load in a background thread."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from assistant.config.env import process_age_s
from assistant.errors import AssistantError, IndexNotReadyError

if TYPE_CHECKING:
    from assistant.pipeline.service import AnswerService

__all__ = ["LazyMount", "PendingService", "ServiceLoader", "hold_lifespan"]

log = logging.getLogger("assistant.api")


class ServiceLoader:
    """Holds the answer service once loaded; `startup_s` is the process age at that moment."""

    def __init__(
        self,
        service: AnswerService | None = None,
        load: Callable[[], AnswerService] | None = None,
    ) -> None:
        self.service = service
        self._load = load
        self.error: str | None = None
        self.startup_s: float | None = round(process_age_s(), 3) if service else None
        self.then: list[Callable[[AnswerService], None]] = []  # run after a successful load
        self._thread: threading.Thread | None = None

    @property
    def loading(self) -> bool:
        """True while the background load runs."""
        return self.service is None and self.error is None

    def start(self) -> None:
        """Load in a daemon thread (once); a no-op when the service was given."""
        if self.service is not None or self._thread is not None or self._load is None:
            return
        self._thread = threading.Thread(target=self._run, name="va-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._load is not None
        try:
            service = self._load()
        except AssistantError as exc:
            self.error = str(exc)
            log.error("the assistant could not start: %s", exc)
            return
        except Exception as exc:  # a bug: keep serving /healthz and say why /readyz is not ready
            self.error = f"unexpected {type(exc).__name__}: {exc}"
            log.error("the assistant could not start", exc_info=exc)
            return
        self.service = service
        self.startup_s = round(process_age_s(), 3)
        log.info("ready: index and model loaded %.2f s after the process started", self.startup_s)
        for step in self.then:
            try:
                step(service)
            except Exception as exc:
                log.error("start-up step %s failed", getattr(step, "__name__", step), exc_info=exc)

    def get(self) -> AnswerService:
        """The loaded service, or IndexNotReadyError (503) while loading or after a failure."""
        if self.service is not None:
            return self.service
        if self.error is not None:
            raise IndexNotReadyError(f"the assistant failed to start: {self.error}")
        raise IndexNotReadyError("the assistant is starting: the index and model are loading")


class PendingService:
    """Stands in for the AnswerService until it is loaded (attribute access raises 503 before)."""

    def __init__(self, loader: ServiceLoader) -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader.get(), name)


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
