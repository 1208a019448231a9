"""Build the LangChain chat model that the settings choose, and its health-probe URL."""

from __future__ import annotations

import os
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.config.settings import LLMSettings
from assistant.errors import ConfigError

__all__ = ["OLLAMA_URL", "build_chat_model", "probe_url"]

OLLAMA_URL = "http://127.0.0.1:11434"


def _openai(s: LLMSettings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError:  # pragma: no cover - the llm extra is missing
        raise ConfigError("llm.backend=openai needs `pip install vetted-assistant[llm]`") from None
    from pydantic import SecretStr

    key = os.environ.get(s.api_key_env, "") or "not-needed"
    kwargs: dict[str, Any] = {}
    if s.token_limit_field == "max_tokens":
        # langchain-openai sends max_tokens as max_completion_tokens, which llama.cpp-style
        # servers may ignore; send the field they honour in the request body instead.
        kwargs["extra_body"] = {"max_tokens": s.max_tokens}
    else:
        kwargs["max_tokens"] = s.max_tokens
    return ChatOpenAI(
        model=s.model,
        base_url=s.base_url,
        api_key=SecretStr(key),
        temperature=s.temperature,
        timeout=s.timeout_s,
        max_retries=0,  # retries are ours: only before any output, within the deadline
        streaming=True,
        **kwargs,
    )


def _ollama(s: LLMSettings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError:  # pragma: no cover - the llm extra is missing
        raise ConfigError("llm.backend=ollama needs `pip install vetted-assistant[llm]`") from None
    return ChatOllama(
        model=s.model,
        base_url=s.base_url or OLLAMA_URL,
        temperature=s.temperature,
        num_predict=s.max_tokens,
        client_kwargs={"timeout": s.timeout_s},
    )


def build_chat_model(s: LLMSettings) -> BaseChatModel:
    """The chat model for llm.backend (openai or ollama)."""
    if s.backend == "openai":
        return _openai(s)
    if s.backend == "ollama":
        return _ollama(s)
    raise ConfigError(f"llm.backend={s.backend!r} has no chat model")


def probe_url(s: LLMSettings) -> str:
    """A cheap GET that answers 200 when the server is up."""
    if s.backend == "ollama":
        return (s.base_url or OLLAMA_URL).rstrip("/") + "/api/tags"
    return (s.base_url or "").rstrip("/") + "/models"
