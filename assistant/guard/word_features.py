"""Hashed word and word-pair features of a text, beside its MiniLM vector in the risk head.

A sentence vector says what a message is about; the words say what it does with that topic.
"I could kill for a coffee" and "I could kill myself" sit close together in MiniLM space,
and so do a grief message and a suicidal one; the word pairs ("kill for", "kill myself",
"end it", "miss her") tell them apart. Deterministic: CRC-32 of each feature, no vocabulary.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence

import numpy as np
from scipy import sparse

__all__ = ["DIM", "FUNCTION_WORDS", "hashed_words", "tokens"]

DIM = 1 << 15  # hash buckets (word and word-pair features share them)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# Function words say nothing alone ("it", "be", "myself", "no" had learned crisis weight from
# "end it", "not be here", "hurt myself", "no point"): they count only inside a word pair.
FUNCTION_WORDS = frozenset(
    "a an the and or but so if then than that this these those there here it its it's i i'm "
    "i've i'd i'll me my mine myself we us our you your yourself he him his himself she her "
    "herself they them their themselves who whom what which when where why how be am is are "
    "was were been being do does did doing done have has had having will would shall should "
    "can could may might must to of in on at by for with from up down out off over under "
    "about into onto after before again just not no nor too very all any some each every "
    "as also only own same such more most other".split()
)


def tokens(text: str) -> list[str]:
    """The lowercased words of a text (apostrophes kept inside a word)."""
    return _WORD.findall(text.lower().translate(_QUOTES))


def _buckets(text: str, dim: int) -> set[int]:
    words = tokens(text)
    feats = [w for w in words if w not in FUNCTION_WORDS]
    feats += [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return {zlib.crc32(f.encode("utf-8")) % dim for f in feats}


def hashed_words(texts: Sequence[str], dim: int = DIM) -> sparse.csr_matrix:
    """One row per text: its present word and word-pair buckets, scaled to unit length."""
    indptr, indices, data = [0], [], []
    for t in texts:
        cols = sorted(_buckets(t, dim))
        indices.extend(cols)
        data.extend([1.0 / np.sqrt(len(cols))] * len(cols) if cols else [])
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(data, np.float64), np.asarray(indices, np.int64), np.asarray(indptr)),
        shape=(len(texts), dim),
    )
