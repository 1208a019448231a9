"""GET /v1/search: ranked passages for integrators who build their own UI."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from assistant.interfaces.api.deps import Ctx
from assistant.interfaces.api.schemas import ErrorResponse, SearchHit, SearchResponse

__all__ = ["router"]

router = APIRouter(tags=["search"])


@router.get(
    "/v1/search",
    response_model=SearchResponse,
    responses={c: {"model": ErrorResponse} for c in (401, 422, 429, 503, 504)},
)
async def search(
    q: Annotated[str, Query(description="The query.")],
    ctx: Ctx,
    k: Annotated[int, Query(ge=1, le=20, description="How many passages.")] = 5,
) -> SearchResponse:
    """Ranked passages with scores (no rails, no composing)."""
    hits = await ctx.run(ctx.chat.search, q, k)
    return SearchResponse(
        query=q,
        hits=[
            SearchHit(
                rank=i,
                article_id=h.passage.article_id,
                title=h.passage.title,
                section=h.passage.section,
                version=h.passage.version,
                text=h.passage.text,
                score=round(h.dense, 4),
                bm25=round(h.bm25, 4),
                fused=round(h.fused, 6),
            )
            for i, h in enumerate(hits, 1)
        ],
    )
