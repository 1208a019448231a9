"""Aspects a question asks about (cost, insurance, approval, ...) that the answer must address.

Loaded from `prompts/answerability/aspects.yaml`, which the content team edits. A question
that asks about an aspect gets an answer only when an answer sentence speaks to that aspect.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.text import content_terms, stem, words
from assistant.retrieve.followups import GENERIC_WORDS
from assistant.retrieve.pattern_files import Entry, ask_matches, entries

__all__ = ["Aspect", "Aspects"]


@dataclass(frozen=True)
class Aspect(Entry):
    """One aspect: what asking about it looks like, and what addressing it looks like."""

    # `where: passage`: the cited passages may carry the evidence (a study of children need
    # not say "children" in the very sentence quoted), not only the answer sentences.
    in_passage: bool = False


# Units of time are the measure a question asks for, never its subject: "does the
# effect last months or days" is about the effect, not about months (round 22). A question
# whose only subject words are units keeps them.
_UNITS = frozenset(
    stem(w) for w in ("second", "minute", "hour", "day", "week", "month", "year", "decade")
)


@dataclass(frozen=True)
class Aspects:
    """Every aspect of the file; `unmet` names those a question asks and no sentence meets."""

    aspects: tuple[Aspect, ...]

    @classmethod
    def load(cls, path: Path | str) -> Aspects:
        """Read the YAML file, or fail with a clear message."""
        found = entries(path, "aspect", ("ask", "evidence"))
        out = [
            Aspect(name, ask, evidence, spec.get("where") == "passage")
            for name, spec, (ask, evidence) in found
        ]
        return cls(tuple(out))

    def asked(self, question: str) -> list[Aspect]:
        """The aspects a question asks about ("pain that lasts for years" asks no duration)."""
        return [a for a in self.aspects if ask_matches(a.ask, question)]

    def single_words(self, vocabulary: Iterable[str]) -> set[str]:
        """The words of `vocabulary` that ask an aspect on their own ("addictive", "approved")."""
        text = "\n".join(vocabulary)
        out: set[str] = set()
        for a in self.aspects:
            for m in a.ask.finditer(text):
                whole = (m.start() == 0 or text[m.start() - 1] == "\n") and (
                    m.end() == len(text) or text[m.end()] == "\n"
                )
                if whole and "\n" not in m.group(0):
                    out.add(m.group(0).lower())
        return out

    def blank(self, name: str, question: str) -> str:
        """The question with what aspect `name` asks blanked out (unchanged when none is)."""
        for a in self.aspects:
            if a.name == name:
                for m in reversed(ask_matches(a.ask, question)):
                    question = question[: m.start()] + " " + question[m.end() :]
        return question

    def unmet(
        self,
        question: str,
        sentences: Iterable[str],
        about: Iterable[str] = (),
        passages: Iterable[str] = (),
    ) -> list[str]:
        """Aspects the question asks about that none of the sentences addresses. With `about`
        (stems of what the question is about), the evidence must sit in a sentence that also
        names one of them: "how many weeks does the relief last" is not met by a sentence
        that gives the weeks of something else. An aspect marked `where: passage` is also met
        by the cited passages' text."""
        asked = self.asked(question)
        if not asked:
            return []
        need = set(about)
        said = list(sentences)
        ok = [s for s in said if not need or need & {stem(w) for w in words(s)}]
        cited = list(passages)
        return [
            a.name
            for a in asked
            if not any(a.says.search(s) for s in ok)
            and not (a.in_passage and any(a.says.search(p) for p in cited))
        ]

    def subject(self, question: str, known: set[str]) -> set[str]:
        """Stems of the question's topic words outside its aspect phrases that the corpus
        uses: what the asked aspect is about ("relief" in "how long does the relief last")."""
        spans = [m.span() for a in self.asked(question) for m in ask_matches(a.ask, question)]
        out = set()
        for m in re.finditer(r"[A-Za-z][\w'-]*", question):
            if any(a <= m.start() and m.end() <= b for a, b in spans):
                continue
            for w in content_terms(m.group(0), GENERIC_WORDS):
                if stem(w) in known:
                    out.add(stem(w))
        return out - _UNITS or out  # units alone: keep them, or any sentence would do
