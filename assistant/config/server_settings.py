"""Settings of the HTTP server: binding, keys, limits, the conversation log, batching."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr

__all__ = ["LOOPBACK_HOSTS", "ServerSettings"]

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
        8000,
        ge=1,
        le=20000,
        description="Longest single message accepted (a long post from someone in distress "
        "fits); a longer one is still scanned for risk, then gets 422 unless it needs the "
        "emergency or crisis reply.",
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
    database_url: SecretStr | None = Field(
        None,
        description="Database of the conversation log, feedback and shared rate limits, e.g. "
        "postgresql://user:password@db-host/assistant, so several workers or hosts share them "
        "(rate limits are then shared too). Empty: the SQLite file log_db, and rate limits "
        "per process.",
    )
    log_retention_days: int = Field(
        90,
        ge=0,
        le=3650,
        description="Delete logged messages and feedback older than this many days, at start "
        "and then daily; 0 keeps them forever.",
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
