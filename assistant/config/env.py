"""Process-wide offline defaults, applied before any model or Chroma import."""

from __future__ import annotations

import os

__all__ = ["apply_offline_env"]

_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
}


def apply_offline_env() -> None:
    """Set the no-network environment variables unless the caller already chose a value."""
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)
