"""The micro-batching query embedder over the real MiniLM."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from assistant.index.batching import BatchingEmbedder


def test_concurrent_queries_share_forward_passes(embedder: Any) -> None:
    texts = [f"question number {i} about chronic pain and ketamine" for i in range(48)]
    expected = embedder.embed_queries(texts, cache=False)
    batcher = BatchingEmbedder(embedder, max_wait_ms=5, max_batch=64)
    results: dict[int, np.ndarray] = {}
    start = threading.Barrier(len(texts))

    def ask(i: int) -> None:
        start.wait()
        results[i] = batcher.embed_queries([texts[i]], cache=False)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    batcher.close()
    got = np.vstack([results[i] for i in range(len(texts))])
    assert got.shape == (48, embedder.dim)
    np.testing.assert_allclose(got, expected, atol=1e-5)  # each caller gets its own vectors
    assert batcher.batched_texts == 48  # distinct texts
    assert batcher.batches < 48  # fewer passes than questions


def test_multi_text_requests_keep_their_order(embedder: Any) -> None:
    batcher = BatchingEmbedder(embedder, max_wait_ms=1)
    texts = ["ketamine", "fibromyalgia", "side effects"]
    np.testing.assert_allclose(
        batcher.embed_queries(texts), embedder.embed_queries(texts), atol=1e-5
    )
    assert batcher.embed_queries([]).shape == (0, embedder.dim)
    assert batcher.dim == embedder.dim and batcher.model_id == embedder.model_id
    batcher.close()


class _Failing:
    """An embedder whose forward pass fails (stands in for a broken model)."""

    model_id = "failing"
    dim = 3

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        raise RuntimeError("model exploded")


def test_errors_reach_every_caller_and_the_worker_survives() -> None:
    batcher = BatchingEmbedder(_Failing())  # type: ignore[arg-type]
    for _ in range(2):
        with pytest.raises(RuntimeError, match="exploded"):
            batcher.embed_queries(["x"])
    batcher.close()
    with pytest.raises(RuntimeError, match="closed"):
        batcher.embed_queries(["x"])
