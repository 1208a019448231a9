"""Reading the content team's pattern files (prompts/answerability/*.yaml): named entries
whose lists are case-insensitive regular expressions matched on whole words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from assistant.errors import ConfigError

__all__ = ["Entry", "ask_matches", "compile_words", "entries", "word_file", "words_of"]

# "<noun> that|which <match>": a relative clause describes the noun ("pain that lasts for
# years"); it asks nothing. After a verb, "that" is the subject ("does that last long?").
_RELATIVE = re.compile(
    r"\b(?!(?:does|do|did|will|would|can|could|is|was|are|were|should|might|may|has|have)\b)"
    r"[a-z'-]+ (?:that|which) $",
    re.IGNORECASE,
)


def ask_matches(pattern: re.Pattern[str], question: str) -> list[re.Match[str]]:
    """The matches of an `ask` pattern that make a request, not those of a relative clause."""
    return [m for m in pattern.finditer(question) if not _RELATIVE.search(question[: m.start()])]


@dataclass(frozen=True)
class Entry:
    """A named entry: how a question asks for it (`ask`), and what a sentence that gives it
    says (`says`: an aspect's `evidence`, a question type's `answer`)."""

    name: str
    ask: re.Pattern[str]
    says: re.Pattern[str]


def compile_words(patterns: Iterable[str], where: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of `patterns` as whole words."""
    try:
        return re.compile(r"(?<![a-z])(?:" + "|".join(patterns) + r")(?![a-z])", re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern: {exc}") from None


def entries(
    path: Path | str, kind: str, lists: tuple[str, str]
) -> Iterator[tuple[str, dict[str, Any], tuple[re.Pattern[str], re.Pattern[str]]]]:
    """(name, raw entry, its two compiled lists) for each entry of the file, or a clear error."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    for name, spec in raw.items():
        if not isinstance(spec, dict) or not all(spec.get(k) for k in lists):
            raise ConfigError(f"{path}: {kind} '{name}' needs '{lists[0]}' and '{lists[1]}' lists")
        where = f"{path}: {kind} '{name}'"
        yield (
            str(name),
            spec,
            (compile_words(spec[lists[0]], where), compile_words(spec[lists[1]], where)),
        )


_V = TypeVar("_V")


def word_file(
    path: Path | str, key: str, build: Callable[[dict[Any, Any]], dict[str, _V]]
) -> dict[str, _V]:
    """`build` applied to the `key:` mapping of a content-team word file; {} if the file is
    absent, a clear error if it cannot be read or holds the wrong shapes."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return build(raw.get(key) or {})
    except (OSError, yaml.YAMLError, AttributeError, TypeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None


def words_of(value: Any) -> list[str]:
    """One word or a list of them, lowercase."""
    terms = [value] if isinstance(value, str) else list(value)
    return [str(t).lower() for t in terms if str(t).strip()]
