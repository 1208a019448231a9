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

__all__ = ["DIM", "hashed_words", "tokens"]

DIM = 1 << 15  # hash buckets (word and word-pair features share them)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def tokens(text: str) -> list[str]:
    """The lowercased words of a text (apostrophes kept inside a word)."""
    return _WORD.findall(text.lower().translate(_QUOTES))


def _buckets(text: str, dim: int) -> set[int]:
    words = tokens(text)
    feats = [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]
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
