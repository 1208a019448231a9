"""Calibrated values and their provenance, read from `calibration.yaml` beside this module."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

__all__ = ["CALIBRATION_PATH", "calibrated", "calibrated_field", "calibration"]

CALIBRATION_PATH = Path(__file__).with_name("calibration.yaml")
PROVENANCE = ("data", "split", "script")


@cache
def calibration() -> dict[str, dict[str, Any]]:
    """Every entry of calibration.yaml: a value (or an artefact) with data, split and script."""
    raw = yaml.safe_load(CALIBRATION_PATH.read_text(encoding="utf-8")) or {}
    for key, entry in raw.items():
        missing = [f for f in PROVENANCE if not entry.get(f)]
        if "value" in entry and not entry.get("description"):
            missing.append("description")
        if missing or ("value" not in entry and "artefact" not in entry):
            raise ValueError(f"calibration.yaml: {key} needs value or artefact, and {missing}")
    return raw


def calibrated(key: str) -> float:
    """The calibrated default of one setting, e.g. 'retrieval.relevance_floor'."""
    return float(calibration()[key]["value"])


def calibrated_field(
    key: str, ge: float | None = None, le: float | None = None, gt: float | None = None,
    lt: float | None = None,
) -> Any:  # fmt: skip
    """A settings field whose default and description come from the calibration entry `key`."""
    entry = calibration()[key]
    text = f"{entry['description']} Default from config/calibration.yaml ({entry['script']})."
    return Field(float(entry["value"]), description=text, ge=ge, le=le, gt=gt, lt=lt)
