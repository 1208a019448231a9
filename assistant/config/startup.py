"""Load the answer service in a background thread, so a server can listen at once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.config.env import process_age_s
from assistant.errors import AssistantError, IndexNotReadyError

if TYPE_CHECKING:
    from assistant.pipeline.service import AnswerService

__all__ = ["PendingService", "ServiceLoader"]

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
        self._then: list[Callable[[AnswerService], None]] = []  # run after a successful load
        self._lock = threading.Lock()
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
        self.startup_s = round(process_age_s(), 3)
        with self._lock:
            self.service = service
            steps, self._then = self._then, []
        log.info("ready: index and model loaded %.2f s after the process started", self.startup_s)
        for step in steps:
            self._step(step, service)

    def on_ready(self, step: Callable[[AnswerService], None]) -> None:
        """Run `step(service)` once loaded: later in the loader thread, or now in a new thread."""
        with self._lock:
            service = self.service
            if service is None:
                self._then.append(step)
                return
        threading.Thread(target=self._step, args=(step, service), daemon=True).start()

    @staticmethod
    def _step(step: Callable[[AnswerService], None], service: AnswerService) -> None:
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
