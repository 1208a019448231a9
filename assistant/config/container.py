"""Choose and build every backend in one place; heavy parts load only when used."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.index.store import ChromaStore
    from assistant.pipeline.contracts import Embedder
    from assistant.pipeline.service import AnswerService

__all__ = [
    "build_app",
    "build_services",
    "build_store",
    "check_first_run",
    "derived_cache_path",
]


def derived_cache_path(settings: Settings) -> Path:
    """Folder of the on-disk derived-vector cache (default: beside the embedded store)."""
    if settings.embedding.cache_path is not None:
        return settings.embedding.cache_path
    return settings.store.path.parent / "derived"


def build_store(settings: Settings, embedder: Embedder | None = None) -> ChromaStore:
    """The vector store alone (no model): enough to read the manifest."""
    from assistant.index.store import ChromaStore, make_chroma_client

    return ChromaStore(make_chroma_client(settings.store), settings.store.collection, embedder)


def build_services(settings: Settings, batching: bool = False) -> AnswerService:
    """The answer service with the backends the settings choose.

    `batching=True` (the server) runs concurrent questions through one forward pass.
    The query encoder loads here (the rails need it); torch loads on the first ingest.
    """
    from assistant.compose.extractive import ExtractiveComposer
    from assistant.compose.lead_bank import LeadBank
    from assistant.compose.question_types import QuestionTypes
    from assistant.config.prompts import Prompts
    from assistant.guard import build_guardrails
    from assistant.index.batching import BatchingEmbedder
    from assistant.index.derived_cache import DerivedCache
    from assistant.index.embeddings import default_model_path
    from assistant.index.query_encoder import build_embedder
    from assistant.ingest.pipeline import IngestService
    from assistant.pipeline.index_manager import IndexManager
    from assistant.pipeline.service import AnswerService
    from assistant.retrieve.answer_model import AnswerabilityModel
    from assistant.retrieve.answerability import (
        Answerability,
        TopicWords,
        english_lexicon,
        load_lay_terms,
        load_spellings,
    )
    from assistant.retrieve.article_dates import ArticleDates
    from assistant.retrieve.aspects import Aspects
    from assistant.retrieve.broad import BroadQuestions
    from assistant.retrieve.contrasts import Contrasts, load_kinds
    from assistant.retrieve.everyday_typos import ENGLISH
    from assistant.retrieve.hybrid import HybridRetriever
    from assistant.retrieve.statements import Statements

    embedder: Any = build_embedder(settings.embedding)
    embedder.derived_cache = DerivedCache(derived_cache_path(settings))
    store = build_store(settings, embedder)
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
    r = settings.retrieval
    answerability = Answerability(
        r.synonym_threshold,
        r.centrality_threshold,
        model=AnswerabilityModel.load(),
        aspects=Aspects.load(settings.prompts_path / "answerability" / "aspects.yaml"),
        topic_words=TopicWords.load(),
        broad=BroadQuestions.load(settings.prompts_path / "answerability" / "broad.yaml"),
        dates=ArticleDates.load(settings.prompts_path / "answerability" / "article_dates.yaml"),
        types=QuestionTypes.load(settings.prompts_path / "answerability" / "question_types.yaml"),
        statements=Statements.load(settings.prompts_path / "answerability" / "asking.yaml"),
        frequencies=ENGLISH,
        typo_min_zipf=r.typo_min_zipf,
        typo_gap=r.typo_gap,
        typo_margin=r.typo_margin,
        lexicon=english_lexicon(
            (settings.embedding.model_path or default_model_path()) / "vocab.txt"
        ),
        spellings=load_spellings(settings.prompts_path / "answerability" / "spellings.yaml"),
        lay_terms=load_lay_terms(settings.prompts_path / "answerability" / "lay_terms.yaml"),
        contrasts=Contrasts(*load_kinds(settings.prompts_path / "answerability" / "kinds.yaml")),
    )
    # The rails embed the visitor's message through the same (batching, cached) embedder,
    # so the retrieval step finds that vector in the cache. They read the live index, which
    # is built next (the lambda looks `index` up when a rail first needs it).
    guard = build_guardrails(settings, query_embedder, prompts, lambda: index.snapshot())
    ingester = IngestService(store, embedder, scanner=guard.scanner)
    index = IndexManager(settings, store, ingester, query_embedder, answerability)
    llm = None
    if settings.llm.backend != "extractive":
        from assistant.compose.llm import build_llm_backend  # langchain: only with an LLM

        llm = build_llm_backend(settings.llm, guard.gate, prompts)
    return AnswerService(
        settings=settings,
        index=index,
        embedder=query_embedder,
        retriever=HybridRetriever(store, r),
        composer=ExtractiveComposer(
            settings.composer,
            r,
            guard.gate.why_not,
            answerability.types,
            bank=LeadBank.load(None, c.lead_bank_floor, c.lead_bank_weight, query_embedder.model_id)
            if (c := settings.composer).lead_bank
            else None,
        ),
        prompts=prompts,
        answerability=answerability,
        rails=guard.rails,
        gate=guard.gate,
        llm=llm,
    )


def check_first_run(settings: Settings) -> None:
    """Before the first auto-ingest, validate the corpus: one that fails creates no store."""
    first_run = settings.store.mode == "embedded" and not settings.store.path.exists()
    if first_run and settings.corpus.auto_ingest:
        from assistant.corpus.articles import load_corpus

        load_corpus(settings.corpus.path)  # every error at once, before any store is opened


def build_app(settings: Settings) -> FastAPI:
    """The web app (API, chat UI, widget); the index and model load in a background thread.

    The load starts before the web modules are imported, so both proceed at once; `/healthz`
    answers as soon as the server listens, `/readyz` turns ready when the load has finished.
    """
    from assistant.config.startup import ServiceLoader

    loader = ServiceLoader(load=lambda: _load(settings))
    loader.start()
    from assistant.interfaces.api import create_app

    return create_app(None, settings, loader=loader)


def _load(settings: Settings) -> AnswerService:
    """Build the batching service and load the index (ingests corpus/ on first run)."""
    check_first_run(settings)
    service = build_services(settings, batching=True)
    service.snapshot()
    return service
