"""GET /healthz (alive) and GET /readyz (index loaded, vector store reachable)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from assistant.interfaces.api.deps import Ctx
from assistant.interfaces.api.schemas import Health, Readiness

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive."""
    return Health()


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(ctx: Ctx) -> JSONResponse:
    """Ready when the index is loaded and the vector store answers; 503 otherwise."""
    reachable, passages = await ctx.run(ctx.chat.readiness)
    health = await ctx.run(ctx.chat.service.health)
    ok = reachable and passages > 0
    state = Readiness(
        status="ready" if ok else "not_ready",
        index_loaded=passages > 0,
        store_reachable=reachable,
        passages=passages,
        answers=health.status,
        detail=health.reason or "",
    )
    return JSONResponse(state.model_dump(), status_code=200 if state.status == "ready" else 503)
