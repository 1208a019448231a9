"""Errors the package raises on purpose; each carries a message meant for people."""

from __future__ import annotations

from pathlib import Path

__all__ = ["AssistantError", "ConfigError", "CorpusError", "IndexNotReadyError", "StoreError"]


class AssistantError(Exception):
    """Base class: the message is safe to show to an operator, with no traceback."""


class ConfigError(AssistantError):
    """A setting is missing or unsafe."""


class StoreError(AssistantError):
    """The vector store could not be reached or answered badly."""


class IndexNotReadyError(AssistantError):
    """No index has been built yet."""


class CorpusError(AssistantError):
    """An article failed validation; names the file and the field."""

    def __init__(self, path: Path | str, field: str, message: str) -> None:
        self.path = str(path)
        self.field = field
        self.reason = message
        super().__init__(f"{self.path}: field '{field}': {message}")
