"""An LRU of normalised query vectors in front of any batch encoder."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["QueryCache", "normalize"]


def normalize(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, float32."""
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


class QueryCache:
    """Thread-safe LRU of normalised query vectors in front of a batch encoder."""

    def __init__(self, size: int, batch_size: int, dim: int) -> None:
        self.size = size
        self.dim = dim
        self.batch_size = batch_size
        self.lock = threading.Lock()
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()

    def embed(
        self, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray], cache: bool = True
    ) -> np.ndarray:
        """Vectors of texts: cached ones as stored, the others encoded in batches."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        result: list[np.ndarray | None] = [None] * len(texts)
        missing: list[int] = []
        with self.lock:
            for i, t in enumerate(texts):
                hit = self._items.get(t)
                if hit is not None:
                    self._items.move_to_end(t)
                    result[i] = hit
                else:
                    missing.append(i)
            if missing:
                uniq = list(dict.fromkeys(texts[i] for i in missing))
                vecs: dict[str, np.ndarray] = {}
                for b in range(0, len(uniq), self.batch_size):
                    batch = uniq[b : b + self.batch_size]
                    vecs.update(zip(batch, normalize(encode(batch)), strict=True))
                for i in missing:
                    result[i] = vecs[texts[i]]
                if self.size and cache:
                    for t, v in vecs.items():
                        self._items[t] = v
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
        return np.stack([r for r in result if r is not None]).astype(np.float32)

    def put(self, text: str, vec: np.ndarray) -> None:
        """Keep a vector computed in another pass (e.g. the rails') for later lookups."""
        if not self.size:
            return
        with self.lock:
            self._items[text] = normalize(np.asarray(vec, np.float32)[None, :])[0]
            while len(self._items) > self.size:
                self._items.popitem(last=False)
