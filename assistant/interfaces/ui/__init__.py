"""The Gradio chat UI, mounted on the API's FastAPI app."""

from __future__ import annotations

from assistant.interfaces.ui.app import EXAMPLES, build_ui, mount_ui

__all__ = ["EXAMPLES", "build_ui", "mount_ui"]
