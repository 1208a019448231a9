"""`assistant serve`: one process, or several workers behind one port."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from assistant.errors import AssistantError
from assistant.interfaces.cli.common import (
    load_settings,
)

__all__ = ["cmd_serve", "serve_workers"]


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the API, the chat UI and the widget (ingests corpus/ first if needed)."""
    settings = load_settings(args)
    from assistant.config.container import build_app

    if getattr(args, "workers", 1) > 1:
        return serve_workers(args, settings)
    print(f"loading the index in the background (ingesting {settings.corpus.path} if needed); "
          "/healthz answers now, /readyz once loaded", file=sys.stderr)  # fmt: skip
    app = build_app(settings)  # the index and model start loading in a thread here
    import uvicorn

    host, port = settings.server.host, settings.server.port
    shown = f"[{host}]" if ":" in host else host
    print(f"serving on http://{shown}:{port}  (UI /ui/, API docs /docs, demo /demo)",
          file=sys.stderr)  # fmt: skip
    uvicorn.run(
        app,
        host=host,
        port=port,
        **_uvicorn_options(args),
    )
    return 0


def _uvicorn_options(args: argparse.Namespace) -> dict[str, Any]:
    """The uvicorn options `serve` uses with one process or several workers."""
    return {
        "log_level": args.log_level,
        "access_log": args.access_log,
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": 10,
        "server_header": False,
        "forwarded_allow_ips": None,
    }


def _prepare_index() -> None:
    """Child process of `serve --workers`: ingest the corpus if no index exists yet."""
    from assistant.config.container import build_services
    from assistant.config.settings import Settings

    build_services(Settings()).snapshot()


def serve_workers(args: argparse.Namespace, settings: Any) -> int:
    """`serve --workers N`: N uvicorn worker processes that share the store and the log."""
    import multiprocessing

    import uvicorn

    if settings.store.mode != "http":
        raise AssistantError(
            "--workers > 1 needs a shared Chroma server: run `chroma run --path DIR --port P` "
            "and set VA_STORE__MODE=http VA_STORE__PORT=P"
        )
    if settings.server.database_url is None:
        print("note: rate limits are per worker without VA_SERVER__DATABASE_URL (PostgreSQL)",
              file=sys.stderr)  # fmt: skip
    host, port = settings.server.host, settings.server.port
    os.environ["VA_SERVER__HOST"], os.environ["VA_SERVER__PORT"] = host, str(port)
    if getattr(args, "store_path", None):
        os.environ["VA_STORE__PATH"] = str(args.store_path)
    print(f"loading the index (ingesting {settings.corpus.path} if needed)...", file=sys.stderr)
    child = multiprocessing.get_context("spawn").Process(target=_prepare_index)
    child.start()
    child.join()
    if child.exitcode != 0:
        raise AssistantError("could not prepare the index (see the error above)")
    shown = f"[{host}]" if ":" in host else host
    print(f"serving on http://{shown}:{port} with {args.workers} workers", file=sys.stderr)
    uvicorn.run(
        "assistant.interfaces.api.factory:app_from_env",
        factory=True,
        workers=args.workers,
        timeout_worker_healthcheck=120,  # a worker loading its model on a busy host is slow
        host=host,
        port=port,
        **_uvicorn_options(args),
    )
    return 0
