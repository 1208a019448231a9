"""Choose and build every backend in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.compose.extractive import ExtractiveComposer
from assistant.compose.llm import build_llm_backend
from assistant.config.prompts import Prompts
from assistant.config.settings import Settings
from assistant.guard import build_guardrails
from assistant.index.batching import BatchingEmbedder
from assistant.index.embeddings import Embedder, MiniLMEmbedder
from assistant.index.store import ChromaStore, make_chroma_client
from assistant.ingest.pipeline import IngestService
from assistant.pipeline.service import AnswerService
from assistant.retrieve.hybrid import HybridRetriever

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["build_app", "build_services"]


def build_services(settings: Settings, batching: bool = False) -> AnswerService:
    """The answer service with the backends the settings choose.

    `batching=True` (the server) runs concurrent questions through one forward pass.
    """
    embedder = MiniLMEmbedder(
        settings.embedding.model_path,
        batch_size=settings.embedding.batch_size,
        cache_size=settings.embedding.query_cache_size,
        threads=settings.embedding.threads,
    )
    store = ChromaStore(make_chroma_client(settings.store), settings.store.collection, embedder)
    prompts = Prompts(
        settings.prompts_path,
        defaults={
            "emergency_number": settings.safety.emergency_number,
            "crisis_line": settings.safety.crisis_line,
            "clinic_contact": settings.safety.clinic_contact,
        },
    )
    query_embedder: Embedder = embedder
    if batching:
        query_embedder = BatchingEmbedder(
            embedder, settings.server.batch_wait_ms, settings.server.max_batch
        )
    # The rails embed the visitor's message through the same (batching, cached) embedder,
    # so the retrieval step finds that vector in the cache.
    guard = build_guardrails(settings, query_embedder, prompts)
    service = AnswerService(
        settings=settings,
        embedder=query_embedder,
        store=store,
        retriever=HybridRetriever(store, settings.retrieval),
        composer=ExtractiveComposer(settings.composer, settings.retrieval),
        prompts=prompts,
        ingester=IngestService(store, embedder, scanner=guard.scanner),
        rails=guard.rails,
        gate=guard.gate,
        llm=build_llm_backend(settings.llm, guard.gate, prompts),
    )
    guard.bind(service.snapshot)
    return service


def build_app(settings: Settings) -> FastAPI:
    """The web app (API, chat UI, widget) over a batching answer service; index loaded."""
    from assistant.interfaces.api import create_app

    service = build_services(settings, batching=True)
    service.snapshot()  # ingests corpus/ on first run, and loads the index before serving
    return create_app(service, settings)
