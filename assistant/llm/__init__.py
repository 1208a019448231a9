"""Optional LLM answers through LangChain, every sentence behind the output gate."""

from __future__ import annotations

import os

from ..contracts import OutputGate
from ..prompts import Prompts
from ..settings import LLMSettings
from .backend import AnswerBackend, GatedLLMBackend, Health, LLMStats, http_probe

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
    from .chain import build_chain  # langchain: imported only with an LLM backend
    from .models import build_chat_model, probe_url

    chain = build_chain(build_chat_model(settings), lambda: prompts.get("llm_system"))
    key = os.environ.get(settings.api_key_env, "") if settings.backend == "openai" else ""
    probe = http_probe(probe_url(settings), min(2.0, settings.timeout_s), key)
    return GatedLLMBackend(settings.backend, chain, gate, settings, probe)
