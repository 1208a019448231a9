"""An in-memory snapshot of the live index: passages, their vectors, BM25 and vocabulary."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypedDict

import numpy as np

from assistant.corpus.text import STOPWORDS, WORD_RE, stem, terms, words
from assistant.errors import IndexNotReadyError
from assistant.index.bm25 import BM25Index
from assistant.index.store import StoredChunk, decode_vectors
from assistant.pipeline.contracts import VectorStore

__all__ = ["IndexSnapshot", "Passage", "SourceFields"]


class SourceFields(TypedDict):
    """The fields of a `SourceRef` (citation or search hit) that a passage fills in."""

    article_id: str
    title: str
    section: str
    version: str


@dataclass(eq=False)
class Passage:
    """A live chunk with what retrieval and composing need."""

    id: str
    article_id: str
    title: str
    section: str
    version: str
    text: str
    position: int
    sentences: tuple[tuple[int, int], ...]
    vector: np.ndarray
    sent_blob: str = field(repr=False, default="")
    dim: int = 384

    def source(self) -> SourceFields:
        """Article id, title, section and version: the fields of a `SourceRef`."""
        return {"article_id": self.article_id, "title": self.title, "section": self.section,
                "version": self.version}  # fmt: skip

    @cached_property
    def sentence_vectors(self) -> np.ndarray:
        """(n_sentences, dim) normalised vectors computed at ingest."""
        if not self.sent_blob:
            return np.zeros((0, self.dim), np.float32)
        return decode_vectors(self.sent_blob, self.dim)

    @cached_property
    def sentence_stems(self) -> list[set[str]]:
        """Stemmed terms of each sentence."""
        return [set(terms(self.text[s:e])) for s, e in self.sentences]

    @cached_property
    def stems(self) -> set[str]:
        """Stemmed terms of the passage with its title and heading."""
        return set(terms(f"{self.title} {self.section} {self.text}"))

    def sentence(self, i: int) -> str:
        """The verbatim text of sentence i."""
        s, e = self.sentences[i]
        return self.text[s:e]

    @classmethod
    def from_stored(cls, ch: StoredChunk, dim: int) -> Passage:
        """Build from a store record."""
        m = ch.metadata
        spans = tuple(
            (int(a), int(b))
            for a, b in (p.split(",") for p in str(m.get("ss", "")).split(";") if p)
        )
        assert ch.embedding is not None
        return cls(
            id=ch.id,
            article_id=str(m["article_id"]),
            title=str(m["title"]),
            section=str(m["section"]),
            version=str(m["version"]),
            text=ch.text,
            position=int(m.get("position", 0)),
            sentences=spans,
            vector=ch.embedding,
            sent_blob=str(m.get("sv", "")),
            dim=dim,
        )


def _tokenise(p: Passage) -> list[str]:
    """words() of the passage with its title and heading; also fills its sentence terms.

    For ASCII text, words() is a regex scan of the lowercased text (folding and white-space
    collapsing change nothing else), so one scan with offsets gives the passage's words and,
    by position, each sentence's stemmed terms: the same sets `sentence_stems` would compute.
    """
    full = f"{p.title} {p.section} {p.text}"
    if not full.isascii():
        return words(full)
    base = len(full) - len(p.text)
    starts = [base + s for s, _ in p.sentences]
    ends = [base + e for _, e in p.sentences]
    sent: list[set[str]] = [set() for _ in p.sentences]
    out: list[str] = []
    for m in WORD_RE.finditer(full.lower()):
        w = m.group()
        if w.endswith("'s"):
            w = w[:-2]
        parts = [x for x in w.split("-") if x] if "-" in w else ([w] if w else [])
        out.extend(parts)
        i = bisect_right(starts, m.start()) - 1
        if i >= 0 and m.end() <= ends[i]:
            sent[i].update(stem(x) for x in parts if x not in STOPWORDS and len(x) > 1)
    p.__dict__["sentence_stems"] = sent
    return out


class IndexSnapshot:
    """Everything served from one manifest generation."""

    def __init__(self, manifest: dict[str, Any], passages: list[Passage]) -> None:
        self.manifest = manifest
        self.generation = int(manifest.get("generation", 0))
        self.passages = passages
        self.by_id = {p.id: p for p in passages}
        self.vectors = (
            np.stack([p.vector for p in passages]).astype(np.float32)
            if passages
            else np.zeros((0, int(manifest.get("dim", 384))), np.float32)
        )
        docs: list[list[str]] = []
        vocab: Counter[str] = Counter()
        for p in passages:  # one tokenising pass for BM25, the vocabulary and sentence terms
            ws = _tokenise(p)
            docs.append([stem(w) for w in ws if w not in STOPWORDS and len(w) > 1])
            vocab.update(set(ws))
        self.bm25 = BM25Index(docs)
        self.vocabulary = vocab
        self.stem_vocabulary = {stem(w) for w in vocab}

    @property
    def articles(self) -> dict[str, dict[str, Any]]:
        """Manifest entries of all articles, including retired ones."""
        return dict(self.manifest.get("articles", {}))

    def topics(self) -> list[str]:
        """Titles of the published articles."""
        return sorted(e["title"] for e in self.articles.values() if e.get("status") == "published")

    @cached_property
    def described_topics(self) -> list[str]:
        """Published titles with the headings they cover (for referral texts), up to eight."""
        headings: dict[str, list[str]] = {}
        for p in (p for ps in self.by_article.values() for p in ps):
            hs = headings.setdefault(p.title, [])
            h = p.section.strip().rstrip(":")
            if h and h not in hs and h.lower() not in ("introduction", "conclusion"):
                hs.append(h)
        out = []
        for title in self.topics()[:8]:
            hs = headings.get(title, [])
            out.append(f"{title} ({', '.join(hs[:8]).lower()})" if hs else title)
        return out

    @cached_property
    def centroids(self) -> dict[str, np.ndarray]:
        """Each article's unit centroid: the normalised mean of its passage vectors."""
        groups: dict[str, list[np.ndarray]] = {}
        for p in self.passages:
            groups.setdefault(p.article_id, []).append(p.vector)
        out = {}
        for art, vecs in groups.items():
            c = np.mean(vecs, axis=0)
            out[art] = (c / (np.linalg.norm(c) + 1e-12)).astype(np.float32)
        return out

    @cached_property
    def by_article(self) -> dict[str, list[Passage]]:
        """Each article's passages, in reading order (built once per snapshot)."""
        out: dict[str, list[Passage]] = {}
        for p in sorted(self.passages, key=lambda p: (p.article_id, p.position)):
            out.setdefault(p.article_id, []).append(p)
        return out

    @cached_property
    def scope(self) -> tuple[np.ndarray, float]:
        """The site's topic: the unit mean of the article centroids, and its coherence.

        Coherence is the length of that mean (1.0 for one article, lower when the articles
        are about different things); a short question is read against a coherent scope.
        """
        if not self.centroids:
            return np.zeros(self.vectors.shape[1], np.float32), 0.0
        mean = np.stack(list(self.centroids.values())).mean(axis=0)
        coherence = float(np.linalg.norm(mean))
        return (mean / (coherence + 1e-12)).astype(np.float32), coherence

    @classmethod
    def load(cls, store: VectorStore) -> IndexSnapshot:
        """Read the live manifest and its chunks from the store."""
        for _attempt in range(3):
            manifest = store.read_manifest()
            if manifest is None:
                raise IndexNotReadyError("no index yet: run `assistant ingest` first")
            ids = [c for e in manifest.get("articles", {}).values() for c in e.get("chunks", [])]
            dim = int(manifest.get("dim", 384))
            stored = store.get(ids, embeddings=True)
            if len(stored) == len(set(ids)):
                return cls(manifest, [Passage.from_stored(ch, dim) for ch in stored])
            # A newer ingest flipped the manifest and cleaned up while we read: read again.
        raise IndexNotReadyError(
            f"index generation {(manifest or {}).get('generation')} is incomplete in the store "
            f"({len(stored)} of {len(set(ids))} chunks): run `assistant ingest` again"
        )
