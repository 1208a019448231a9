"""Request and response models of the HTTP API (they shape the OpenAPI docs at /docs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Answer, Citation, Message, Route

__all__ = [
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
]


class ChatRequest(BaseModel):
    """A conversation; the assistant answers its last user message."""

    model_config = ConfigDict(extra="forbid")

    messages: list[Message] = Field(
        min_length=1, description="The conversation so far, oldest first; ends with a user turn."
    )
    session_id: str | None = Field(
        None, description="Optional id grouping a visitor's turns in the conversation log."
    )


class ChatResponse(Answer):
    """The Answer contract plus the id to send feedback for."""

    message_id: str = Field(description="Id of this reply, for POST /v1/feedback.")
    backend: str = Field(
        "extractive",
        description="What wrote the answer text: 'extractive', or the LLM backend used.",
    )


class FeedbackRequest(BaseModel):
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


class SearchHit(BaseModel):
    """One ranked passage."""

    rank: int = Field(description="1 is best.")
    article_id: str = Field(description="Id of the article.")
    title: str = Field(description="Title of the article.")
    section: str = Field(description="Heading of the section.")
    version: str = Field(description="Version of the article.")
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
    detail: str = Field("", description="Why answers are degraded, if they are.")


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


class OpenAIChatRequest(BaseModel):
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
