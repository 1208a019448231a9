"""Question types (how fast, what causes, who for, ...) and the answer cues each one expects.

Loaded from `prompts/answerability/question_types.yaml`, which the content team edits. The
composer ranks a sentence higher when it holds a cue of the type asked, beyond the question's
own words: "how soon will I notice a change?" leads with the sentence about onset.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.text import content_terms, stem, without_word, words
from assistant.retrieve.followups import GENERIC_WORDS
from assistant.retrieve.pattern_files import Entry, ask_matches, entries

__all__ = ["QuestionType", "QuestionTypes"]

_ASIDE = re.compile(r"\([^()]*\)")  # "(...)": an aside, never the kind of answer asked
_SPACES = re.compile(r"\s+")


def _plain(question: str) -> str:
    """The question as types read it: asides in brackets left out, spaces collapsed."""
    return _SPACES.sub(" ", _ASIDE.sub(" ", question)).strip()


# "X, defined as D, ...": the words of D describe X. A clause of this kind ends at the first
# comma that does not continue a list ("weeks, months, or even years"), or at the sentence's end.
_DESCRIBING = re.compile(
    r"\b(?:defined as|characteri[sz]ed by|also (?:called|known as)|(?<!well )known as)\b", re.I
)
_LIST_GOES_ON = re.compile(r"\s*(?:(?:or|and)\b|(?:[\w'-]+\s+){0,2}[\w'-]+\s*,)", re.I)
_CLAUSE_END = re.compile(r"[,;.]")


def describing_clauses(sentence: str) -> list[tuple[str, int, int]]:
    """The sentence's describing clauses ("defined as ...", "characterized by ..."): each
    one's marker and span, from the marker to the comma or stop that closes it."""
    spans = []
    for m in _DESCRIBING.finditer(sentence):
        end = len(sentence)
        for c in _CLAUSE_END.finditer(sentence, m.end()):
            if c.group(0) != "," or not _LIST_GOES_ON.match(sentence, c.end()):
                end = c.start()
                break
        spans.append((m.group(0), m.start(), end))
    return spans


BOUND_WINDOW = 4  # words before a bound cue where the question's own word must stand


def _after_own(sentence: str, m: re.Match[str], own: set[str]) -> bool:
    """True when one of the question's own stems is among the few words before the cue `m`
    (or is its first word): "ketamine—a versatile agent" describes ketamine; "...,
    fibromyalgia, a condition characterized by" describes fibromyalgia, not ketamine."""
    before = words(sentence[: m.start()])[-BOUND_WINDOW:] + words(m.group(0))[:1]
    return any(stem(w) in own for w in before)


@dataclass(frozen=True)
class QuestionType(Entry):
    """One type: how a question asks for it, and what an answering sentence says."""

    frames: bool = False  # its `ask` words only name a kind of answer, never a topic
    fallback: bool = False  # asked only when no other type is ("what is X" alone)
    bound: bool = False  # a cue counts only right after the question's own word ("X, a drug")


@dataclass(frozen=True)
class QuestionTypes:
    """Every type of the file; `cue` scores a sentence against the types a question asks."""

    types: tuple[QuestionType, ...]
    cap: int = 2  # distinct cue phrases that make a full match

    @classmethod
    def load(cls, path: Path | str) -> QuestionTypes:
        """Read the YAML file, or fail with a clear message."""
        found = entries(path, "question type", ("ask", "answer"))
        out = [
            QuestionType(
                name,
                ask,
                answer,
                bool(spec.get("frames", False)),
                bool(spec.get("fallback")),
                bool(spec.get("bound")),
            )
            for name, spec, (ask, answer) in found
        ]
        return cls(tuple(out))

    def asked(self, question: str) -> list[QuestionType]:
        """The types a question asks for (none for most topic-only questions), read without
        its asides in brackets; a fallback type only when no other type is asked."""
        plain = _plain(question)
        found = [t for t in self.types if ask_matches(t.ask, plain)]
        specific = [t for t in found if not t.fallback]
        return specific or found

    def framing(self, question: str, candidates: Iterable[str]) -> list[str]:
        """The candidate words that only say what kind of answer is asked: the `ask` match of
        a framing type needs them ("downsides" in "any downsides?" asks for risks), while a
        word in a pattern's open slot ("insulin" in "how does insulin work") names the topic,
        and so do the ask words of other types ("needles" may be a symptom)."""
        return self._needed(question, candidates, lambda t: t.frames)

    def type_words(self, question: str, candidates: Iterable[str]) -> list[str]:
        """The candidate words without which the question asks fewer types ("given" in "how is
        it given"), a bare "what is X" (fallback) type aside."""
        return self._needed(question, candidates, lambda t: not t.fallback)

    def _needed(
        self, question: str, candidates: Iterable[str], counts: Callable[[QuestionType], bool]
    ) -> list[str]:
        """The candidates whose replacement by "thing" drops a counted type of the question,
        or one of its requests when it asks the type twice ("how quickly does it start
        working": each of "quickly" and "working" makes a request for onset)."""
        asked = {t.name: self._requests(t, question) for t in self.asked(question) if counts(t)}
        out = []
        for w in candidates:
            plain = without_word(question, w)
            still = {t.name: t for t in self.asked(plain)}
            if any(n not in still or self._requests(still[n], plain) < k for n, k in asked.items()):
                out.append(w)
        return out

    @staticmethod
    def _requests(t: QuestionType, question: str) -> int:
        """How many separate requests for the type the question makes."""
        return len(ask_matches(t.ask, _plain(question)))

    def met(self, question: str, sentence: str) -> bool:
        """True when the sentence carries a cue of some type the question asks."""
        return any(t.says.search(sentence) for t in self.asked(question))

    def cue(
        self,
        asked: list[QuestionType],
        question: str,
        sentence: str,
        own: set[str] | None = None,
    ) -> float:
        """0..1: how well the sentence carries the cues of the best-met asked type, up to
        `cap` cue phrases, counting only those that are not just the question's own topic
        words (BM25 counts those already; framing words such as "cause" still count).
        `own`: the stems of those words, when the caller scores many sentences."""
        if not asked:
            return 0.0
        if own is None:
            own = {stem(w) for w in content_terms(question, GENERIC_WORDS)}
        best = 0
        clauses = describing_clauses(sentence)
        for t in asked:
            hits = t.says.finditer(sentence)
            if t.bound and own:
                hits = (m for m in hits if _after_own(sentence, m, own))
            if clauses and not any(t.says.search(marker) for marker, _, _ in clauses):
                # a type that is not about describing: cues inside "X, defined as D" say what
                # X is, not how fast, how long or why ("lasting for weeks" of a definition)
                hits = (m for m in hits if not any(a <= m.start() < b for _, a, b in clauses))
            found = {m.group(0).lower() for m in hits}
            new = [f for f in found if not all(stem(w) in own for w in words(f) or [f])]
            best = max(best, min(self.cap, len(new)))
        return best / self.cap
