"""One typed settings tree. Every field can be overridden by an env var: VA_<SECTION>__<FIELD>.

The sections live in `sections.py`, `server_settings.py` and `guard_settings.py`; calibrated
defaults come from `calibration.yaml` (with their provenance); `checks.py` refuses unsafe values.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.config.checks import check_guardrails, check_llm, check_server
from assistant.config.guard_settings import GuardrailSettings, LLMSettings
from assistant.config.sections import (
    ComposerSettings,
    CorpusSettings,
    EmbeddingSettings,
    RetrievalSettings,
    SafetySettings,
    StoreSettings,
)
from assistant.config.server_settings import ServerSettings

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
        check_server(self.server)
        check_guardrails(self.guardrails)
        check_llm(self.llm, self.retrieval.top_k)
        return self
