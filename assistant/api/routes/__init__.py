"""HTTP routes: each parses the request, calls a service and maps the result to a schema."""

from __future__ import annotations

from . import chat, feedback, health, openai_compat, search, static

__all__ = ["chat", "feedback", "health", "openai_compat", "search", "static"]
