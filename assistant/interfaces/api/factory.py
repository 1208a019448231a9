"""The app factory that each `assistant serve --workers N` worker process calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["app_from_env"]


def app_from_env() -> FastAPI:
    """Settings from the environment (VA_*), the batching service, the index loaded."""
    from assistant.config.container import build_app
    from assistant.config.settings import Settings

    return build_app(Settings())
