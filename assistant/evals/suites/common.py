"""Helpers the external suites share: reading JSONL, P/R/F1, MedQuAD articles, splits."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError

__all__ = ["prf", "read_jsonl", "write_medquad_articles"]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file, or a clear error."""
    try:
        with path.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise AssistantError(f"cannot read {path}: {exc}") from None


def prf(pred: list[int], gold: list[int]) -> dict[str, float]:
    """Precision, recall, F1 and balanced accuracy of flagging label 1."""
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum((not p) and g for p, g in zip(pred, gold, strict=True))
    tn = len(gold) - tp - fp - fn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    spec = tn / (tn + fp) if tn + fp else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "balanced_accuracy": round((r + spec) / 2, 4),
        "n": len(gold),
    }


def write_medquad_articles(rows: Iterable[dict[str, Any]], folder: Path) -> dict[str, str]:
    """MedQuAD pages as corpus articles (text verbatim); returns article id -> MedQuAD id."""
    folder.mkdir(parents=True, exist_ok=True)
    ids: dict[str, str] = {}
    for i, row in enumerate(rows):
        art = f"mq-{i}"
        ids[art] = row["id"]
        title = json.dumps(row["title"])
        (folder / f"{art}.md").write_text(
            f"---\nid: {art}\ntitle: {title}\nauthors: [{row['source']}]\n"
            f"source: {row['source_url']}\nreviewed_on: 2026-01-01\nversion: 1\n"
            f"status: published\n---\n\n{row['text']}\n",
            encoding="utf-8",
        )
    return ids
