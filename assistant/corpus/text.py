"""Text utilities: sentence spans with exact offsets, word tokens, stems and stopwords."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

__all__ = [
    "STOPWORDS",
    "WORD_RE",
    "content_terms",
    "normalize",
    "sentence_spans",
    "stem",
    "terms",
    "without_word",
    "words",
]

_ABBREV = {
    "dr", "mr", "mrs", "ms", "prof", "e.g", "i.e", "etc", "vs", "st", "no", "fig", "al",
    "approx", "u.s", "jr", "sr", "inc", "ltd", "dept", "mt", "vol", "ca", "cf", "mg", "ml",
}  # fmt: skip
_END_RE = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_END_ANY_RE = re.compile(r"[.!?]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Za-z0-9])")  # chat: any case
WORD_RE = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")  # the one word tokenizer
_SPACE_RE = re.compile(r"\s+")
_BULLET_RE = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each either else ever few for from further get gets
    got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
    itself just let's me might more most must mustn't my myself no nor not now of off on once
    only or other ought our ours ourselves out over own per please same shall shan't she
    she'd she'll she's should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those
    through thus to too under until up upon us very via was wasn't we we'd we'll we're we've
    were weren't what what's when when's where where's whether which while who who's whom
    whose why why's will with won't would wouldn't yes yet you you'd you'll you're you've
    your yours yourself yourselves""".split()
)

_stemmer = snowballstemmer.stemmer("english")


def normalize(text: str) -> str:
    """Lowercase, fold accents and curly quotes, and collapse white space."""
    if text.isascii():  # nothing to fold: same result, without the per-character pass
        return _SPACE_RE.sub(" ", text).strip().lower()
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SPACE_RE.sub(" ", text).strip().lower()


def words(text: str) -> list[str]:
    """Lowercase word tokens, possessive 's dropped."""
    out: list[str] = []
    for w in WORD_RE.findall(normalize(text)):
        w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        out.extend(p for p in w.split("-") if p)
    return out


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of a lowercase word."""
    return str(_stemmer.stemWord(word))


def terms(text: str) -> list[str]:
    """Stemmed, stopword-free tokens: what BM25 indexes and queries."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


def content_terms(text: str, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    """Unstemmed content words of a text, in order, without stopwords or extra_stop words."""
    return [w for w in words(text) if w not in STOPWORDS and w not in extra_stop and len(w) > 1]


def without_word(text: str, word: str) -> str:
    """The text with every whole-word `word` replaced by a neutral "thing" (case-blind): what
    a pattern still finds then tells whether it needed the word."""
    return re.sub(rf"\b{re.escape(word)}\b", "thing", text, flags=re.IGNORECASE)


def _is_abbrev(text: str, end: int) -> bool:
    """True when the period ending at `end` closes an abbreviation or an initial."""
    m = re.search(r"([A-Za-z.]+)\.$", text[: end + 1])
    if not m:
        return False
    token = m.group(1).lower()
    return token in _ABBREV or (len(token) == 1 and text[end - 1].isupper())


def sentence_spans(text: str, any_case: bool = False) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence; lines and bullets always break sentences. With
    `any_case`, a sentence may also start in lowercase, as chat messages often do ("so tired.
    i can't do this")."""
    end_re = _END_ANY_RE if any_case else _END_RE
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        bullet = _BULLET_RE.match(line)
        start = bullet.end() if bullet else 0
        for m in end_re.finditer(line):
            first_dot = m.start()
            if line[first_dot] == "." and _is_abbrev(line, first_dot):
                continue
            _add_span(spans, line, line_start, start, m.end())
            start = m.end()
        _add_span(spans, line, line_start, start, len(line))
    return spans


def _add_span(spans: list[tuple[int, int]], line: str, base: int, start: int, end: int) -> None:
    seg = line[start:end]
    stripped = seg.strip()
    if not stripped or not re.search(r"[A-Za-z0-9]", stripped):
        return
    lead = len(seg) - len(seg.lstrip())
    spans.append((base + start + lead, base + start + lead + len(stripped)))
