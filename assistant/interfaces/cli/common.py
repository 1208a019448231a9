"""What every command shares: settings from args, the service, a progress bar."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["add_progress", "load_settings", "progress_factory", "service_for"]


def load_settings(args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from assistant.config.settings import Settings
    from assistant.errors import ConfigError

    overrides: dict[str, Any] = {}
    if getattr(args, "store_path", None):
        overrides["store"] = {"path": args.store_path}
    try:
        settings = Settings(**overrides)
        server = {
            k: v
            for k, v in (
                ("host", getattr(args, "host", None)),
                ("port", getattr(args, "port", None)),
            )
            if v is not None
        }
        if server:
            data = settings.model_dump()
            data["server"].update(server)
            data["server"]["api_keys"] = [k.get_secret_value() for k in settings.server.api_keys]
            url = settings.server.database_url
            data["server"]["database_url"] = url.get_secret_value() if url else None
            settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ConfigError(
            f"invalid setting {where}: {first.get('msg')}".replace(" : ", ": ")
        ) from None
    return settings


def service_for(args: argparse.Namespace, settings: Any = None, first_run: bool = True) -> Any:
    """The answer service; on a first run the corpus is validated before any store is opened."""
    from assistant.config.container import build_services, check_first_run

    settings = settings or load_settings(args)
    if first_run:
        check_first_run(settings)
    return build_services(settings)


def progress_factory(enabled: bool) -> Callable[[int, str], Callable[[int], None]] | None:
    if not enabled:
        return None
    from tqdm import tqdm

    def factory(total: int, desc: str) -> Callable[[int], None]:
        bar = tqdm(total=total, desc=desc, unit="chunk", file=sys.stderr, mininterval=0.5)

        def tick(n: int) -> None:
            bar.update(n)
            if bar.n >= total:
                bar.close()

        return tick

    return factory


def add_progress(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Show a progress bar (default: when stderr is a terminal).",
    )
