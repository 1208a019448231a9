"""Optional LLM answers through LangChain, every sentence behind the output gate."""

from __future__ import annotations

import os

from assistant.compose.llm.backend import GatedLLMBackend, LLMStats, http_probe
from assistant.config.prompts import Prompts
from assistant.config.settings import LLMSettings
from assistant.pipeline.contracts import AnswerBackend, Health, OutputGate

__all__ = [
    "AnswerBackend",
    "GatedLLMBackend",
    "Health",
    "LLMStats",
    "build_llm_backend",
]


def build_llm_backend(
    settings: LLMSettings, gate: OutputGate, prompts: Prompts
) -> GatedLLMBackend | None:
    """The configured LLM backend, or None for the extractive default."""
    if settings.backend == "extractive":
        return None
    from assistant.compose.llm.chain import build_chain  # langchain: only with an LLM
    from assistant.compose.llm.models import build_chat_model, probe_url

    chain = build_chain(build_chat_model(settings), lambda: prompts.get("llm_system"))
    key = os.environ.get(settings.api_key_env, "") if settings.backend == "openai" else ""
    probe = http_probe(probe_url(settings), min(2.0, settings.timeout_s), key)
    return GatedLLMBackend(settings.backend, chain, gate, settings, probe)
