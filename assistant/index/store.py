"""The vector-store contract and its Chroma backend (embedded or `chroma run` server)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.config.env import apply_offline_env
from assistant.config.settings import StoreSettings
from assistant.errors import StoreError
from assistant.pipeline.contracts import Embedder, Ids, Metadatas, Texts

__all__ = [
    "ChromaStore",
    "StoredChunk",
    "decode_vectors",
    "encode_vectors",
    "make_chroma_client",
]

apply_offline_env()

MANIFEST_ID = "manifest"
_PAGE = 2000


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as the store returns it."""

    id: str
    text: str
    metadata: dict[str, Any]
    embedding: np.ndarray | None = None


def encode_vectors(mat: np.ndarray) -> str:
    """Quantise normalised vectors to int8 and base64 them for metadata storage."""
    q = np.clip(np.rint(mat * 127.0), -127, 127).astype(np.int8)
    return base64.b64encode(q.tobytes()).decode("ascii")


def decode_vectors(blob: str, dim: int) -> np.ndarray:
    """Inverse of encode_vectors, re-normalised float32 rows."""
    q = np.frombuffer(base64.b64decode(blob), dtype=np.int8).astype(np.float32)
    mat = q.reshape(-1, dim)
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    return mat / np.maximum(norms, 1e-12)


def make_chroma_client(settings: StoreSettings) -> Any:
    """An embedded PersistentClient, or an HttpClient for a `chroma run` server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.mode == "http":
            client = chromadb.HttpClient(
                host=settings.host,
                port=settings.port,
                ssl=settings.ssl,
                settings=chroma_settings,
            )
            _set_http_timeout(client, settings.timeout_s)
            return client
        settings.path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.path), settings=chroma_settings)
    except Exception as exc:  # chromadb raises many types; report one clear error
        where = (
            f"{settings.host}:{settings.port}" if settings.mode == "http" else str(settings.path)
        )
        raise StoreError(f"cannot open the Chroma store at {where}: {exc}") from exc


def _set_http_timeout(client: Any, seconds: float) -> None:
    """Chroma's HTTP client has no timeout setting: bound every call on its httpx session."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(seconds)


