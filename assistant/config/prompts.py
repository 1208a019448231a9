"""Editable texts in `prompts/`, loaded by name, so the content team can change them."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

__all__ = ["Prompts"]


class Prompts:
    """Loads `<folder>/<name>.md`, reloading it when the file changes."""

    def __init__(self, folder: Path | str, defaults: dict[str, Any] | None = None) -> None:
        self.folder = Path(folder)
        self.defaults = dict(defaults or {})
        self._cache: dict[str, tuple[float, str]] = {}

    def raw(self, name: str) -> str:
        """The text of a prompt file, without substitution."""
        path = self.folder / f"{name}.md"
        try:
            mtime = path.stat().st_mtime
        except OSError:
            raise ConfigError(f"prompt '{name}' is missing: expected the file {path}") from None
        cached = self._cache.get(name)
        if cached and cached[0] == mtime:
            return cached[1]
        text = path.read_text(encoding="utf-8").strip()
        self._cache[name] = (mtime, text)
        return text

    def get(self, name: str, **values: Any) -> str:
        """The prompt with {placeholders} filled from the defaults and `values`."""
        text = self.raw(name)
        merged = {**self.defaults, **values}
        names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
        unknown = names - merged.keys()
        if unknown:
            raise ConfigError(
                f"prompt '{name}' uses unknown placeholder(s): {', '.join(sorted(unknown))}"
            )
        return text.format(**merged)
