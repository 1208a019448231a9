"""The FastAPI app: routes, error handlers, safety middleware and the mounted chat UI."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import RedirectResponse

from assistant import __version__
from assistant.config.settings import Settings
from assistant.interfaces.api.deps import WebContext
from assistant.interfaces.api.errors import CatchAll, install_error_handlers
from assistant.interfaces.api.routes import chat, feedback, health, openai_compat, search, static
from assistant.interfaces.api.security import BodySizeLimit, RateLimiter, add_cors, guard
from assistant.interfaces.chat import ChatService
from assistant.interfaces.log import ConversationLog
from assistant.pipeline.service import AnswerService

__all__ = ["create_app"]

DESCRIPTION = """Answers only from the clinic's vetted articles, with numbered citations.

Every reply carries a `route` (answer, no_answer, clinician, emergency, crisis, off_topic,
refused) and a disclaimer. Errors are JSON: `{"error": {"type", "code", "message", "status"}}`.
"""


def create_app(
    service: AnswerService, settings: Settings, log: ConversationLog | None = None
) -> FastAPI:
    """The whole web layer over one AnswerService (the same one the CLI uses)."""
    srv = settings.server
    log = log or ConversationLog(srv.log_db, enabled=srv.log_conversations)
    chat_service = ChatService(service, log, srv.max_message_chars)
    app = FastAPI(
        title="vetted-assistant",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.ctx = WebContext(chat_service, settings, anyio.CapacityLimiter(srv.max_concurrency))
    install_error_handlers(app)

    limiter = RateLimiter(srv.rate_limit_per_minute, srv.rate_limit_burst)
    v1 = APIRouter(dependencies=[Depends(guard(srv, limiter))])
    for module in (chat, openai_compat, search, feedback):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(health.router)
    app.include_router(static.router)

    if srv.ui:
        from assistant.interfaces.ui import mount_ui

        mount_ui(app, chat_service, settings)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        """The chat UI (or the API docs when the UI is off)."""
        return RedirectResponse("/ui/" if srv.ui else "/docs")

    app.add_middleware(CatchAll)
    app.add_middleware(BodySizeLimit, max_bytes=srv.max_body_bytes)
    add_cors(app, srv)  # outermost, so 413s and 429s carry CORS headers too
    return app
