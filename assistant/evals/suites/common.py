"""Helpers the external suites share: reading JSONL, P/R/F1, MedQuAD articles, splits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.corpus.text import sentence_spans
from assistant.errors import AssistantError
from assistant.pipeline.service import AnswerService

__all__ = ["half", "prf", "read_jsonl", "semantic_min", "write_medquad_articles"]


def half(key: str) -> str:
    """A fixed split: 'calib' or 'heldout' by a hash of the id."""
    return "calib" if int(hashlib.md5(key.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


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


def semantic_min(service: AnswerService, rows: list[dict[str, Any]]) -> list[float]:
    """Per answer: the weakest answer sentence's best cosine to a context sentence."""
    emb = service.embedder
    ans_spans = [sentence_spans(r["answer"]) or [(0, len(r["answer"]))] for r in rows]
    ctx_text = list(dict.fromkeys(r["context"] for r in rows))
    ctx_spans = [sentence_spans(c) or [(0, len(c))] for c in ctx_text]
    _, ans_vecs = emb.embed_passages([r["answer"] for r in rows], ans_spans)
    _, ctx_vecs = emb.embed_passages(ctx_text, ctx_spans)
    ctx_of = dict(zip(ctx_text, ctx_vecs, strict=True))
    return [
        float((av @ ctx_of[r["context"]].T).max(axis=1).min())
        for r, av in zip(rows, ans_vecs, strict=True)
    ]


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
