"""GET /v1/search: ranked passages for integrators who build their own UI."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from assistant.interfaces.api.deps import Ctx
from assistant.interfaces.api.errors import ApiError
from assistant.interfaces.api.schemas import MAX_TEXT, SearchHit, SearchResponse, error_responses

__all__ = ["router"]

router = APIRouter(tags=["search"])


@router.get(
    "/v1/search",
    response_model=SearchResponse,
    responses=error_responses(401, 413, 422, 429, 500, 503, 504),
)
async def search(
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            pattern=r"\S",
            description="The query: not blank, at most server.max_message_chars characters.",
        ),
    ],
    ctx: Ctx,
    k: Annotated[int, Query(ge=1, le=20, description="How many passages.")] = 5,
) -> SearchResponse:
    """Ranked passages with scores (no rails, no composing)."""
    try:
        q.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(422, "invalid_text", "q is not valid Unicode text") from None
    hits = await ctx.run(ctx.chat.search, q, k)
    return SearchResponse(
        query=q,
        hits=[
            SearchHit(
                rank=i,
                text=h.passage.text,
                score=round(h.dense, 4),
                bm25=round(h.bm25, 4),
                fused=round(h.fused, 6),
                **h.passage.source(),
            )
            for i, h in enumerate(hits, 1)
        ],
    )
