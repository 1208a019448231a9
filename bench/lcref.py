"""LangChain references over the same MiniLM: an `Embeddings` wrapper and a Chroma vector store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

__all__ = ["EncodeEmbeddings", "FastEmbeddings", "lc_chroma"]


class EncodeEmbeddings(Embeddings):
    """Our MiniLM through `SentenceTransformer.encode`, as LangChain's HuggingFace wrapper does."""

    def __init__(self, model: Any, batch_size: int = 32) -> None:
        self.model = model
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Normalised document vectors."""
        vecs = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True)
        return np.asarray(vecs, dtype=np.float32).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        """One normalised query vector."""
        vec = self.model.encode(text, normalize_embeddings=True)
        return np.asarray(vec, dtype=np.float32).tolist()  # type: ignore[no-any-return]


class FastEmbeddings(Embeddings):
    """Our MiniLM through our own forward pass (MiniLMEmbedder), without its query cache."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray]) -> None:
        self.embed = embed

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Normalised document vectors."""
        return self.embed(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        """One normalised query vector."""
        return self.embed([text])[0].tolist()  # type: ignore[no-any-return]


def lc_chroma(client: Any, name: str, embeddings: Embeddings) -> Any:
    """A langchain-chroma store on an existing Chroma client, cosine space, our embeddings."""
    from langchain_chroma import Chroma

    return Chroma(
        collection_name=name,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )
