"""Ingest: validate the corpus, embed only new chunks, then flip the live manifest atomically."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.corpus.articles import Article, load_corpus
from assistant.corpus.chunking import CHUNKER_VERSION, Chunk, chunk_article, embed_key
from assistant.index.store import encode_vectors
from assistant.pipeline.contracts import Embedder, VectorStore

__all__ = ["IngestReport", "IngestService", "ProgressFactory", "chunk_metadata"]

ProgressFactory = Callable[[int, str], Callable[[int], None]]
Scanner = Callable[[Article], list[str]]
_FLUSH = 32  # chunks per stored part when the embedder has no batch_size


@dataclass
class IngestReport:
    """What an ingest did."""

    generation: int
    articles: int
    published: int
    retired: int
    chunks: int
    embedded: int
    reused: int
    removed: int
    changed: bool
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One human line."""
        state = f"generation {self.generation}" if self.changed else "unchanged"
        return (
            f"{self.articles} articles ({self.published} published, {self.retired} retired), "
            f"{self.chunks} chunks: {self.embedded} embedded, {self.reused} reused, "
            f"{self.removed} removed; index {state} in {self.seconds:.1f}s"
        )


def chunk_metadata(chunk: Chunk, article: Article, ek: str, sent_blob: str) -> dict[str, Any]:
    """Everything a reader needs about a chunk, flat for Chroma."""
    return {
        "article_id": chunk.article_id,
        "title": chunk.title,
        "section": chunk.section,
        "version": chunk.version,
        "source": chunk.source,
        "reviewed_on": article.reviewed_on.isoformat(),
        "position": chunk.position,
        "ss": ";".join(f"{s},{e}" for s, e in chunk.sentences),
        "sv": sent_blob,
        "ek": ek,
    }


