"""POST /v1/chat and POST /v1/chat/stream (Server-Sent Events)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.interfaces.api.deps import Ctx, WebContext, sse
from assistant.interfaces.api.errors import ApiError
from assistant.interfaces.api.schemas import ChatRequest, ChatResponse, ErrorResponse
from assistant.pipeline.streaming import Delta, Final, StreamEvent

__all__ = ["event_stream", "router"]

router = APIRouter(tags=["chat"])

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 413, 422, 429, 503, 504)
}


@router.post("/v1/chat", response_model=ChatResponse, responses=ERRORS)
async def chat(body: ChatRequest, ctx: Ctx) -> ChatResponse:
    """Answer the last user message; returns the Answer contract plus a message_id."""
    msgs = [m.model_dump() for m in body.messages]
    logged = await ctx.run(ctx.chat.ask, msgs, body.session_id, "api")
    return ChatResponse(
        **logged.answer.model_dump(),
        message_id=logged.message_id,
        backend=logged.answer.backend,
    )


async def event_stream(
    ctx: WebContext, events: Iterator[StreamEvent], first: StreamEvent | None
) -> AsyncIterator[bytes]:
    """`delta` events ({"text"}), then one `final` event (ChatResponse), or an `error`."""
    event = first
    try:
        while event is not None:
            if isinstance(event, Delta):
                yield sse("delta", {"text": event.text})
            elif isinstance(event, Final):
                final = ChatResponse(
                    **event.answer.model_dump(),
                    message_id=event.message_id or "",
                    backend=event.answer.backend,
                )
                yield sse("final", final)
            event = await ctx.run(next, events, None)
    except ApiError as exc:
        yield sse("error", {"error": {"code": exc.code, "message": exc.message}})
    except Exception:
        yield sse("error", {"error": {"code": "internal_error", "message": "internal error"}})


@router.post(
    "/v1/chat/stream",
    responses={
        **ERRORS,
        200: {
            "content": {"text/event-stream": {}},
            "description": "SSE: `delta` events {text} with gated sentences as they are "
            "composed, then one `final` event with the full ChatResponse (route, citations, "
            "disclaimer, message_id); `error` if the answer fails after the stream started.",
        },
    },
)
async def chat_stream(body: ChatRequest, ctx: Ctx) -> StreamingResponse:
    """Stream the answer sentence by sentence; only sentences that passed the output gate."""
    msgs = [m.model_dump() for m in body.messages]
    events = ctx.chat.stream(msgs, body.session_id, "stream")
    first = await ctx.run(next, events, None)  # errors before the first byte keep HTTP codes
    return StreamingResponse(
        event_stream(ctx, events, first),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
