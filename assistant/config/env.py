"""Process-wide defaults, applied before any model, thread pool or Chroma import."""

from __future__ import annotations

import os
import time

__all__ = ["apply_offline_env", "process_age_s"]

_LOADED = time.monotonic()

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
    # Idle OpenMP threads sleep instead of spinning: on a CPU shared with other processes,
    # spinning workers steal the cores a query needs (read once, when torch is imported).
    "OMP_WAIT_POLICY": "PASSIVE",
}


def apply_offline_env() -> None:
    """Set the no-network and thread-wait variables unless the caller already chose a value."""
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)


def process_age_s() -> float:
    """Seconds since this process started (Linux /proc; elsewhere since this module loaded)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _LOADED
