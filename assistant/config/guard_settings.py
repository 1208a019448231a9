"""Settings of the guardrails (input rails, output gate, ingest scan) and the optional LLM."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.config.calibration import calibrated_field

__all__ = ["ALL_RAILS", "REQUIRED_RAILS", "GuardrailSettings", "LLMSettings", "RailName"]

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
    risk_model_path: Path | None = Field(
        None,
        description="Fitted risk head (.npz) over MiniLM vectors of a message and each of its "
        "sentences; default: the packaged model (python -m assistant.guard.fit_risk).",
    )
    emergency_threshold: float | None = Field(
        None,
        description="Learned emergency probability that sends the emergency reply; default: "
        "the cut-off calibrated on the dev split and stored with the model.",
    )
    crisis_threshold: float | None = Field(
        None,
        description="Learned crisis probability that sends the crisis reply; default: the "
        "cut-off calibrated on the dev split and stored with the model.",
    )
    clinician_threshold: float = calibrated_field("guardrails.clinician_threshold")
    refused_threshold: float = calibrated_field("guardrails.refused_threshold")
    benign_margin: float = calibrated_field("guardrails.benign_margin", ge=0, le=0.5)
    in_scope_threshold: float = calibrated_field("guardrails.in_scope_threshold")
    history_turns: int = Field(
        3,
        ge=1,
        le=20,
        description="Earlier user turns whose risk adds to a medium-risk message (two risky "
        "messages in a row escalate); resources stay visible for the whole conversation.",
    )
    verifier_min_coverage: float = calibrated_field("guardrails.verifier_min_coverage")
    verifier_model_path: Path | None = Field(
        None,
        description="JSON logistic-regression coefficients over verifier features; default: "
        "the packaged calibration (assistant/gate/verifier_lr.json).",
    )
    sentence_topic_floor: float = calibrated_field("guardrails.sentence_topic_floor")
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
