"""The on-disk derived-vector cache: keyed by texts and model, atomic, self-healing."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.index.derived_cache import DerivedCache, embed_cached


class CountingEmbedder:
    """Deterministic vectors from text hashes; counts encoder calls."""

    def __init__(self, model_id: str = "m1") -> None:
        self.query_model_id = model_id
        self.calls = 0

    def embed_queries(self, texts: list[str], cache: bool = True) -> np.ndarray:
        self.calls += 1
        rng = [np.random.default_rng(abs(hash(t)) % 2**32).random(8) for t in texts]
        return np.asarray(rng, dtype=np.float32)


def test_second_use_reads_from_disk_and_changes_invalidate(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    texts = ["chest pain", "I want to hurt myself", "what is ketamine"]
    first = embed_cached(DerivedCache(tmp_path), "exemplars", emb)(texts)
    again = embed_cached(DerivedCache(tmp_path), "exemplars", emb)(texts)  # a new process
    assert emb.calls == 1 and np.array_equal(first, again)
    embed_cached(DerivedCache(tmp_path), "exemplars", emb)([*texts, "new phrase"])
    assert emb.calls == 2  # the exemplar file changed: embedded again
    other = CountingEmbedder("m2")
    embed_cached(DerivedCache(tmp_path), "exemplars", other)(texts)
    assert other.calls == 1  # another query model never reads these vectors


def test_corrupt_or_wrong_shape_entries_are_rebuilt(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    cache = DerivedCache(tmp_path)
    texts = ["a", "b"]
    cache.vectors("vocabulary", "m1", texts, emb.embed_queries)
    path = cache.path("vocabulary", cache.key("m1", texts))
    path.write_bytes(b"not a numpy file")
    got = DerivedCache(tmp_path).vectors("vocabulary", "m1", texts, emb.embed_queries)
    assert emb.calls == 2 and got.shape == (2, 8)
    assert np.load(path).shape == (2, 8)  # rewritten whole
    assert not list(path.parent.glob("*.tmp"))


def test_no_cache_folder_means_plain_embedding(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    embed = embed_cached(None, "exemplars", emb)
    embed(["x"])
    embed(["x"])
    assert emb.calls == 2 and not any(tmp_path.iterdir())
