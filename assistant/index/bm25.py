"""Okapi BM25 over a sparse term matrix: one column slice per query term."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

__all__ = ["BM25Index"]


class BM25Index:
    """Precomputed BM25 weights; scoring a query sums a few sparse columns."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        for r, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                cols.append(self.vocab.setdefault(term, len(self.vocab)))
                rows.append(r)
                tfs.append(tf)
        n_docs = max(len(docs), 1)
        self.n_docs = len(docs)
        tf_arr = np.asarray(tfs, dtype=np.float32)
        col_arr = np.asarray(cols, dtype=np.int64)
        row_arr = np.asarray(rows, dtype=np.int64)
        self.df = np.bincount(col_arr, minlength=len(self.vocab)).astype(np.float32)
        self.idf = np.log(1.0 + (n_docs - self.df + 0.5) / (self.df + 0.5)).astype(np.float32)
        avgdl = float(lengths.mean()) if len(docs) else 1.0
        norm = k1 * (1 - b + b * lengths[row_arr] / max(avgdl, 1e-9))
        weights = self.idf[col_arr] * tf_arr * (k1 + 1) / (tf_arr + norm)
        self.matrix = sparse.csc_matrix(
            (weights, (row_arr, col_arr)), shape=(len(docs), len(self.vocab)), dtype=np.float32
        )

    def term_idf(self, term: str) -> float:
        """IDF of a stemmed term; terms never seen get the highest possible IDF."""
        col = self.vocab.get(term)
        if col is None:
            return float(np.log(1.0 + (self.n_docs + 0.5) / 0.5))
        return float(self.idf[col])

    def doc_freq(self, term: str) -> int:
        """How many documents hold a stemmed term."""
        col = self.vocab.get(term)
        return 0 if col is None else int(self.df[col])

    def _accumulate(self, query_terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the documents holding a query term, straight from the CSC arrays."""
        cols = [self.vocab[t] for t in query_terms if t in self.vocab]
        if not cols or not self.n_docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        ptr, idx, data = self.matrix.indptr, self.matrix.indices, self.matrix.data
        if len(cols) == 1:
            a, b = ptr[cols[0]], ptr[cols[0] + 1]
            return idx[a:b].astype(np.int64), data[a:b]
        acc = np.zeros(self.n_docs, dtype=np.float32)  # per call: safe across threads
        for c in cols:  # a repeated query term counts again, as in the sparse column sum
            a, b = ptr[c], ptr[c + 1]
            acc[idx[a:b]] += data[a:b]
        rows = np.flatnonzero(acc)  # every stored weight is positive
        return rows, acc[rows]

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every document."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        rows, vals = self._accumulate(query_terms)
        out[rows] = vals
        return out

    def top(self, query_terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Best k (row, score) pairs with a positive score."""
        rows, vals = self._accumulate(query_terms)
        pos = vals > 0
        if not pos.all():
            rows, vals = rows[pos], vals[pos]
        if not len(rows):
            return []
        k = min(k, len(rows))
        # Ties go to the lower row, so the order does not depend on how scores were summed.
        part = np.argpartition(-vals, k - 1)[:k] if k < len(vals) else np.arange(len(vals))
        order = np.lexsort((rows[part], -vals[part]))
        best = part[order]
        return [(int(rows[i]), float(vals[i])) for i in best]
