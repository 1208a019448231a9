"""Every contract between the stages, as Protocols: the answer service is typed on these.

Concrete backends live in their stage folders and are chosen in one place,
`assistant.config.container.build_services`. This module imports no backend at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

from assistant.models import Route

if TYPE_CHECKING:
    from assistant.compose.extractive import Composition, Picked
    from assistant.index.snapshot import IndexSnapshot
    from assistant.index.store import StoredChunk
    from assistant.ingest.pipeline import IngestReport, ProgressFactory
    from assistant.retrieve.hybrid import Hit, Mode

__all__ = [
    "AnswerBackend",
    "Composer",
    "Embedder",
    "Health",
    "Ids",
    "Ingester",
    "InputRail",
    "Metadata",
    "Metadatas",
    "OutputGate",
    "PassageVectors",
    "Progress",
    "RailDecision",
    "Retriever",
    "Spans",
    "Texts",
    "VectorStore",
]

PassageVectors = tuple[np.ndarray, list[np.ndarray]]
Spans = Sequence[Sequence[tuple[int, int]]]  # per text, (start, end) of each sentence
Progress = Callable[[int], None] | None  # called with the number of texts just embedded
Metadata = dict[str, Any]
Ids = Sequence[str]  # chunk ids
Texts = Sequence[str]
Metadatas = Sequence[Metadata]


class Embedder(Protocol):
    """Sentence embeddings: normalised float32 vectors."""

    model_id: str
    dim: int

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        """One vector per query text."""
        ...

    def embed_passages(
        self, texts: Sequence[str], sentence_spans: Spans, progress: Progress = None
    ) -> PassageVectors:
        """Chunk vectors, and for each chunk a (n_sentences, dim) matrix of sentence vectors."""
        ...


class VectorStore(Protocol):
    """What the index needs from a vector store."""

    def read_manifest(self) -> dict[str, Any] | None:
        """The live manifest, or None when nothing was ever ingested."""
        ...

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Atomically replace the live manifest (the commit point of an ingest)."""
        ...

    def generation(self) -> int | None:
        """The live manifest's generation, cheaply, or None."""
        ...

    def all_ids(self) -> set[str]:
        """Every chunk id stored, live or not."""
        ...

    def existing(self, ids: Sequence[str]) -> set[str]:
        """The subset of ids that are stored."""
        ...

    def add(self, ids: Ids, embeddings: np.ndarray, docs: Texts, metas: Metadatas) -> None:
        """Store chunks (existing ids are overwritten)."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Remove chunks."""
        ...

    def get(self, ids: Sequence[str], embeddings: bool = False) -> list[StoredChunk]:
        """Fetch chunks by id."""
        ...

    def find_by_embed_key(self, keys: Sequence[str]) -> dict[str, StoredChunk]:
        """Stored chunks (with embeddings) whose vectors were computed from these keys."""
        ...

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first."""
        ...

    def ping(self) -> bool:
        """True when the store answers."""
        ...


class Ingester(Protocol):
    """Turns a folder of articles into the next index generation."""

    def ingest(self, path: Path | str, progress: ProgressFactory | None = None) -> IngestReport:
        """Validate, chunk, embed and publish; the previous generation serves until then."""
        ...


class Retriever(Protocol):
    """Ranks the live passages for a query."""

    def search(
        self,
        snap: IndexSnapshot,
        query: str,
        qvec: np.ndarray,
        k: int | None = ...,
        mode: Mode = ...,
    ) -> list[Hit]:
        """The best passages, best first; `k` and `mode` left out take the retriever's defaults."""
        ...


class Composer(Protocol):
    """Writes an answer from retrieved passages, quoting and citing them."""

    def candidates(
        self,
        snap: IndexSnapshot,
        query: str,
        qvec: np.ndarray,
        hits: list[Hit],
        read: Any = ...,
        question: str | None = ...,
        pool: list[Hit] | None = ...,
    ) -> list[Picked]:
        """Every usable sentence of the top passages (or of `pool`), best first (floor
        measured on `read`; the question's type read from `question` when given)."""
        ...

    def compose_from(self, cands: list[Picked]) -> Composition | None:
        """The answer from scored candidates, or None when none is relevant enough."""
        ...

    def led(self, cands: list[Picked], qvec: np.ndarray) -> list[Picked]:
        """The candidates with the sentence that answered the nearest earlier visitor
        questions first (unchanged when the composer has no lead bank)."""
        ...

    def summary(self, snap: IndexSnapshot, article_id: str) -> Composition | None:
        """A short summary of one article, for broad questions."""
        ...

    def compose(
        self, snap: IndexSnapshot, query: str, qvec: np.ndarray, hits: list[Hit]
    ) -> Composition | None:
        """The answer, or None when no passage sentence answers the question."""
        ...


@dataclass(frozen=True)
class RailDecision:
    """An input rail's verdict: answer with `text` on `route` instead of retrieving."""

    route: Route
    text: str
    reason: str = ""


class InputRail(Protocol):
    """Looks at the whole conversation before retrieval."""

    def check(self, messages: Sequence[dict[str, Any]]) -> RailDecision | None:
        """A decision, or None to go on to retrieval."""
        ...


class OutputGate(Protocol):
    """Removes answer sentences that the passages they cite do not support."""

    def filter(
        self, composition: Composition, question: str, snapshot: IndexSnapshot
    ) -> Composition | None:
        """The supported part of the composition, or None when nothing is left."""
        ...


@dataclass(frozen=True)
class Health:
    """Readiness of an answer backend: ok, or degraded (answers fall back) with a reason."""

    status: Literal["ok", "degraded"]
    backend: str
    reason: str = ""

    def as_dict(self) -> dict[str, str]:
        """JSON-ready form for /readyz."""
        return asdict(self)


class AnswerBackend(Protocol):
    """Writes an answer from retrieved passages; None means 'use the extractive answer'."""

    name: str

    @property
    def min_sentences_kept(self) -> int:
        """Gated sentences needed before a generated answer is used."""
        ...

    def compose(
        self, snapshot: IndexSnapshot, question: str, qvec: np.ndarray, hits: list[Hit]
    ) -> Composition | None:
        """A gated answer, or None when too little survived or the model failed."""
        ...

    def stream(
        self, snapshot: IndexSnapshot, question: str, qvec: np.ndarray, hits: list[Hit]
    ) -> Iterator[Composition]:
        """Gated sentences as they complete, each a one-sentence Composition."""
        ...

    def health(self) -> Health:
        """ok, or degraded with a reason."""
        ...
