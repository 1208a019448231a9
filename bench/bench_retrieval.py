"""Retrieval quality on MedQuAD: document-level recall@5 and MRR, hybrid vs dense vs BM25."""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import (
    add_index_args,
    bench_settings,
    log,
    percentile,
    print_table,
    write_result,
)
from bench.medquad import DATA, Question, eval_questions

__all__ = ["doc_ranking", "main", "score"]

MODES = ("hybrid", "dense", "bm25")
GOALS = {"recall@5": 0.95, "mrr": 0.85}


def doc_ranking(article_ids: list[str]) -> list[str]:
    """Documents ranked by their best chunk (first appearance in the passage ranking)."""
    return list(dict.fromkeys(article_ids))


def score(ranking: list[str], relevant: frozenset[str], k: int) -> dict[str, float]:
    """recall@k (share of relevant docs in the top k), hit@k, and reciprocal rank."""
    top = ranking[:k]
    found = len(relevant & set(top))
    rr = next((1.0 / (i + 1) for i, d in enumerate(ranking) if d in relevant), 0.0)
    return {"recall": found / len(relevant), "hit": float(found > 0), "rr": rr}


def run(
    store: Path,
    corpus: Path,
    data: Path,
    limit: int,
    k: int,
    depth: int,
    max_bucket: int,
    threads: int = 1,
) -> dict[str, Any]:
    """Ask every question in every mode against the built index."""
    from assistant.config.container import build_services
    from assistant.index.snapshot import IndexSnapshot

    service = build_services(bench_settings(store, corpus, embedding={"threads": threads}))
    snap = IndexSnapshot.load(service.store)  # what service.snapshot() serves, without warm-up
    indexed = {p.article_id for p in snap.passages}
    questions: list[Question] = [
        q for q in eval_questions(data, max_bucket) if q.relevant & indexed
    ]
    skipped = len(eval_questions(data, max_bucket)) - len(questions)
    if limit:
        questions = questions[:limit]
    log(f"{len(questions)} questions over {len(indexed)} indexed docs ({skipped} not indexed)")
    vecs = service.embedder.embed_queries([q.question for q in questions])  # once for all modes
    results: dict[str, Any] = {}
    per_qtype: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    misses: dict[str, list[dict[str, Any]]] = {}
    for mode in MODES:
        recalls, hits, rrs, times = [], [], [], []
        missed: list[dict[str, Any]] = []
        for q, qvec in zip(questions, vecs, strict=True):
            t0 = time.perf_counter()
            found = service.retriever.search(snap, q.question, qvec, k=depth, mode=mode)  # type: ignore[arg-type]
            times.append((time.perf_counter() - t0) * 1000)
            ranking = doc_ranking([h.passage.article_id for h in found])
            s = score(ranking, q.relevant, k)
            recalls.append(s["recall"])
            hits.append(s["hit"])
            rrs.append(s["rr"])
            per_qtype[q.qtype][mode].append(s["recall"])
            if s["hit"] == 0 and len(missed) < 25:
                missed.append(
                    {"id": q.id, "question": q.question, "relevant": sorted(q.relevant),
                     "top": ranking[:k]}
                )  # fmt: skip
        n = max(len(questions), 1)
        results[mode] = {
            f"recall@{k}": round(sum(recalls) / n, 4),
            f"hit@{k}": round(sum(hits) / n, 4),
            "mrr": round(sum(rrs) / n, 4),
            "search_ms_p50": round(percentile(times, 50), 3),
            "search_ms_p95": round(percentile(times, 95), 3),
        }
        misses[mode] = missed
    return {
        "questions": len(questions),
        "indexed_docs": len(indexed),
        "indexed_chunks": len(snap.passages),
        "k": k,
        "passage_depth": depth,
        "filter": f"generic_answer == false and bucket < {max_bucket}",
        "doc_level": "documents ranked by their best chunk",
        "modes": results,
        "goals": {"hybrid": GOALS},
        "goals_met": {
            "recall@5": results["hybrid"][f"recall@{k}"] >= GOALS["recall@5"],
            "mrr": results["hybrid"]["mrr"] >= GOALS["mrr"],
        },
        "recall_by_qtype": {
            qt: {m: round(sum(v) / len(v), 4) for m, v in modes.items()}
            for qt, modes in sorted(per_qtype.items())
        },
        "missed_examples": misses,
    }


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    add_index_args(ap, DATA)
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions (0: all)")
    ap.add_argument("--k", type=int, default=5, help="documents counted for recall")
    ap.add_argument("--depth", type=int, default=40, help="passages retrieved per question")
    ap.add_argument("--max-bucket", type=int, default=7, help="questions with bucket < this")
    ap.add_argument("--name", default="retrieval", help="result file name")
    args = ap.parse_args(argv)
    res = run(
        args.store,
        args.corpus,
        args.data,
        args.limit,
        args.k,
        args.depth,
        args.max_bucket,
        args.threads,
    )
    k = args.k
    print(f"MedQuAD retrieval, {res['questions']} questions, {res['indexed_docs']} docs")
    print_table(
        ["mode", f"recall@{k}", f"hit@{k}", "MRR", "p50 ms", "p95 ms"],
        [
            (m, r[f"recall@{k}"], r[f"hit@{k}"], r["mrr"], r["search_ms_p50"], r["search_ms_p95"])
            for m, r in res["modes"].items()
        ],
    )
    print(f"goals (hybrid recall@5 >= 0.95, MRR >= 0.85) met: {res['goals_met']}")
    print(f"wrote {write_result(args.name, res)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
