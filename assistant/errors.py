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
    """Articles failed validation; names the file, the field and (when known) the line.

    `errors` lists every problem found in one run (this error alone when there is one).
    """

    def __init__(self, path: Path | str, field: str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.field = field
        self.reason = message
        self.line = line
        self.errors: list[CorpusError] = [self]
        where = f" (line {line})" if line else ""
        super().__init__(f"{self.path}: field '{field}'{where}: {message}")

    @classmethod
    def many(cls, errors: list[CorpusError]) -> CorpusError:
        """One error that reports all of `errors` (path and field are the first one's)."""
        if len(errors) == 1:
            return errors[0]
        first = errors[0]
        combined = cls(first.path, first.field, first.reason, first.line)
        combined.errors = list(errors)
        files = len({e.path for e in errors})
        lines = "\n".join(f"  {e}" for e in errors)
        combined.args = (f"{len(errors)} problems in {files} article file(s):\n{lines}",)
        return combined
