"""Embedding-similarity intent classifier over editable exemplar phrases (packaged MiniLM)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml

from assistant.errors import ConfigError
from assistant.index.derived_cache import embed_cached
from assistant.pipeline.contracts import Embedder

__all__ = ["INTENTS", "IntentClassifier", "load_exemplars"]

INTENTS = ("clinician", "refused", "benign", "health")


def load_exemplars(path: Path | str) -> dict[str, list[str]]:
    """Exemplar phrases per intent from a YAML file, with a clear error when malformed."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"guardrail exemplars file {path} cannot be read: {exc}") from None
    out: dict[str, list[str]] = {}
    for intent in INTENTS:
        phrases = data.get(intent)
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise ConfigError(f"{path}: '{intent}' must be a list of phrases")
        if not phrases:
            raise ConfigError(f"{path}: '{intent}' needs at least one phrase")
        out[intent] = [p.strip() for p in phrases if p.strip()]
    return out


class IntentClassifier:
    """Nearest-exemplar cosine similarity per intent; exemplar vectors are computed once."""

    def __init__(self, embedder: Embedder, exemplars: dict[str, list[str]]) -> None:
        self.embedder = embedder
        self.exemplars = exemplars
        names = [i for i in INTENTS if exemplars.get(i)]
        texts = [p for i in names for p in exemplars[i]]
        # Read from the on-disk derived-vector cache when the exemplar file is unchanged.
        vecs = embed_cached(getattr(embedder, "derived_cache", None), "exemplars", embedder)(texts)
        self._bounds: dict[str, tuple[int, int]] = {}
        start = 0
        for i in names:
            n = len(exemplars[i])
            self._bounds[i] = (start, start + n)
            start += n
        self.matrix = vecs

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of visitor messages (shared LRU cache with retrieval's query embedding)."""
        return self.embedder.embed_queries(list(texts))

    def scores(self, vecs: np.ndarray) -> list[dict[str, float]]:
        """For each message vector, the best similarity to each intent's exemplars."""
        sims = vecs @ self.matrix.T
        out: list[dict[str, float]] = []
        for row in sims:
            out.append({i: float(row[a:b].max()) for i, (a, b) in self._bounds.items()})
        return out

    def nearest(self, vec: np.ndarray, intent: str) -> tuple[str, float]:
        """The closest exemplar of an intent and its similarity (for explanations)."""
        a, b = self._bounds[intent]
        sims = self.matrix[a:b] @ vec
        j = int(np.argmax(sims))
        return self.exemplars[intent][j], float(sims[j])
