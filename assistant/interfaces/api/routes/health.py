"""GET /healthz (alive, at once) and GET /readyz (index and model loaded, store reachable)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from assistant.interfaces.api.deps import Ctx
from assistant.interfaces.api.schemas import Health, Readiness

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive (answers as soon as the server is up, while the model loads)."""
    return Health()


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(ctx: Ctx, request: Request) -> JSONResponse:
    """Ready when the index and model are loaded and the vector store answers; 503 otherwise.

    `startup_s` is how long after the process started the index and model were ready.
    """
    loader = getattr(request.app.state, "loader", None)
    if loader is not None and loader.service is None:
        state = Readiness(
            status="not_ready",
            index_loaded=False,
            store_reachable=False,
            loading=loader.loading,
            detail=loader.error or "starting: loading the index and model",
        )
        return JSONResponse(state.model_dump(), status_code=503)
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
        startup_s=loader.startup_s if loader is not None else None,
    )
    return JSONResponse(state.model_dump(), status_code=200 if state.status == "ready" else 503)
