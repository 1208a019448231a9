"""Typos of common English words ("actualy", "dificult", "persn"), told by word frequencies.

A visitor's misspelt everyday word is not a topic the corpus lacks. The word is read as the
English word that one slip of typing makes it (a letter left out, two letters swapped, a letter
doubled) when that word is far more frequent than the typo itself (general-English frequencies
from the `wordfreq` package: MIT code, CC BY-SA 4.0 data). A rare real word stays ("statins" is
a real word, and "stating" is only 36 times more frequent), and so does a word of the embedding
model's WordPiece list ("tingle" is no typo of "single"). A letter added or changed is not read
as a slip: brand names are made that way ("ultram", "concerta", "aleve", "copay").
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Mapping

__all__ = ["ENGLISH", "TYPO_KNOWN_ZIPF", "EnglishFrequencies", "slips"]

_log = logging.getLogger(__name__)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A word at least this common in English (Zipf scale) is a word, never a typo of a rule's
# keyword: "seizes", "spiced" and "tapered" stay (common misspellings score under 2).
TYPO_KNOWN_ZIPF = 2.5


def slips(word: str) -> set[str]:
    """The words one typing slip away that a typo is read as: a letter left out ("persn"),
    two neighbours swapped ("poeple") or a letter doubled ("figgure")."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + c + b for a, b in splits for c in _LETTERS}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]}
    out |= {word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]}
    out.discard(word)
    return out


def _wordfreq_table() -> Mapping[str, float] | None:
    """wordfreq's large English list (word -> frequency), or None when it is not installed."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError:
        _log.warning("wordfreq is not installed: misspelt everyday words are read as topics")
        return None
    return get_frequency_dict("en", wordlist="large")


class EnglishFrequencies:
    """General-English word frequencies on the Zipf scale, loaded on first use."""

    def __init__(self, load: Callable[[], Mapping[str, float] | None] = _wordfreq_table) -> None:
        self._load = load
        self._table: Mapping[str, float] | None = None
        self._loaded = False
        self._lock = threading.Lock()

    def _get(self) -> Mapping[str, float] | None:
        if self._loaded:  # set once, after the table: no lock on the hot path
            return self._table
        with self._lock:
            if not self._loaded:
                try:
                    self._table = self._load()
                except Exception as exc:  # a broken install must not fail every question
                    _log.warning("no English word frequencies (%s): typos are not read", exc)
                    self._table = None
                self._loaded = True
            return self._table

    def words(self, min_zipf: float) -> set[str]:
        """Every word at least this common (Zipf scale); empty without the table."""
        floor = 10 ** (min_zipf - 9)
        return {w for w, f in (self._get() or {}).items() if f >= floor and w.isalpha()}

    def zipf(self, word: str) -> float:
        """log10 of the word's frequency per billion words; 0 for an unknown word."""
        table = self._get() or {}
        f = table.get(word, 0.0)
        return math.log10(f) + 9 if f > 0 else 0.0

    def typo_of(self, word: str, min_zipf: float, gap: float, margin: float = 0.0) -> str | None:
        """The common word (Zipf >= `min_zipf`) one slip away that is at least `gap` orders of
        magnitude more frequent than `word`, when `word` (5+ letters) is read as its typo; None
        when a second word one slip away is within `margin` of it."""
        if len(word) < 5 or not word.isalpha() or self._get() is None:
            return None
        ranked = sorted(slips(word), key=lambda w: (-self.zipf(w), w))
        z = self.zipf(ranked[0])
        if len(ranked) > 1 and margin > 0 and self.zipf(ranked[1]) > z - margin:
            return None
        return ranked[0] if z >= min_zipf and z - self.zipf(word) >= gap else None


ENGLISH = EnglishFrequencies()  # one shared table: the rails' typo fixer and answering
