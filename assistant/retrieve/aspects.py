"""Aspects a question asks about (cost, insurance, approval, ...) that the answer must address.

Loaded from `prompts/answerability/aspects.yaml`, which the content team edits. A question
that asks about an aspect gets an answer only when an answer sentence speaks to that aspect.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import ConfigError

__all__ = ["Aspect", "Aspects"]


def _compile(patterns: Iterable[str], where: str) -> re.Pattern[str]:
    try:
        return re.compile(r"(?<![a-z])(?:" + "|".join(patterns) + r")(?![a-z])", re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"{where}: bad pattern: {exc}") from None


@dataclass(frozen=True)
class Aspect:
    """One aspect: what asking about it looks like, and what addressing it looks like."""

    name: str
    ask: re.Pattern[str]
    evidence: re.Pattern[str]


@dataclass(frozen=True)
class Aspects:
    """Every aspect of the file; `unmet` names those a question asks and no sentence meets."""

    aspects: tuple[Aspect, ...]

    @classmethod
    def load(cls, path: Path | str) -> Aspects:
        """Read the YAML file, or fail with a clear message."""
        path = Path(path)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from None
        out = []
        for name, spec in raw.items():
            if not isinstance(spec, dict) or not spec.get("ask") or not spec.get("evidence"):
                raise ConfigError(f"{path}: aspect '{name}' needs 'ask' and 'evidence' lists")
            where = f"{path}: aspect '{name}'"
            out.append(
                Aspect(str(name), _compile(spec["ask"], where), _compile(spec["evidence"], where))
            )
        return cls(tuple(out))

    def asked(self, question: str) -> list[Aspect]:
        """The aspects a question asks about."""
        return [a for a in self.aspects if a.ask.search(question)]

    def unmet(self, question: str, sentences: Iterable[str]) -> list[str]:
        """Aspects the question asks about that none of the sentences addresses."""
        asked = self.asked(question)
        if not asked:
            return []
        text = " ".join(sentences)
        return [a.name for a in asked if not a.evidence.search(text)]