class IngestService:
    """Builds and updates the index; a failure before the manifest flip changes nothing live."""

    def __init__(
        self,
        store: VectorStore,
        embedder: Embedder,
        scanner: Scanner | None = None,
        max_words: int = 150,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.scanner = scanner
        self.max_words = max_words

    def ingest(self, path: Path | str, progress: ProgressFactory | None = None) -> IngestReport:
        """Validate everything first, then embed, store, flip and clean up."""
        t0 = time.perf_counter()
        articles = load_corpus(path)
        warnings: list[str] = []
        if self.scanner:
            for art in articles:
                warnings.extend(self.scanner(art))
        old = self.store.read_manifest() or {}
        same_model = old.get("model_id") == self.embedder.model_id
        same_chunker = old.get("chunker") == CHUNKER_VERSION
        old_articles: dict[str, Any] = (
            old.get("articles", {}) if same_model and same_chunker else {}
        )

        entries: dict[str, dict[str, Any]] = {}
        todo: list[tuple[Chunk, Article]] = []
        live_ids: list[str] = []
        for art in articles:
            entry: dict[str, Any] = {
                "sha": art.sha,
                "title": art.title,
                "version": art.version,
                "status": art.status,
                "path": art.path,
                "source": art.source,
                "url": art.url,
                "authors": list(art.authors),
                "reviewed_on": art.reviewed_on.isoformat(),
                "chunks": [],
            }
            entries[art.id] = entry
            if not art.published:
                continue
            prev = old_articles.get(art.id)
            if prev and prev.get("sha") == art.sha and prev.get("status") == "published":
                entry["chunks"] = list(prev["chunks"])
                live_ids.extend(entry["chunks"])
                continue
            chunks = chunk_article(art, self.max_words)
            entry["chunks"] = [c.id for c in chunks]
            live_ids.extend(entry["chunks"])
            todo.extend((c, art) for c in chunks)

        stored = self.store.existing(live_ids)
        todo_ids = {c.id for c, _ in todo}
        missing_reused = [cid for cid in live_ids if cid not in stored and cid not in todo_ids]
        if missing_reused:
            # An unchanged article whose chunks vanished from the store: rebuild it.
            lost = {a for a, e in entries.items() if set(e["chunks"]) & set(missing_reused)}
            for art in articles:
                if art.id in lost:
                    todo.extend((c, art) for c in chunk_article(art, self.max_words))
        # Chunks stored by an earlier run that was killed before its manifest flip are kept:
        # they are stored under content-hash ids as soon as they are embedded.
        resumed = len({c.id for c, _ in todo if c.id in stored})
        todo = [(c, a) for c, a in todo if c.id not in stored]
        todo = list({c.id: (c, a) for c, a in todo}.values())

        embedded, reused = self._store_chunks(todo, progress)
        reused += resumed
        old_ids = {cid for e in old.get("articles", {}).values() for cid in e.get("chunks", [])}
        live_set = set(live_ids)
        changed = (
            not old
            or not same_model
            or not same_chunker
            or live_set != old_ids
            or any(
                (old.get("articles", {}).get(a) or {}).get(k) != e[k]
                for a, e in entries.items()
                for k in ("sha", "status")
            )
            or set(old.get("articles", {})) != set(entries)
        )
        generation = int(old.get("generation", 0))
        if changed:
            generation += 1
            self.store.write_manifest(
                {
                    "generation": generation,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "model_id": self.embedder.model_id,
                    "chunker": CHUNKER_VERSION,
                    "dim": self.embedder.dim,
                    "articles": entries,
                }
            )
        garbage = self.store.all_ids() - live_set
        if garbage:
            self.store.delete(sorted(garbage))
        return IngestReport(
            generation=generation,
            articles=len(articles),
            published=sum(a.published for a in articles),
            retired=sum(not a.published for a in articles),
            chunks=len(live_set),
            embedded=embedded,
            reused=reused,
            removed=len(garbage),
            changed=changed,
            seconds=time.perf_counter() - t0,
            warnings=warnings,
        )

    def _store_chunks(
        self, todo: list[tuple[Chunk, Article]], progress: ProgressFactory | None
    ) -> tuple[int, int]:
        """Copy vectors whose embed key is known; embed the rest, flushing as it goes."""
        if not todo:
            return 0, 0
        keys = {c.id: embed_key(self.embedder.model_id, c.embed_text) for c, _ in todo}
        cached = self.store.find_by_embed_key(list(keys.values()))
        reuse = [(c, a) for c, a in todo if keys[c.id] in cached]
        fresh = [(c, a) for c, a in todo if keys[c.id] not in cached]
        # Longest first across the whole run, so every batch pads to nearly its own length.
        fresh.sort(key=lambda ca: -len(ca[0].embed_text))
        if reuse:
            embs = np.stack([cached[keys[c.id]].embedding for c, _ in reuse])  # type: ignore[misc]
            metas = [
                chunk_metadata(c, a, keys[c.id], cached[keys[c.id]].metadata["sv"])
                for c, a in reuse
            ]
            self.store.add([c.id for c, _ in reuse], embs, [c.text for c, _ in reuse], metas)
        tick = progress(len(fresh), "embedding") if (progress and fresh) else None

        def flush(part: list[tuple[Chunk, Article]], vecs: np.ndarray, sents: Any) -> None:
            metas = [
                chunk_metadata(c, a, keys[c.id], encode_vectors(sv))
                for (c, a), sv in zip(part, sents, strict=True)
            ]
            self.store.add([c.id for c, _ in part], vecs, [c.text for c, _ in part], metas)
            if tick:
                tick(len(part))  # progress counts stored chunks: a kill loses at most one pass

        # One forward pass per part, stored by a writer thread while the next part is encoded
        # (torch releases the GIL); writes stay in order, one at a time, and any error stops
        # the ingest. Each part is stored before the manifest flip, so a killed run's work is
        # found by `existing()` on the next run.
        size = max(1, int(getattr(self.embedder, "batch_size", _FLUSH)))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="va-ingest-store") as writer:
            pending: Future[None] | None = None
            for s in range(0, len(fresh), size):
                part = fresh[s : s + size]
                prefix_lens = [len(c.prefix) for c, _ in part]
                spans = [
                    [(s0 + p, e0 + p) for s0, e0 in c.sentences]
                    for (c, _), p in zip(part, prefix_lens, strict=True)
                ]
                vecs, sents = self.embedder.embed_passages([c.embed_text for c, _ in part], spans)
                if pending is not None:
                    pending.result()
                pending = writer.submit(flush, part, vecs, sents)
            if pending is not None:
                pending.result()
        return len(fresh), len(reuse)
