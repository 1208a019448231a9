"""The FastAPI app: routes, error handlers, safety middleware, offline docs and the chat UI."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from assistant import __version__
from assistant.config.settings import Settings
from assistant.config.startup import PendingService, ServiceLoader
from assistant.interfaces.api.deps import WebContext
from assistant.interfaces.api.errors import CatchAll, install_error_handlers
from assistant.interfaces.api.loader import LazyMount, hold_lifespan
from assistant.interfaces.api.openapi import honest_openapi
from assistant.interfaces.api.routes import chat, feedback, health, openai_compat, search, static
from assistant.interfaces.api.security import BodySizeLimit, add_cors, guard, make_limiter
from assistant.interfaces.chat import ChatService
from assistant.interfaces.log import ConversationLog, open_log

if TYPE_CHECKING:
    from assistant.pipeline.service import AnswerService

__all__ = ["DOCS_ASSETS", "create_app"]

DESCRIPTION = """Answers only from the clinic's vetted articles, with numbered citations.

Every reply carries a `route` (answer, no_answer, clinician, emergency, crisis, off_topic,
refused) and a disclaimer. Errors are JSON: `{"error": {"type", "code", "message", "status"}}`.
"""
DOCS_ASSETS = "/docs-assets"
_TASKS: set[asyncio.Task[None]] = set()


def _docs_dir() -> Path:
    """Swagger UI's JS and CSS shipped in the fastapi-offline package (no CDN at run time)."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def _add_docs(app: FastAPI) -> None:
    """/docs from packaged assets, so the page works with no network."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=_docs_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - API docs",
            oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def docs_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()


def create_app(
    service: AnswerService | None,
    settings: Settings,
    log: ConversationLog | None = None,
    loader: Callable[[], AnswerService] | ServiceLoader | None = None,
) -> FastAPI:
    """The whole web layer over one AnswerService (the same one the CLI uses).

    With `service=None` and a `loader` (a function, or a ServiceLoader already started), the
    app serves at once: `/healthz` answers, `/readyz` says 503 until the service is built (in
    a thread started at the latest at server start-up), and the chat UI at /ui is mounted then.
    """
    srv = settings.server
    log = log or open_log(srv)
    log.start_retention()  # at start, then daily
    state = loader if isinstance(loader, ServiceLoader) else ServiceLoader(service, loader)
    chat_service = ChatService(service or PendingService(state), log, srv.max_message_chars)  # type: ignore[arg-type]
    ui_stop: list[asyncio.Event] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        if srv.ui and service is None:
            state.on_ready(lambda svc: _mount_ui_late(app, chat_service, settings, loop, ui_stop))
        state.start()
        yield
        for stop in ui_stop:
            loop.call_soon(stop.set)

    app = FastAPI(
        title="vetted-assistant",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = WebContext(chat_service, settings, anyio.CapacityLimiter(srv.max_concurrency))
    app.state.loader = state
    install_error_handlers(app)
    _add_docs(app)

    limiter = make_limiter(srv, log.engine)  # shared across workers on PostgreSQL
    v1 = APIRouter(dependencies=[Depends(guard(srv, limiter))])
    for module in (chat, openai_compat, search, feedback):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(health.router)
    app.include_router(static.router)

    if srv.ui and service is not None:
        from assistant.interfaces.ui import mount_ui

        mount_ui(app, chat_service, settings)
    elif srv.ui:
        app.state.ui = LazyMount("chat UI")
        app.mount("/ui", app.state.ui)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        """The chat UI (or the API docs when the UI is off)."""
        return RedirectResponse("/ui/" if srv.ui else "/docs")

    honest_openapi(app, srv.max_message_chars)  # text limits as configured
    app.add_middleware(CatchAll)
    app.add_middleware(BodySizeLimit, max_bytes=srv.max_body_bytes)
    add_cors(app, srv)  # outermost, so 413s and 429s carry CORS headers too
    return app


def _mount_ui_late(
    app: FastAPI,
    chat_service: ChatService,
    settings: Settings,
    loop: asyncio.AbstractEventLoop,
    stops: list[asyncio.Event],
) -> None:
    """Build the Gradio UI (a heavy import) once the service is ready, and plug it in at /ui."""
    from assistant.interfaces.ui import mount_ui

    holder = FastAPI()
    mount_ui(holder, chat_service, settings)
    gradio_app: Any = next(r.app for r in holder.routes if getattr(r, "path", "") == "/ui")  # type: ignore[attr-defined]

    async def start() -> None:
        entered, stop = asyncio.Event(), asyncio.Event()
        stops.append(stop)
        task = asyncio.get_running_loop().create_task(hold_lifespan(holder, entered, stop))
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
        await entered.wait()

    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=120)
    app.state.ui.app = gradio_app
