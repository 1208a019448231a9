"""On-disk cache of vectors derived from files, keyed by the content hash of the source and model.

Guardrail exemplar vectors and the corpus vocabulary's word vectors cost a forward pass per
phrase; they depend only on the exemplar file or the indexed text and on the query encoder,
so a start-up after the first reads them from disk instead of embedding them again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

__all__ = ["DerivedCache", "embed_cached"]

log = logging.getLogger("assistant.derived_cache")
KEEP = 8  # newest entries kept per kind (old corpus generations are dropped)


class DerivedCache:
    """`<root>/<kind>/<sha256>.npy` files, written atomically; a bad file is rebuilt."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(model_id: str, texts: Sequence[str]) -> str:
        """sha256 of the model id and the texts, in order."""
        digest = hashlib.sha256(model_id.encode())
        for t in texts:
            digest.update(b"\x00")
            digest.update(t.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def path(self, kind: str, key: str) -> Path:
        """Where one entry lives."""
        return self.root / kind / f"{key}.npy"

    def load(self, kind: str, key: str, rows: int) -> np.ndarray | None:
        """The stored matrix with the expected number of rows, or None."""
        path = self.path(kind, key)
        try:
            arr = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if arr.ndim != 2 or arr.shape[0] != rows or arr.dtype != np.float32:
            return None
        os.utime(path)  # recently used entries survive pruning
        return arr

    def save(self, kind: str, key: str, arr: np.ndarray) -> None:
        """Write atomically (temp file + rename); a read-only disk only costs the cache."""
        folder = self.root / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, np.ascontiguousarray(arr, dtype=np.float32), allow_pickle=False)
            os.replace(tmp, self.path(kind, key))
            self._prune(folder)
        except OSError as exc:
            log.warning("derived-vector cache not written to %s: %s", folder, exc)

    def _prune(self, folder: Path) -> None:
        files = sorted(folder.glob("*.npy"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)

    def vectors(
        self,
        kind: str,
        model_id: str,
        texts: Sequence[str],
        embed: Callable[[list[str]], np.ndarray],
    ) -> np.ndarray:
        """Vectors of texts from disk, or embedded now and stored for the next start."""
        texts = list(texts)
        key = self.key(model_id, texts)
        got = self.load(kind, key, len(texts))
        if got is not None:
            self.hits += 1
            return got
        self.misses += 1
        arr = np.asarray(embed(texts), dtype=np.float32)
        if len(texts):
            self.save(kind, key, arr)
        return arr


def embed_cached(
    cache: DerivedCache | None, kind: str, embedder: object
) -> Callable[[list[str]], np.ndarray]:
    """An `embed(texts)` for fixed lists (no LRU), through the disk cache when there is one."""

    def embed(texts: list[str]) -> np.ndarray:
        return embedder.embed_queries(texts, cache=False)  # type: ignore[attr-defined]

    if cache is None:
        return embed
    model_id = str(getattr(embedder, "query_model_id", getattr(embedder, "model_id", "")))

    def cached(texts: list[str]) -> np.ndarray:
        return cache.vectors(kind, model_id, texts, embed)

    return cached