def _embedding_function(embedder: Embedder | None) -> Any:
    """A Chroma embedding function backed by our model, so Chroma never loads its own."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class _EF(EmbeddingFunction[Documents]):
        def __init__(self, inner: Embedder | None = None) -> None:
            self.inner = inner

        def __call__(self, input: Documents) -> Embeddings:
            if self.inner is None:
                raise StoreError("vetted-assistant collections take precomputed embeddings")
            return list(self.inner.embed_queries(list(input)))

        @staticmethod
        def name() -> str:
            return "vetted-assistant-minilm"

        def get_config(self) -> dict[str, Any]:
            return {}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> _EF:
            return _EF()

        def is_legacy(self) -> bool:
            return False

    return _EF(embedder)


class ChromaStore:
    """Chunks in `<prefix>-chunks`; the manifest (the live index) in `<prefix>-meta`."""

    def __init__(self, client: Any, prefix: str, embedder: Embedder | None = None) -> None:
        self.client = client
        self.prefix = prefix
        ef = _embedding_function(embedder)
        try:
            self.chunks = client.get_or_create_collection(
                f"{prefix}-chunks",
                embedding_function=ef,
                configuration={"hnsw": {"space": "cosine"}},
            )
            self.meta = client.get_or_create_collection(f"{prefix}-meta", embedding_function=ef)
        except Exception as exc:
            raise StoreError(f"cannot open the Chroma collections '{prefix}-*': {exc}") from exc

    def read_manifest(self) -> dict[str, Any] | None:
        """The live manifest, or None."""
        got = self._call(self.meta.get, ids=[MANIFEST_ID], include=["documents"])
        docs = got.get("documents") or []
        if not got["ids"] or not docs or not docs[0]:
            return None
        manifest: dict[str, Any] = json.loads(docs[0])
        return manifest

    def generation(self) -> int | None:
        """The live generation from the manifest record's metadata."""
        got = self._call(self.meta.get, ids=[MANIFEST_ID], include=["metadatas"])
        metas = got.get("metadatas") or []
        if not got["ids"] or not metas or not metas[0]:
            return None
        return int(metas[0].get("generation", 0))

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """One upsert of one record: readers see the old manifest or the new one."""
        doc = json.dumps(manifest, separators=(",", ":"), sort_keys=True)
        self._call(
            self.meta.upsert,
            ids=[MANIFEST_ID],
            embeddings=[[1.0]],
            documents=[doc],
            metadatas=[{"generation": int(manifest["generation"])}],
        )

    def all_ids(self) -> set[str]:
        """Every stored chunk id."""
        out: set[str] = set()
        offset = 0
        while True:
            got = self._call(self.chunks.get, include=[], limit=_PAGE * 5, offset=offset)
            out.update(got["ids"])
            if len(got["ids"]) < _PAGE * 5:
                return out
            offset += _PAGE * 5

    def existing(self, ids: Sequence[str]) -> set[str]:
        """Which of these ids are stored."""
        out: set[str] = set()
        for batch in _batches(list(ids), _PAGE * 5):
            out.update(self._call(self.chunks.get, ids=batch, include=[])["ids"])
        return out

    def add(self, ids: Ids, embeddings: np.ndarray, docs: Texts, metas: Metadatas) -> None:
        """Upsert chunks in pages."""
        for s in range(0, len(ids), _PAGE):
            self._call(
                self.chunks.upsert,
                ids=list(ids[s : s + _PAGE]),
                embeddings=np.asarray(embeddings[s : s + _PAGE], dtype=np.float32),
                documents=list(docs[s : s + _PAGE]),
                metadatas=list(metas[s : s + _PAGE]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        """Delete chunks in pages."""
        for batch in _batches(list(ids), _PAGE):
            self._call(self.chunks.delete, ids=batch)

    def get(self, ids: Sequence[str], embeddings: bool = False) -> list[StoredChunk]:
        """Fetch chunks by id, in pages, in the order asked."""
        include = ["documents", "metadatas"] + (["embeddings"] if embeddings else [])
        found: dict[str, StoredChunk] = {}
        for batch in _batches(list(ids), _PAGE):
            found.update(self._unpack(self._call(self.chunks.get, ids=batch, include=include)))
        return [found[i] for i in ids if i in found]

    def find_by_embed_key(self, keys: Sequence[str]) -> dict[str, StoredChunk]:
        """Reusable vectors by embed key."""
        out: dict[str, StoredChunk] = {}
        for batch in _batches(list(dict.fromkeys(keys)), 500):
            got = self._call(
                self.chunks.get,
                where={"ek": {"$in": batch}},
                include=["documents", "metadatas", "embeddings"],
            )
            for ch in self._unpack(got).values():
                out.setdefault(str(ch.metadata.get("ek")), ch)
        return out

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Nearest ids by cosine similarity (1 - cosine distance)."""
        got = self._call(
            self.chunks.query,
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=n,
            include=["distances"],
        )
        ids = got["ids"][0] if got["ids"] else []
        dists = got["distances"][0] if got.get("distances") else []
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def ping(self) -> bool:
        """True when the server or the embedded store answers."""
        try:
            self.client.heartbeat()
            return True
        except Exception:
            return False

    @staticmethod
    def _unpack(got: dict[str, Any]) -> dict[str, StoredChunk]:
        embs: Any = got.get("embeddings")
        has_emb = embs is not None and len(embs) > 0
        out = {}
        for k, cid in enumerate(got["ids"]):
            out[cid] = StoredChunk(
                id=cid,
                text=(got.get("documents") or [""] * (k + 1))[k] or "",
                metadata=dict((got.get("metadatas") or [{}] * (k + 1))[k] or {}),
                embedding=np.asarray(embs[k], dtype=np.float32) if has_emb else None,
            )
        return out

    def _call(self, fn: Any, **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"Chroma call {getattr(fn, '__name__', fn)} failed: {exc}") from exc


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for s in range(0, len(items), size):
        yield items[s : s + size]
