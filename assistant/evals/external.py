"""External suites for `assistant eval --suite NAME --data PATH`: faithfulness, guardrails,
retrieval. They read the public sets in ../shared/data (see its README for sources)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AssistantError
from ..service import AnswerService
from ..text import sentence_spans
from .guardrails_suite import guardrails_suite

__all__ = [
    "SUITES",
    "faithfulness_suite",
    "guardrails_suite",
    "half",
    "prf",
    "read_jsonl",
    "retrieval_suite",
    "semantic_min",
    "write_medquad_articles",
]

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


def faithfulness_suite(service: AnswerService, data: Path, limit: int = 0) -> dict[str, Any]:
    """The output gate's verifier on MedHallu pairs (held-out half: the model was fitted on
    the other half), overall and by difficulty."""
    from ..guardrails.verifier import SupportVerifier, VerifierModel, default_model_path

    rows = read_jsonl(data / "halluc_medhallu_calibration.jsonl")
    rows = [r for r in rows if half(str(r["pair_id"])) == "heldout"]
    rows = rows[:limit] if limit else rows
    verifier = SupportVerifier(service.settings.guardrails.verifier_min_coverage)
    model = VerifierModel.load(default_model_path())
    sem = semantic_min(service, rows)
    gold = [int(r["label"] == "hallucinated") for r in rows]
    pred = [
        int(model.probability(verifier.features(r["answer"], r["context"], s)) >= model.threshold)
        for r, s in zip(rows, sem, strict=True)
    ]
    rules = [int(not verifier.supported_answer(r["answer"], r["context"])) for r in rows]
    by_difficulty: dict[str, dict[str, float]] = {}
    pairs = {r["pair_id"] for r in rows}
    for level in sorted({str(r.get("difficulty")) for r in rows if r.get("difficulty")}):
        ids = {r["pair_id"] for r in rows if str(r.get("difficulty")) == level} & pairs
        idx = [i for i, r in enumerate(rows) if r["pair_id"] in ids]
        by_difficulty[level] = prf([pred[i] for i in idx], [gold[i] for i in idx])
    return {
        "model": prf(pred, gold),
        "rules_only": prf(rules, gold),
        "by_difficulty": by_difficulty,
        "threshold": model.threshold,
        "reference_f1": {"general_llms_with_context": 0.78, "gpt4o_mini": 0.84},
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


def retrieval_suite(service: AnswerService, data: Path, limit: int = 100) -> dict[str, Any]:
    """Recall@5 and MRR on MedQuAD questions over an index of the first `limit` pages."""
    from ..wiring import build_services

    docs = read_jsonl(data / "medquad_corpus.jsonl")[: limit or 100]
    with tempfile.TemporaryDirectory(prefix="va-eval-retrieval-") as tmp:
        root = Path(tmp)
        ids = write_medquad_articles(docs, root / "corpus")
        settings = service.settings.model_copy(
            update={
                "store": service.settings.store.model_copy(
                    update={"mode": "embedded", "path": root / "store", "collection": "evalret"}
                ),
                "corpus": service.settings.corpus.model_copy(
                    update={"path": root / "corpus", "auto_ingest": False}
                ),
            }
        )
        svc = build_services(settings)
        svc.ingest(root / "corpus")
        present = set(ids.values())
        questions = [
            q
            for q in read_jsonl(data / "medquad_questions.jsonl")
            if not q.get("generic_answer") and set(q["answer_doc_ids"]) & present
        ]
        recall: list[float] = []
        rr: list[float] = []
        for q in questions:
            ranked = list(
                dict.fromkeys(ids[h.passage.article_id] for h in svc.search(q["question"], 20))
            )
            hits = [i for i, d in enumerate(ranked) if d in set(q["answer_doc_ids"])]
            recall.append(float(bool(hits) and hits[0] < 5))
            rr.append(1.0 / (hits[0] + 1) if hits else 0.0)
    return {
        "docs": len(docs),
        "questions": len(questions),
        "recall_at_5": round(float(np.mean(recall)), 4) if recall else None,
        "mrr": round(float(np.mean(rr)), 4) if rr else None,
    }


SUITES: dict[str, Callable[[AnswerService, Path, int], dict[str, Any]]] = {
    "faithfulness": faithfulness_suite,
    "guardrails": guardrails_suite,
    "retrieval": retrieval_suite,
}
