"""Hybrid retrieval: dense (exact cosine on the live snapshot) and BM25, fused by RRF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from assistant.config.settings import RetrievalSettings
from assistant.corpus.text import terms
from assistant.index.snapshot import IndexSnapshot, Passage
from assistant.pipeline.contracts import VectorStore

__all__ = ["Hit", "HybridRetriever", "Mode"]

Mode = Literal["hybrid", "dense", "bm25"]


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its scores; `dense` is cosine similarity to the query."""

    passage: Passage
    dense: float
    bm25: float
    fused: float


class HybridRetriever:
    """Dense candidates from the snapshot's vectors plus BM25 candidates, fused with RRF."""

    def __init__(self, store: VectorStore, settings: RetrievalSettings) -> None:
        self.store = store
        self.settings = settings

    def search(
        self,
        snapshot: IndexSnapshot,
        query: str,
        qvec: np.ndarray,
        k: int | None = None,
        mode: Mode = "hybrid",
    ) -> list[Hit]:
        """Top-k passages of the live snapshot, best first."""
        k = k or self.settings.top_k
        if not snapshot.passages:
            return []
        ranks: dict[str, list[int]] = {}
        bm25_scores: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            # Exact cosine over the snapshot's own vectors (already in memory): no round trip
            # to the store, and never a chunk of another generation.
            n = min(len(snapshot.passages), self.settings.dense_k)
            sims = snapshot.vectors @ qvec
            top = np.argpartition(-sims, n - 1)[:n] if n < len(sims) else np.arange(len(sims))
            for r, row in enumerate(sorted(top, key=lambda i: -sims[i])):
                ranks.setdefault(snapshot.passages[row].id, []).append(r)
        if mode in ("hybrid", "bm25"):
            for r, (row, score) in enumerate(snapshot.bm25.top(terms(query), self.settings.bm25_k)):
                cid = snapshot.passages[row].id
                ranks.setdefault(cid, []).append(r)
                bm25_scores[cid] = score
        if not ranks:
            return []
        rrf = self.settings.rrf_k
        fused = {cid: sum(1.0 / (rrf + r + 1) for r in rs) for cid, rs in ranks.items()}
        best = sorted(fused, key=lambda c: -fused[c])[:k]
        rows = [snapshot.by_id[c] for c in best]
        sims = np.stack([p.vector for p in rows]) @ qvec
        return [
            Hit(p, float(s), bm25_scores.get(p.id, 0.0), fused[p.id])
            for p, s in zip(rows, sims, strict=True)
        ]
