"""A micro-batching query embedder: concurrent questions share one forward pass."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.pipeline.contracts import Embedder, PassageVectors, Progress, Spans

__all__ = ["BatchingEmbedder"]


@dataclass
class _Request:
    texts: list[str]
    cache: bool
    future: Future[np.ndarray] = field(default_factory=Future)


class BatchingEmbedder:
    """Wraps an `Embedder`; `embed_queries` calls from many threads are run as one batch.

    A worker thread takes the first waiting request, then gathers the requests that arrive
    within `max_wait_ms` (and any that queued up while the previous pass ran), up to
    `max_batch` texts, and encodes them in one call to the wrapped embedder. It only waits
    when callers are concurrent, so a lone request is never delayed.
    """

    def __init__(self, inner: Embedder, max_wait_ms: float = 1.0, max_batch: int = 64) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.max_wait_s = max_wait_ms / 1000.0
        self.max_batch = max_batch
        self.batches = 0
        self.batched_texts = 0
        self.isolated_retries = 0  # failed shared passes retried request by request
        self._queue: list[_Request] = []
        self._last_size = 0
        self._cond = threading.Condition()
        self._closed = False
        self._worker = threading.Thread(target=self._run, name="query-batcher", daemon=True)
        self._worker.start()

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        """Same contract as the wrapped embedder, batched with concurrent callers."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        req = _Request(list(texts), cache)
        with self._cond:
            if self._closed:
                raise RuntimeError("the batching embedder is closed")
            self._queue.append(req)
            self._cond.notify()
        return req.future.result()

    def embed_passages(
        self, texts: Sequence[str], sentence_spans: Spans, progress: Progress = None
    ) -> PassageVectors:
        """Ingest is not batched across callers: delegate."""
        return self.inner.embed_passages(texts, sentence_spans, progress)

    def close(self) -> None:
        """Stop the worker; pending requests are still answered."""
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._worker.join(timeout=5)

    def __getattr__(self, name: str) -> Any:
        """Anything else (e.g. `forward_calls`) comes from the wrapped embedder."""
        return getattr(self.inner, name)

    # -- worker --------------------------------------------------------------------------
    def _take(self) -> list[_Request] | None:
        """Wait for a first request, then gather more for up to max_wait; None when closed."""
        with self._cond:
            while not self._queue:
                if self._closed:
                    return None
                self._cond.wait()
            # Wait for company only when callers are concurrent (the last batch had several,
            # or several are queued): a lone visitor is never delayed.
            busy = self._last_size > 1 or len(self._queue) > 1
            deadline = time.monotonic() + (self.max_wait_s if busy else 0.0)
            while sum(len(r.texts) for r in self._queue) < self.max_batch:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    break
                self._cond.wait(left)
            batch: list[_Request] = []
            size = 0
            while self._queue and (not batch or size + len(self._queue[0].texts) <= self.max_batch):
                req = self._queue.pop(0)
                batch.append(req)
                size += len(req.texts)
            self._last_size = len(batch)
            return batch

    def _run(self) -> None:
        while True:
            batch = self._take()
            if batch is None:
                return
            for cache in (True, False):
                group = [r for r in batch if r.cache is cache]
                if group:
                    self._encode(group, cache)

    def _encode(self, group: list[_Request], cache: bool) -> None:
        """One call for the group; texts sorted by length so padding stays small.

        When the shared call fails, each request is retried on its own, so one bad input
        fails only its own caller and the others still get their vectors.
        """
        uniq = sorted({t for r in group for t in r.texts}, key=len)
        try:
            vecs = self.inner.embed_queries(uniq, cache=cache)
        except BaseException as exc:  # keep the worker alive whatever happens
            if len(group) == 1:
                group[0].future.set_exception(exc)
                return
            self.isolated_retries += 1
            for r in group:
                self._encode_alone(r, cache)
            return
        self.batches += 1
        self.batched_texts += len(uniq)
        row = {t: i for i, t in enumerate(uniq)}
        for r in group:
            r.future.set_result(vecs[[row[t] for t in r.texts]])

    def _encode_alone(self, req: _Request, cache: bool) -> None:
        """Encode one request by itself; its error (if any) goes to it alone."""
        try:
            vecs = self.inner.embed_queries(req.texts, cache=cache)
        except BaseException as exc:
            req.future.set_exception(exc)
            return
        self.batches += 1
        self.batched_texts += len(req.texts)
        req.future.set_result(vecs)
