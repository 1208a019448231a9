"""Request and response models of the HTTP API (they shape the OpenAPI docs at /docs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from assistant.models import Answer, Citation, Route, SourceRef

__all__ = [
    "MAX_TEXT",
    "SESSION_PATTERN",
    "ChatMessage",
    "ChatRequest",
    "ChatResponse",
    "ErrorBody",
    "ErrorResponse",
    "FeedbackRequest",
    "FeedbackResponse",
    "Health",
    "OpenAIChatRequest",
    "OpenAIMessage",
    "Readiness",
    "SearchHit",
    "SearchResponse",
    "VettedExtra",
    "check_utf8",
    "error_responses",
]

MAX_TEXT = 20000  # the largest server.max_message_chars allows; the configured limit is checked
# by the chat service (an over-long message is screened for risk first); the schema shows it
SESSION_PATTERN = r"^[A-Za-z0-9_.:-]{1,100}$"


def check_utf8(value: Any, where: str = "body") -> None:
    """Raise a validation error when any string in `value` cannot be encoded as UTF-8.

    JSON may carry lone UTF-16 surrogates ("\\ud800"); they are not text, and the tokenizer
    would fail on them deep inside a shared batch.
    """
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise PydanticCustomError(
                "invalid_text",
                "{where} is not valid Unicode text (it contains a lone surrogate)",
                {"where": where},
            ) from None
    elif isinstance(value, dict):
        for k, v in value.items():
            check_utf8(k, where)
            check_utf8(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            check_utf8(v, f"{where}[{i}]")


_WHEN = {
    400: "The body is not JSON (`invalid_json`), or an unsupported OpenAI option.",
    401: "API keys are configured and the key is wrong or missing.",
    404: "No logged reply has this message_id (`unknown_message_id`).",
    413: "The body is larger than server.max_body_bytes (`body_too_large`).",
    422: "A field is missing or invalid: blank or too long text, text that is not valid "
    "Unicode (`invalid_text`), a conversation that does not end with a user turn, a bad "
    "session_id.",
    429: "Over the per-client rate limit; `Retry-After` gives the seconds to wait.",
    500: "A bug; logged server-side, no detail sent.",
    503: "No index yet, or the vector store or log database is unreachable.",
    504: "The answer took longer than server.request_timeout_s.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, each with the one error shape."""
    return {c: {"model": ErrorResponse, "description": _WHEN[c]} for c in codes}


class _Utf8Checked(BaseModel):
    """Rejects (422) any string in the request that is not valid Unicode."""

    @model_validator(mode="before")
    @classmethod
    def _utf8(cls, data: Any) -> Any:
        check_utf8(data)
        return data


class ChatMessage(BaseModel):
    """One chat turn."""

    role: Literal["user", "assistant", "system"] = Field(description="Who said it.")
    content: str = Field(
        min_length=1,
        max_length=MAX_TEXT,
        pattern=r"\S",
        description="What was said: not blank, at most server.max_message_chars characters.",
    )


class ChatRequest(_Utf8Checked):
    """A conversation; the assistant answers its last user message."""

    model_config = ConfigDict(extra="forbid")

    messages: list[ChatMessage] = Field(
        min_length=1,
        max_length=50,
        description="The conversation so far, oldest first; ends with a user turn (else 422).",
    )
    session_id: str | None = Field(
        None,
        pattern=SESSION_PATTERN,
        description="Optional id grouping a visitor's turns in the conversation log "
        "(IPs, phone numbers and long digit runs in it are masked before storage).",
    )


class ChatResponse(Answer):
    """The Answer contract plus the id to send feedback for."""

    message_id: str = Field(description="Id of this reply, for POST /v1/feedback.")
    backend: str = Field(
        "extractive",
        description="What wrote the answer text: 'extractive', or the LLM backend used.",
    )


class FeedbackRequest(_Utf8Checked):
    """A visitor's thumbs up or down on one reply."""

    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(min_length=1, max_length=64, description="From the chat response.")
    rating: Literal["up", "down"] = Field(description="Thumbs up or down.")
    comment: str | None = Field(
        None, max_length=2000, description="Optional free text (e-mails and phones redacted)."
    )


class FeedbackResponse(BaseModel):
    """Feedback was stored."""

    ok: bool = Field(True, description="Always true on success.")
    message_id: str = Field(description="The reply the feedback is about.")


class SearchHit(SourceRef):
    """One ranked passage."""

    rank: int = Field(description="1 is best.")
    text: str = Field(description="The passage, verbatim.")
    score: float = Field(description="Cosine similarity of the passage to the query (0-1).")
    bm25: float = Field(description="BM25 score of the passage (0 when not a BM25 candidate).")
    fused: float = Field(description="Reciprocal-rank-fusion score used for the ranking.")


class SearchResponse(BaseModel):
    """Ranked passages for a query."""

    query: str = Field(description="The query as received.")
    hits: list[SearchHit] = Field(description="Best first.")


class Health(BaseModel):
    """Liveness."""

    status: Literal["ok"] = Field("ok", description="The process is serving requests.")


class Readiness(BaseModel):
    """Readiness: the index is loaded and the vector store answers."""

    status: Literal["ready", "not_ready"] = Field(description="Overall readiness.")
    index_loaded: bool = Field(description="A live index snapshot is in memory.")
    store_reachable: bool = Field(description="The vector store answered a heartbeat.")
    passages: int = Field(0, description="Passages in the live index.")
    answers: str = Field(
        "ok",
        description="'ok', or 'degraded' when the configured LLM is unreachable and answers "
        "fall back to the extractive composer.",
    )
    detail: str = Field("", description="Why answers are degraded, or why not ready.")
    loading: bool = Field(False, description="The index and model are still loading.")
    startup_s: float | None = Field(
        None,
        description="Seconds from process start until the index and model were loaded.",
    )


class ErrorBody(BaseModel):
    """What went wrong, with no stack trace."""

    type: str = Field(description="Error class, e.g. invalid_request_error, rate_limit_error.")
    code: str = Field(description="Machine-readable code, e.g. message_too_long.")
    message: str = Field(description="A sentence meant for people.")
    status: int = Field(description="The HTTP status code.")


class ErrorResponse(BaseModel):
    """Every error response (same shape as OpenAI's, so its SDK reads it)."""

    error: ErrorBody


# -- OpenAI-compatible ------------------------------------------------------------------------
class OpenAIMessage(BaseModel):
    """An OpenAI chat message; content may be a string or a list of text parts."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class OpenAIChatRequest(_Utf8Checked):
    """The subset of the OpenAI chat completions request that the assistant uses."""

    model_config = ConfigDict(extra="allow")

    model: str | None = Field(None, description="Ignored: there is one assistant.")
    messages: list[OpenAIMessage] = Field(min_length=1, description="The conversation.")
    stream: bool = Field(False, description="Send chat.completion.chunk events (SSE).")
    n: int = Field(1, description="Only 1 is supported.")
    user: str | None = Field(None, description="Used as the session id of the log.")


class VettedExtra(BaseModel):
    """Extra field `vetted` of OpenAI-compatible responses: what a plain client cannot show."""

    route: Route = Field(description="How the message was handled.")
    citations: list[Citation] = Field(description="Numbered sources of the answer.")
    disclaimer: str = Field(description="Shown with every reply.")
    message_id: str = Field(description="Id of this reply, for POST /v1/feedback.")
