"""Choose and build every backend in one place."""

from __future__ import annotations

from .compose import ExtractiveComposer
from .embeddings import MiniLMEmbedder
from .guardrails import build_guardrails
from .ingest import IngestService
from .llm import build_llm_backend
from .prompts import Prompts
from .retrieval import HybridRetriever
from .service import AnswerService
from .settings import Settings
from .store import ChromaStore, make_chroma_client

__all__ = ["build_services"]


def build_services(settings: Settings) -> AnswerService:
    """The answer service with the backends the settings choose."""
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
    guard = build_guardrails(settings, embedder, prompts)
    service = AnswerService(
        settings=settings,
        embedder=embedder,
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
