"""A base for embedders whose model (and its tokenizer) is built on first use."""

from __future__ import annotations

import threading
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["LazyModel"]


class _Tokenized(Protocol):
    tokenizer: Any


M = TypeVar("M", bound=_Tokenized)


class LazyModel(Generic[M]):
    """Holds a model that is built by `_build` on first use: once, even when threads race.

    Commands that never embed never pay for the build (nor import torch).
    """

    def __init__(self) -> None:
        self._built: M | None = None
        self._build_lock = threading.Lock()

    def _build(self) -> M:
        """Make the model (called once, under the lock)."""
        raise NotImplementedError

    def _get(self) -> M:
        """The model, built now when it is not yet."""
        if self._built is None:
            with self._build_lock:
                if self._built is None:
                    self._built = self._build()
        return self._built

    @property
    def loaded(self) -> bool:
        """True once the model is in memory."""
        return self._built is not None

    @property
    def tokenizer(self) -> Any:
        """The model's tokenizer."""
        return self._get().tokenizer
