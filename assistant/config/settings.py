"""One typed settings tree. Every field can be overridden by an env var: VA_<SECTION>__<FIELD>."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "ComposerSettings",
    "CorpusSettings",
    "EmbeddingSettings",
    "GuardrailSettings",
    "LLMSettings",
    "RetrievalSettings",
    "SafetySettings",
    "ServerSettings",
    "Settings",
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
    threads: int = Field(0, ge=0, description="Torch CPU threads; 0 keeps torch's default.")


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
    relevance_floor: float = Field(
        0.45,
        description="Minimum cosine similarity of the best passage; below it the route is "
        "no_answer. bench/calibrate_floor.py on MedQuAD: every answerable question scores "
        ">= 0.56 (templated questions), held-out ones have median 0.53; 0.45 leaves room "
        "for free-form visitor wording, and the answerability checks handle the rest.",
    )
    sentence_floor: float = Field(
        0.25, description="Minimum cosine similarity of a sentence the composer may use."
    )
    synonym_threshold: float = Field(
        0.62,
        gt=0,
        lt=1,
        description="A question word the corpus never uses counts as covered when a corpus "
        "word is at least this similar to it.",
    )
    centrality_threshold: float = Field(
        0.065,
        gt=0,
        lt=1,
        description="An uncovered word makes the question no_answer when leaving it out "
        "moves the question's embedding by at least this (1 - cosine).",
    )
    answer_cache_size: int = Field(
        2048, ge=0, description="Answers to repeated questions kept in an LRU cache."
    )


class ComposerSettings(BaseModel):
    """The extractive composer (the default answer backend, no LLM)."""

    max_sentences: int = Field(4, ge=1, le=8, description="Most sentences in an answer.")
    max_passages: int = Field(3, ge=1, le=8, description="Most passages an answer may cite.")
    margin: float = Field(
        0.12, ge=0, le=1, description="Keep sentences scoring within this of the best one."
    )


class SafetySettings(BaseModel):
    """Numbers shown on escalation routes and in the disclaimer."""

    emergency_number: str = Field("911", min_length=1, description="Emergency phone number.")
    crisis_line: str = Field("988", min_length=1, description="Suicide and crisis line.")
    clinic_contact: str = Field(
        "your clinician or our clinic's care team",
        description="Who visitors are referred to for personal advice.",
    )


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class ServerSettings(BaseModel):
    """The HTTP API, chat UI and widget served by `assistant serve`."""

    host: str = Field("127.0.0.1", description="Interface to bind; non-loopback needs API keys.")
    port: int = Field(8000, ge=1, le=65535, description="TCP port to listen on.")
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host[:port]) allowed to call the API from a browser, "
        "e.g. the clinic's website that embeds the widget. Empty: same origin only.",
    )
    cors_allow_credentials: bool = Field(
        False, description="Let browsers send cookies to the API (not needed by the widget)."
    )
    api_keys: list[SecretStr] = Field(
        default_factory=list,
        description="Keys for server-to-server use, sent as 'Authorization: Bearer KEY' or "
        "'X-API-Key: KEY' (JSON list in VA_SERVER__API_KEYS). When set, a wrong key gets 401 "
        "and a valid key has its own rate-limit bucket; when empty, keys are ignored.",
    )
    require_api_key: bool = Field(
        False,
        description="Refuse /v1 requests without a valid key (turns off anonymous use by the "
        "widget and other browsers).",
    )
    rate_limit_per_minute: int = Field(
        60, ge=1, description="Sustained /v1 requests per minute per client (key or address)."
    )
    rate_limit_burst: int = Field(
        20, ge=1, description="Requests a client may send at once before the limit applies."
    )
    trust_forwarded_for: bool = Field(
        False,
        description="Take the client address from X-Forwarded-For (only behind a proxy you run).",
    )
    max_body_bytes: int = Field(
        65536, ge=1024, description="Largest request body accepted; larger gets 413."
    )
    max_message_chars: int = Field(
        2000, ge=1, le=4000, description="Longest single message accepted; longer gets 422."
    )
    request_timeout_s: float = Field(
        30.0, gt=0, le=600, description="Longest an answer may take before the API returns 504."
    )
    log_db: Path = Field(
        Path(".vetted/conversations.sqlite3"),
        description="SQLite file of the conversation log and visitor feedback (redacted, no IPs).",
    )
    log_conversations: bool = Field(
        True, description="Keep a redacted log of questions and answers for the content team."
    )
    batch_wait_ms: float = Field(
        4.0,
        ge=0,
        le=50,
        description="How long the query embedder waits to batch concurrent questions.",
    )
    max_batch: int = Field(64, ge=1, le=512, description="Most questions per batched pass.")
    max_concurrency: int = Field(
        32,
        ge=1,
        le=256,
        description="Requests answered at once; more wait for a free slot (each answer is "
        "CPU work, so more threads than this only add contention).",
    )
    ui: bool = Field(True, description="Mount the Gradio chat UI at /ui.")
    model_name: str = Field(
        "vetted-assistant", min_length=1, description="Model name reported by the OpenAI API."
    )


RailName = Literal["emergency", "crisis", "clinician", "refused", "off_topic"]
REQUIRED_RAILS: tuple[str, ...] = ("emergency", "crisis")
ALL_RAILS: tuple[RailName, ...] = ("emergency", "crisis", "clinician", "refused", "off_topic")


class GuardrailSettings(BaseModel):
    """Input rails, the output gate and the ingest scanner (see prompts/guardrails/)."""

    rails: list[RailName] = Field(
        default_factory=lambda: list(ALL_RAILS),
        description="Input rails to run, in this order; emergency and crisis cannot be removed.",
    )
    rules_path: Path = Field(
        Path("guardrails/rules.yaml"),
        description="Rules file (regex per route), relative to prompts_path unless absolute.",
    )
    exemplars_path: Path = Field(
        Path("guardrails/exemplars.yaml"),
        description="Exemplar phrases per intent, relative to prompts_path unless absolute.",
    )
    emergency_threshold: float = Field(
        0.62, description="Cosine similarity to an emergency exemplar that escalates."
    )
    crisis_threshold: float = Field(
        0.60, description="Cosine similarity to a crisis exemplar that escalates."
    )
    clinician_threshold: float = Field(
        0.62, description="Cosine similarity to a personal-advice exemplar that refers."
    )
    refused_threshold: float = Field(
        0.66, description="Cosine similarity to a misuse/jailbreak exemplar that refuses."
    )
    benign_margin: float = Field(
        0.04,
        ge=0,
        le=0.5,
        description="Clinician/refused fire by similarity only when they beat the nearest "
        "benign exemplar by this margin (emergency and crisis ignore benign exemplars).",
    )
    in_scope_threshold: float = Field(
        0.30,
        description="Below this similarity to health exemplars and to every corpus passage, "
        "and with no health word, a message is off_topic.",
    )
    history_turns: int = Field(
        3,
        ge=1,
        le=20,
        description="Recent user turns the emergency rail looks at (an emergency told a turn "
        "ago is still an emergency); crisis resources stay for the whole conversation.",
    )
    verifier_min_coverage: float = Field(
        0.75,
        description="Share of a sentence's content words that its cited passage must contain.",
    )
    verifier_model_path: Path | None = Field(
        None,
        description="JSON logistic-regression coefficients over verifier features; default: "
        "the packaged calibration (assistant/gate/verifier_lr.json).",
    )
    sentence_topic_floor: float = Field(
        0.15,
        description="A passage sentence less similar than this to the rest of its passage is "
        "treated as planted text and never quoted.",
    )
    scan_ingest: bool = Field(
        True, description="Warn at ingest about instruction-like text in articles."
    )


class LLMSettings(BaseModel):
    """Optional LLM answers (OpenAI-compatible or Ollama); every sentence passes the gate."""

    backend: Literal["extractive", "openai", "ollama"] = Field(
        "extractive",
        description="'extractive' (no LLM, the default), 'openai' (any OpenAI-compatible "
        "server: hosted, vLLM, llama.cpp) or 'ollama'.",
    )
    base_url: str | None = Field(
        None,
        description="Server URL, e.g. http://127.0.0.1:8000/v1 (openai) or "
        "http://127.0.0.1:11434 (ollama, the default for ollama).",
    )
    model: str = Field("", description="Model name the server knows.")
    api_key_env: str = Field(
        "VA_LLM_API_KEY",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Name of the environment variable holding the API key (never the key).",
    )
    timeout_s: float = Field(
        20.0, description="Wall-clock limit of one LLM attempt, connection to last token."
    )
    max_retries: int = Field(
        1, ge=0, le=3, description="Extra attempts when the server fails before any output."
    )
    max_tokens: int = Field(256, ge=16, le=4096, description="Most tokens the model may write.")
    token_limit_field: Literal["max_tokens", "max_completion_tokens"] = Field(
        "max_tokens",
        description="openai backend: request field carrying max_tokens. llama.cpp, vLLM and "
        "Ollama honour 'max_tokens'; OpenAI reasoning models need 'max_completion_tokens'.",
    )
    temperature: float = Field(0.0, description="Sampling temperature, 0 to 1.")
    max_passages: int = Field(
        3, ge=1, le=8, description="Retrieved passages given to the model, numbered [1..k]."
    )
    min_sentences_kept: int = Field(
        1,
        ge=1,
        le=8,
        description="Fewer gated sentences than this and the extractive answer is used.",
    )
    cite_uncited: bool = Field(
        False,
        description="Give a sentence the model left uncited the passage sharing most of its "
        "terms, then gate it as usual; for small models that do not write [n].",
    )
    cooldown_s: float = Field(
        30.0,
        ge=0,
        le=3600,
        description="After a failed call the LLM is skipped (extractive answers) this long.",
    )


class Settings(BaseSettings):
    """All settings of the assistant. Env vars: VA_STORE__MODE=http, VA_CORPUS__PATH=..."""

    model_config = SettingsConfigDict(
        env_prefix="VA_", env_nested_delimiter="__", extra="ignore", validate_default=True
    )

    prompts_path: Path = Field(Path("prompts"), description="Folder of editable prompt texts.")
    corpus: CorpusSettings = Field(default_factory=CorpusSettings, description="Corpus.")
    embedding: EmbeddingSettings = Field(
        default_factory=EmbeddingSettings, description="Embedding model."
    )
    store: StoreSettings = Field(default_factory=StoreSettings, description="Vector store.")
    retrieval: RetrievalSettings = Field(
        default_factory=RetrievalSettings, description="Retrieval."
    )
    composer: ComposerSettings = Field(
        default_factory=ComposerSettings, description="Extractive composer."
    )
    safety: SafetySettings = Field(default_factory=SafetySettings, description="Safety texts.")
    server: ServerSettings = Field(
        default_factory=ServerSettings, description="HTTP API, chat UI and widget."
    )
    guardrails: GuardrailSettings = Field(
        default_factory=GuardrailSettings, description="Input rails and output gate."
    )
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Optional LLM answers.")

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        """Refuse values that would let the assistant answer from irrelevant passages."""
        floor = self.retrieval.relevance_floor
        if not 0.05 <= floor < 1.0:
            raise ValueError(
                f"retrieval.relevance_floor={floor} is unsafe: it must be in [0.05, 1.0); "
                "a lower floor would answer questions the vetted content does not cover"
            )
        if not 0.0 < self.retrieval.sentence_floor < 1.0:
            raise ValueError("retrieval.sentence_floor must be in (0, 1)")
        if self.composer.max_passages > self.retrieval.top_k:
            raise ValueError("composer.max_passages cannot exceed retrieval.top_k")
        self._refuse_unsafe_server()
        self._refuse_unsafe_guardrails()
        self._refuse_unsafe_llm()
        return self

    def _refuse_unsafe_server(self) -> None:
        """Refuse server settings that would expose the API more than intended."""
        srv = self.server
        wildcard = "*" in srv.cors_origins
        if wildcard and (srv.api_keys or srv.cors_allow_credentials):
            raise ValueError(
                "server.cors_origins='*' cannot be combined with api_keys or "
                "cors_allow_credentials: any website could then call the API as your users"
            )
        for origin in srv.cors_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ValueError(
                    f"server.cors_origins entry {origin!r} must look like https://host[:port]"
                )
            if origin.endswith("/"):
                raise ValueError(f"server.cors_origins entry {origin!r} must not end with '/'")
        if srv.host not in LOOPBACK_HOSTS and not srv.api_keys:
            raise ValueError(
                f"server.host={srv.host!r} exposes the API beyond this machine: set "
                "server.api_keys, or bind 127.0.0.1 behind a reverse proxy"
            )
        if srv.require_api_key and not srv.api_keys:
            raise ValueError("server.require_api_key needs at least one entry in server.api_keys")
        if any(len(k.get_secret_value()) < 16 for k in srv.api_keys):
            raise ValueError("server.api_keys entries must be at least 16 characters long")
        if srv.rate_limit_burst > srv.rate_limit_per_minute:
            raise ValueError("server.rate_limit_burst cannot exceed server.rate_limit_per_minute")

    def _refuse_unsafe_llm(self) -> None:
        """An LLM backend needs a server and a model; sampling and limits stay sane."""
        m = self.llm
        if not 0.0 <= m.temperature <= 1.0:
            raise ValueError(
                f"llm.temperature={m.temperature} is unsafe: it must be in [0, 1]; higher "
                "values make the model invent more"
            )
        if not 0.0 < m.timeout_s <= 300.0:
            raise ValueError(f"llm.timeout_s={m.timeout_s} must be in (0, 300]")
        if m.backend == "extractive":
            return
        if m.backend == "openai" and not m.base_url:
            raise ValueError("llm.base_url is required for the openai backend")
        if m.base_url and not m.base_url.startswith(("http://", "https://")):
            raise ValueError(f"llm.base_url={m.base_url!r} must start with http:// or https://")
        if not m.model.strip():
            raise ValueError(f"llm.model is required for the {m.backend} backend")
        if m.max_passages > self.retrieval.top_k:
            raise ValueError("llm.max_passages cannot exceed retrieval.top_k")

    def _refuse_unsafe_guardrails(self) -> None:
        """Emergency and crisis rails stay on, first; thresholds stay in a sane range."""
        g = self.guardrails
        missing = [r for r in REQUIRED_RAILS if r not in g.rails]
        if missing:
            raise ValueError(
                f"guardrails.rails must include {', '.join(missing)}: disabling the "
                "emergency or crisis rail is unsafe"
            )
        if list(g.rails[:2]) != list(REQUIRED_RAILS):
            raise ValueError("guardrails.rails must start with emergency, then crisis")
        if len(set(g.rails)) != len(g.rails):
            raise ValueError("guardrails.rails lists a rail twice")
        for name in ("emergency_threshold", "crisis_threshold"):
            value = getattr(g, name)
            if not 0.3 <= value <= 0.8:
                raise ValueError(
                    f"guardrails.{name}={value} is unsafe: it must be in [0.3, 0.8]; a higher "
                    "value would miss people who need urgent help"
                )
        for name in ("clinician_threshold", "refused_threshold"):
            value = getattr(g, name)
            if not 0.3 <= value <= 0.95:
                raise ValueError(f"guardrails.{name}={value} must be in [0.3, 0.95]")
        if not 0.0 <= g.in_scope_threshold <= 0.8:
            raise ValueError("guardrails.in_scope_threshold must be in [0, 0.8]")
        if not 0.5 <= g.verifier_min_coverage <= 1.0:
            raise ValueError(
                f"guardrails.verifier_min_coverage={g.verifier_min_coverage} is unsafe: it "
                "must be in [0.5, 1.0]; lower would let unsupported sentences through"
            )
        if not 0.0 <= g.sentence_topic_floor < 0.6:
            raise ValueError("guardrails.sentence_topic_floor must be in [0, 0.6)")
