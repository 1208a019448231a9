"""The retrieval suite: recall@5 and MRR on MedQuAD questions over a small index, and the
answer precision of the whole pipeline on the same questions (issue 14)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from assistant.evals.splits import split_of
from assistant.evals.suites.answers import quote_inside
from assistant.evals.suites.common import read_jsonl, write_medquad_articles
from assistant.pipeline.service import AnswerService

__all__ = ["retrieval_suite"]


def retrieval_suite(service: AnswerService, data: Path, limit: int = 100) -> dict[str, Any]:
    """Recall@5 and MRR on MedQuAD questions over an index of the first `limit` pages."""
    from assistant.config.container import build_services

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
        text_of = {d["id"]: d["text"] for d in docs}
        recall: list[float] = []
        rr: list[float] = []
        inside: dict[str, list[bool]] = {"test": [], "dev": []}
        for q in questions:
            inside[split_of("medquad_questions", q)] += answer_sentences_inside(
                svc, q, ids, text_of
            )
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
        "answer_precision": {
            split: {
                "sentences": len(xs),
                "inside_gold": round(float(np.mean(xs)), 4) if xs else None,
            }
            for split, xs in inside.items()
        },
        "note": "answer_precision: share of answer sentences inside the gold answer_spans; the "
        "composer's weights were set on dev questions, so test is the result",
    }


def answer_sentences_inside(
    svc: AnswerService, q: dict[str, Any], ids: dict[str, str], text_of: dict[str, str]
) -> list[bool]:
    """For each sentence the assistant answers a question with: inside a gold answer span?"""
    ans = svc.ask(q["question"])
    if ans.route != "answer":
        return []
    out: list[bool] = []
    for c in ans.citations:
        doc = ids.get(c.article_id, "")
        spans = [(s["start"], s["end"]) for s in q["answer_spans"] if s["doc_id"] == doc]
        out += quote_inside(c.quote, text_of.get(doc, ""), spans)
    return out
