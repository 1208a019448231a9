"""The retrieval suite: recall@5 and MRR on MedQuAD questions over a small index."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

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
