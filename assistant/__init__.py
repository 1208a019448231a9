"""vetted-assistant: answers only from a clinic's vetted articles, with citations."""

from __future__ import annotations

from assistant.config.env import apply_offline_env

apply_offline_env()

from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from assistant.config.settings import Settings  # noqa: E402
from assistant.errors import AssistantError, ConfigError, CorpusError, StoreError  # noqa: E402
from assistant.ingest.pipeline import IngestReport  # noqa: E402
from assistant.models import ROUTES, Answer, Citation  # noqa: E402
from assistant.pipeline.service import AnswerService, InvalidRequestError  # noqa: E402
from assistant.retrieve.hybrid import Hit  # noqa: E402

__all__ = [
    "ROUTES",
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "ConfigError",
    "CorpusError",
    "IngestReport",
    "InvalidRequestError",
    "Settings",
    "StoreError",
]
__version__ = "0.1.0"


class Assistant:
    """The Python API: `Assistant().ask([{"role": "user", "content": "..."}])`."""

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        from assistant.config.container import build_services

        self.settings = settings or Settings(**overrides)
        self.service: AnswerService = build_services(self.settings)

    def ask(self, messages: list[dict[str, str]] | str) -> Answer:
        """Answer the last user message of a conversation (a string is one user turn)."""
        return self.service.ask(messages)

    def ingest(self, path: str | Path | None = None) -> IngestReport:
        """Ingest a corpus folder; unchanged chunks are not embedded again."""
        return self.service.ingest(path)

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """Ranked passages for a query."""
        return self.service.search(query, k)

    def as_retriever(self, k: int = 5) -> Any:
        """A LangChain BaseRetriever over the same hybrid search."""
        from assistant.retrieve.lc_retriever import VettedRetriever

        return VettedRetriever(service=self.service, k=k)
