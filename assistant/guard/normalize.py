"""Normalise visitor text for the rules: case, accents, spacing, stretched letters and typos."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.corpus.text import normalize, stem

__all__ = ["TypoFixer", "normalize_message"]

_STRETCH = re.compile(r"([a-z])\1{2,}")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
# an amount with its unit, a time, an ordinal or a vitamin ("100g", "500mg", "24wks", "3am",
# "2nd", "b12") is no leetspeak: only words that are letters with digits in them are read
# back as letters
_LEET_WORD = re.compile(
    r"\b(?!\d+(?:[.,]\d+)?(?:g|mg|mcg|ug|kg|ml|l|cl|cm|mm|m|km|wk|wks|w|h|hr|hrs|am|pm|c|f|"
    r"th|yo|y|yr|yrs|min|mins|lb|lbs|oz|x|k|mph|kph|bpm|s|d)\b|\d*(?:1st|2nd|3rd)\b|[a-z]\d+\b)"
    r"(?=[a-z0-9@]*[a-z])(?=[a-z0-9@]*[0-9@])[a-z0-9@]{3,}\b"
)
_SPACED = re.compile(r"\b(?:[a-z] ){3,}[a-z]\b")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class TypoFixer:
    """Corrects unknown words one edit away from a rule keyword, plus a fixed typo map."""

    def __init__(
        self,
        keywords: Iterable[str],
        typos: Mapping[str, str] | None = None,
        known: Iterable[str] = (),
        english: Iterable[str] = (),
    ) -> None:
        self.keywords = {k.lower() for k in keywords if k}
        self.known = set(known) - self.keywords
        # real English words: only read as another form of a keyword ("overdoses"), never as
        # another word ("overdoing" is no typo of "overdosing", "seizes" none of "series")
        self.english = set(english) - self.keywords - self.known
        self.typos = {k.lower(): v.lower() for k, v in (typos or {}).items()}
        self._index: dict[str, set[str]] = {}
        for k in self.keywords:
            if len(k) >= 5:
                for d in _deletes(k) | {k}:
                    self._index.setdefault(d, set()).add(k)

    def word(self, w: str) -> str:
        """The keyword a misspelt word stands for, or the word itself."""
        if w in self.typos:
            return self.typos[w]
        if len(w) < 5 or w in self.keywords or w in self.known:
            return w
        cands = set(self._index.get(w, set()))
        for d in _deletes(w):
            cands |= self._index.get(d, set())
        cands = {c for c in cands if c[0] == w[0] and abs(len(c) - len(w)) <= 1}
        if not cands:
            return w
        best = min(cands, key=lambda c: (abs(len(c) - len(w)), c))
        if w in self.english and stem(best) != stem(w) and best != w + "g":
            return w  # another word; but a dropped g ("shootin") is still the keyword's form
        return best

    def __call__(self, text: str) -> str:
        """Text with each word corrected."""
        return _TOKEN.sub(lambda m: self.word(m.group(0)), text)


def _unstretch(word: str, fixer: TypoFixer | None) -> str:
    """'pleeeease' -> 'please', 'sooo' -> 'so': a known word with runs cut to one or two."""
    parts = re.split(r"(([a-z])\2{2,})", word)
    if len(parts) > 13 or len(word) > 40:  # more than 4 stretched runs: not a real word
        return _STRETCH.sub(r"\1\1", word)
    options: list[str] = [""]
    for i, part in enumerate(parts):
        if i % 3 == 1:
            options = [o + part[0] * k for o in options for k in (1, 2)]
        elif i % 3 == 0:
            options = [o + part for o in options]
    known = (fixer.known | fixer.keywords) if fixer else set()
    return next((o for o in options if o in known), _STRETCH.sub(r"\1\1", word))


def normalize_message(text: str, fixer: TypoFixer | None = None) -> str:
    """Lowercase, fold accents and quotes, undo leetspeak, stretched and spaced letters."""
    t = normalize(text)
    t = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), t)
    t = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), t)
    t = re.sub(
        r"[a-z]+",
        lambda m: _unstretch(m.group(0), fixer) if _STRETCH.search(m.group(0)) else m.group(0),
        t,
    )
    t = re.sub(r"[^\w\s'?.,!%/-]", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return fixer(t) if fixer else t
