"""The HTTP API, the chat UI and the widget, served by one FastAPI app."""

from __future__ import annotations

from assistant.interfaces.api.app import create_app

__all__ = ["create_app"]
