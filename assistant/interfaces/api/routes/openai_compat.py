"""POST /v1/chat/completions and GET /v1/models: OpenAI-compatible, for existing clients."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, StreamingResponse

from assistant.interfaces.api.deps import Ctx, WebContext, sse
from assistant.interfaces.api.errors import ApiError
from assistant.interfaces.api.schemas import (
    ErrorResponse,
    OpenAIChatRequest,
    OpenAIMessage,
    VettedExtra,
)
from assistant.interfaces.markdown import trailer_markdown
from assistant.models import Answer
from assistant.pipeline.streaming import Delta, Final, StreamEvent

__all__ = ["router", "to_messages"]

router = APIRouter(tags=["openai"])


def _text(content: str | list[dict[str, Any]] | None) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise ApiError(400, "unsupported_content", "only text content parts are supported")
        parts.append(part["text"])
    return "\n".join(parts)


def to_messages(messages: list[OpenAIMessage]) -> list[dict[str, str]]:
    """OpenAI messages as {role, content}: developer is system; tool turns are dropped."""
    out = []
    for m in messages:
        if m.role in ("tool", "function"):
            continue
        role = "system" if m.role == "developer" else m.role
        out.append({"role": role, "content": _text(m.content)})
    return out


def _extra(answer: Answer, message_id: str) -> dict[str, Any]:
    return VettedExtra(
        route=answer.route,
        citations=answer.citations,
        disclaimer=answer.disclaimer,
        message_id=message_id,
    ).model_dump()


def _chunk(cid: str, model: str, created: int, delta: dict[str, Any], finish: str | None = None,
           extra: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    body: dict[str, Any] = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if extra is not None:
        body["vetted"] = extra
    return body


async def _chunks(
    ctx: WebContext, events: Iterator[StreamEvent], first: StreamEvent | None, model: str
) -> AsyncIterator[bytes]:
    """chat.completion.chunk events; the last one carries `vetted`; then [DONE]."""
    created = int(time.time())
    cid = f"chatcmpl-{uuid.uuid4().hex}"
    event = first
    yield sse(None, _chunk(cid, model, created, {"role": "assistant", "content": ""}))
    try:
        while event is not None:
            if isinstance(event, Delta):
                yield sse(None, _chunk(cid, model, created, {"content": event.text}))
            elif isinstance(event, Final):
                mid = event.message_id or ""
                trailer = trailer_markdown(event.answer)
                yield sse(None, _chunk(cid, model, created, {"content": trailer}))
                extra = _extra(event.answer, mid)
                yield sse(None, _chunk(cid, model, created, {}, "stop", extra))
            event = await ctx.run(next, events, None)
    except ApiError as exc:
        yield sse(None, {"error": {"type": "api_error", "code": exc.code, "message": exc.message}})
    except Exception:
        yield sse(None, {"error": {"type": "api_error", "code": "internal_error",
                                   "message": "internal error"}})  # fmt: skip
    yield b"data: [DONE]\n\n"


@router.post(
    "/v1/chat/completions",
    response_model=None,
    responses={c: {"model": ErrorResponse} for c in (400, 401, 413, 422, 429, 503, 504)},
)
async def chat_completions(body: OpenAIChatRequest, ctx: Ctx) -> JSONResponse | StreamingResponse:
    """OpenAI chat completions; `content` includes sources and disclaimer, and the extra
    field `vetted` has route, citations, disclaimer and message_id."""
    if body.n != 1:
        raise ApiError(400, "unsupported_n", "only n=1 is supported")
    msgs = to_messages(body.messages)
    model = ctx.settings.server.model_name
    if body.stream:
        events = ctx.chat.stream(msgs, body.user, "openai")
        first = await ctx.run(next, events, None)
        return StreamingResponse(
            _chunks(ctx, events, first, model),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    logged = await ctx.run(ctx.chat.ask, msgs, body.user, "openai")
    answer = logged.answer
    content = answer.answer + trailer_markdown(answer)
    return JSONResponse(
        {
            "id": f"chatcmpl-{logged.message_id}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "vetted": _extra(answer, logged.message_id),
        }
    )


@router.get("/v1/models")
async def models(ctx: Ctx) -> dict[str, Any]:
    """The one model, so clients that list models first work unchanged."""
    return {
        "object": "list",
        "data": [
            {
                "id": ctx.settings.server.model_name,
                "object": "model",
                "created": 0,
                "owned_by": "vetted-assistant",
            }
        ],
    }
