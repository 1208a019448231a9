"""HTTP routes: each parses the request, calls a service and maps the result to a schema."""

from __future__ import annotations

from assistant.interfaces.api.routes import chat, feedback, health, openai_compat, search, static

__all__ = ["chat", "feedback", "health", "openai_compat", "search", "static"]
