"""Answers to repeated conversations, per index generation, in a bounded LRU."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from assistant.corpus.text import normalize
from assistant.models import Answer

__all__ = ["AnswerCache"]


class AnswerCache:
    """An LRU of answers keyed by the normalised conversation; a new generation empties it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self._generation: int | None = None

    @staticmethod
    def key(generation: int, msgs: list[dict[str, str]]) -> tuple[Any, ...]:
        """The cache key of a conversation on one index generation."""
        return (generation, tuple((m["role"], normalize(m["content"])) for m in msgs))

    def get(self, key: tuple[Any, ...]) -> Answer | None:
        """The cached answer, or None; a newer generation empties the cache first."""
        with self._lock:
            if self._generation is None or key[0] > self._generation:
                self._items.clear()  # a new generation: earlier answers may be stale
                self._generation = key[0]
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple[Any, ...], answer: Answer) -> None:
        """Keep an answer of the current generation (no-op when the cache size is 0)."""
        if not self.size:
            return
        with self._lock:
            if key[0] != self._generation:
                return  # answered on an older snapshot while a newer one loaded
            self._items[key] = answer
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._items.clear()
