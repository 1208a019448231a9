"""Can the vetted passages answer this question at all? Otherwise the route is no_answer."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.corpus.text import content_terms, stem
from assistant.index.snapshot import IndexSnapshot
from assistant.retrieve.followups import GENERIC_WORDS

__all__ = ["Answerability", "Vocabulary", "asks_quantity", "has_quantity"]

_QUANTITY_Q = re.compile(
    r"\bhow\s+(?:much|many|long|often|frequently|soon|quickly|fast|large|high|low)\b|"
    r"\b(?:what|which)\s+(?:\w+\s+)?(?:dose|doses|dosage|dosages|amount|percentage|percent|"
    r"price|cost|number|rate|frequency|duration|milligrams?|mg)\b|"
    r"\b(?:cost|price)\s+of\b|\bhow\s+(?:\w+\s+)?(?:milligrams?|mg|ml|units?)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"hundred|thousand|million|once|twice|half|dozen|daily|weekly|monthly|hours?|minutes?|"
    r"days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)


def asks_quantity(question: str) -> bool:
    """True when the question asks for a number: how much, how many, what dose, the cost of."""
    return bool(_QUANTITY_Q.search(question))


def has_quantity(text: str) -> bool:
    """True when a text states a number or a duration."""
    return bool(_NUMBER.search(text))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass
class Vocabulary:
    """Typo correction and nearest-word lookups over the corpus vocabulary."""

    words: list[str]
    _deletes: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _vectors: np.ndarray | None = field(default=None, repr=False)
    _rank: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._rank = {w: i for i, w in enumerate(self.words)}
        for w in self.words:
            if len(w) >= 4 and not w.isdigit():
                for d in _deletes(w) | {w}:
                    self._deletes.setdefault(d, set()).add(w)

    def correct(self, word: str) -> str | None:
        """The vocabulary word one edit away (same first letter), preferring frequent ones."""
        if len(word) < 5 or word.isdigit():
            return None
        cands: set[str] = set(self._deletes.get(word, set()))
        for d in _deletes(word):
            cands |= self._deletes.get(d, set())
        cands = {c for c in cands if c[0] == word[0] and c != word}
        if not cands:
            return None
        return min(cands, key=lambda c: (abs(len(c) - len(word)), self._rank[c]))

    def nearest(
        self, vecs: np.ndarray, embed: Callable[[list[str]], np.ndarray]
    ) -> list[tuple[str, float]]:
        """For each query-word vector, the closest vocabulary word and its similarity."""
        if self._vectors is None:
            self._vectors = embed(self.words) if self.words else np.zeros((0, vecs.shape[1]))
        if not len(self._vectors):
            return [("", 0.0)] * len(vecs)
        sims = vecs @ self._vectors.T
        best = sims.argmax(axis=1)
        return [(self.words[int(b)], float(sims[i, b])) for i, b in enumerate(best)]


class Answerability:
    """Finds the question's topic words that the vetted corpus never mentions."""

    def __init__(
        self, word_threshold: float, shift_threshold: float, max_vocab: int = 8000
    ) -> None:
        self.word_threshold = word_threshold
        self.shift_threshold = shift_threshold
        self.max_vocab = max_vocab
        self._vocab: dict[int, Vocabulary] = {}
        self._lock = threading.Lock()

    def vocabulary(self, snapshot: IndexSnapshot) -> Vocabulary:
        """The snapshot's vocabulary, most frequent first, built once per generation."""
        with self._lock:
            key = id(snapshot)
            if key not in self._vocab:
                common = [
                    w for w, _ in snapshot.vocabulary.most_common() if w.isalpha() and len(w) > 2
                ][: self.max_vocab]
                self._vocab = {key: Vocabulary(common)}
            return self._vocab[key]

    def analyse(self, snapshot: IndexSnapshot, question: str) -> tuple[list[str], list[str]]:
        """(known topic words, after typo correction; unknown topic words)."""
        known: list[str] = []
        unknown: list[str] = []
        vocab = None
        for w in content_terms(question, GENERIC_WORDS):
            if stem(w) in snapshot.stem_vocabulary or w in snapshot.vocabulary:
                known.append(w)
                continue
            vocab = vocab or self.vocabulary(snapshot)
            fixed = vocab.correct(w)
            if fixed:
                known.append(fixed)
            elif w.isalpha() and len(w) > 2:
                unknown.append(w)
        return known, unknown

    @staticmethod
    def without(question: str, word: str) -> str:
        """The question with one word removed (to measure how much the word carries)."""
        return re.sub(rf"\b{re.escape(word)}\b", "", question, flags=re.IGNORECASE)

    def probe_texts(self, question: str, unknown: list[str]) -> list[str]:
        """Texts to embed with the query in the same forward pass: the words, then leave-outs."""
        return [*unknown, *(self.without(question, w) for w in unknown)]

    def uncovered(
        self,
        snapshot: IndexSnapshot,
        question: str,
        unknown: list[str],
        qvec: np.ndarray,
        probes: np.ndarray,
        embed: Callable[[list[str]], np.ndarray],
    ) -> list[str]:
        """Unknown words that carry the question and have no close synonym in the corpus.

        A word carries the question when it is a name or acronym as written (FDA, Spravato),
        or when leaving it out moves the question's embedding by at least `shift_threshold`.
        """
        if not unknown:
            return []
        n = len(unknown)
        word_vecs, leave_out = probes[:n], probes[n:]
        near = self.vocabulary(snapshot).nearest(word_vecs, embed)
        out = []
        for i, (w, (match, sim)) in enumerate(zip(unknown, near, strict=True)):
            # A longer word built on a known one (esketamine, nonopioid) names something else.
            derived = bool(match) and match in w and match != w
            if sim >= self.word_threshold and not derived:
                continue
            shift = 1.0 - float(qvec @ leave_out[i])
            if derived or _is_name(question, w) or shift >= self.shift_threshold:
                out.append(w)
        return out


def _is_name(question: str, word: str) -> bool:
    """True when the word is written as an acronym or a capitalised name mid-sentence."""
    for m in re.finditer(rf"\b{re.escape(word)}\b", question, flags=re.IGNORECASE):
        raw = m.group(0)
        if len(raw) >= 2 and raw.isupper():
            return True
        before = question[: m.start()].rstrip()
        if raw[0].isupper() and before and before[-1] not in '.!?:"“(':
            return True
    return False
