"""Broad questions ("give me an overview"): answered with a summary, not the nearest facts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.corpus.text import content_terms, stem, without_word
from assistant.errors import ConfigError
from assistant.retrieve.followups import GENERIC_WORDS

__all__ = ["BroadQuestions"]


@dataclass(frozen=True)
class BroadQuestions:
    """Patterns of an overview request, from `prompts/answerability/broad.yaml`."""

    pattern: re.Pattern[str]
    subject: frozenset[str] = frozenset()  # stems of words that stand for any article's subject

    @classmethod
    def load(cls, path: Path | str) -> BroadQuestions:
        """Read the YAML file, or fail with a clear message."""
        path = Path(path)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            patterns = [str(p) for p in raw["patterns"]]
            subject = frozenset(stem(str(w).lower()) for w in raw.get("subject_words") or [])
            return cls(re.compile(r"\b(?:" + "|".join(patterns) + r")", re.IGNORECASE), subject)
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from None
        except re.error as exc:
            raise ConfigError(f"{path}: bad pattern: {exc}") from None

    def asks(self, question: str, title: str) -> bool:
        """True when the question asks for an overview and names nothing beyond the title and
        the words that stand for any article's subject ("this treatment", "the article")."""
        # every overview phrase set aside ("final take, summed up"); none: no overview asked
        rest, found = self.pattern.subn(" ", question)
        if not found:
            return False
        named = {stem(w) for w in content_terms(title, GENERIC_WORDS)} | self.subject
        return all(stem(w) in named for w in content_terms(rest, GENERIC_WORDS))

    def framing(self, question: str, candidates: list[str]) -> list[str]:
        """The candidate words an overview pattern needs ("rundown" in "a rundown of the side
        effects"): they shape the request, whatever topic it names."""
        if self.pattern.search(question) is None:
            return []
        return [w for w in candidates if not self.pattern.search(without_word(question, w))]
