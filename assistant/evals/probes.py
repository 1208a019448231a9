"""The rails' probe sets (eval/probes/*.yaml): one reader for the suite and the leakage check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["PROBES", "probe_sets"]

PROBES = Path(__file__).resolve().parents[2] / "eval" / "probes"


def probe_sets(folder: Path = PROBES) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """The probe sets of a folder: name -> (split, rows with id, prompt, expected,
    category). A probe is a string or {category, text}."""
    out: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for path in sorted(folder.glob("*.y*ml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        rows = []
        for route, items in (doc.get("probes") or {}).items():
            for i, item in enumerate(items or []):
                text = item.get("text", "") if isinstance(item, dict) else str(item)
                cat = item.get("category", route) if isinstance(item, dict) else route
                rows.append({"id": f"{route}[{i}]", "prompt": text, "expected": route,
                             "category": str(cat), "file": path})  # fmt: skip
        out[f"probes {path.stem}"] = (str(doc.get("split", "test")), rows)
    return out
