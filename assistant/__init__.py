"""vetted-assistant: answers only from a clinic's vetted articles, with citations."""

from __future__ import annotations

from assistant.config.env import apply_offline_env

apply_offline_env()

import importlib  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

from assistant.errors import AssistantError, ConfigError, CorpusError, StoreError  # noqa: E402

if TYPE_CHECKING:
    from assistant.config.settings import Settings
    from assistant.ingest.pipeline import IngestReport
    from assistant.models import ROUTES, Answer, Citation
    from assistant.pipeline.service import AnswerService
    from assistant.pipeline.validation import InvalidRequestError
    from assistant.retrieve.hybrid import Hit

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

# Imported on first use, so `import assistant` (and the CLI's argument checks) stay fast.
_LAZY = {
    "ROUTES": "assistant.models",
    "Answer": "assistant.models",
    "Citation": "assistant.models",
    "IngestReport": "assistant.ingest.pipeline",
    "Hit": "assistant.retrieve.hybrid",
    "AnswerService": "assistant.pipeline.service",
    "InvalidRequestError": "assistant.pipeline.validation",
    "Settings": "assistant.config.settings",
}


def __getattr__(name: str) -> Any:
    """Load the public names from their modules on first access."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


class Assistant:
    """The Python API: `Assistant().ask([{"role": "user", "content": "..."}])`."""

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        from assistant.config.container import build_services
        from assistant.config.settings import Settings

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
