"""The live index's lifecycle: ingest, pick up a new generation, warm it, report readiness."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config.settings import Settings
from assistant.errors import AssistantError, IndexNotReadyError
from assistant.index.derived_cache import embed_cached
from assistant.index.snapshot import IndexSnapshot
from assistant.ingest.pipeline import IngestReport, ProgressFactory
from assistant.pipeline.contracts import Embedder, Ingester, VectorStore
from assistant.retrieve.answerability import Answerability

__all__ = ["IndexManager"]


@dataclass
class IndexManager:
    """Serves one index generation at a time; a newer one is loaded on the next check."""

    settings: Settings
    store: VectorStore
    ingester: Ingester
    embedder: Embedder
    answerability: Answerability
    load_ms: float | None = None  # time to load and warm the last index snapshot
    _snapshot: IndexSnapshot | None = field(default=None, init=False)
    _checked: float = field(default=0.0, init=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False)

    def ingest(
        self, path: Path | str | None = None, progress: ProgressFactory | None = None
    ) -> IngestReport:
        """Ingest a corpus folder (default: the configured one) and serve the result."""
        report = self.ingester.ingest(path or self.settings.corpus.path, progress)
        with self._lock:
            self._checked = 0.0
        return report

    def snapshot(self) -> IndexSnapshot:
        """The live snapshot, reloaded when a newer generation was ingested."""
        with self._lock:
            now = time.monotonic()
            due = now - self._checked >= self.settings.store.refresh_interval_s
            if self._snapshot is not None and not due:
                return self._snapshot
            self._checked = now
            generation = self.store.generation()
            if generation is None and self.settings.corpus.auto_ingest:
                self.ingester.ingest(self.settings.corpus.path)
                generation = self.store.generation()
            if generation is None:
                raise IndexNotReadyError("no index yet: run `assistant ingest` first")
            if self._snapshot is None or self._snapshot.generation != generation:
                t = time.perf_counter()
                snap = IndexSnapshot.load(self.store)
                self._warm(snap)
                self.load_ms = (time.perf_counter() - t) * 1000
                self._snapshot = snap
            return self._snapshot

    def _warm(self, snap: IndexSnapshot) -> None:
        """Build the vocabulary vectors now, not on a visitor's first unusual word."""
        vocab = self.answerability.vocabulary(snap)
        self.answerability.warm()  # the word lists misspelt aspect words are read against
        probe = self.embedder.embed_queries(["warm up"], cache=False)
        # The vocabulary's word vectors come from the on-disk derived-vector cache when known.
        cache = getattr(self.embedder, "derived_cache", None)
        vocab.nearest(probe, embed_cached(cache, "vocabulary", self.embedder))
        snap.described_topics  # noqa: B018 - the topic list, once per generation

    def ready(self) -> bool:
        """True when an index is loaded and the store answers."""
        try:
            return self.store.ping() and bool(self.snapshot().passages)
        except AssistantError:
            return False
