"""Calibrate retrieval.relevance_floor on MedQuAD: answerable vs held-out best-passage similarity.

A small index holds a fixed subset of MedQuAD documents. Questions about those documents are
answerable; questions whose answer documents were held out of the index are not. For each
question we take what the answer service compares with the floor: the highest cosine
similarity among the hybrid top-k passages. The recommended floor keeps a chosen share
(default 98%) of the answerable questions.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import (
    DEFAULT_STORE,
    ROOT,
    bench_settings,
    log,
    percentile,
    print_table,
    seeded_ingester,
    write_result,
)
from bench.medquad import (
    DATA,
    article_id,
    fixed_subset,
    load_corpus_rows,
    load_questions,
    write_corpus,
)

__all__ = ["main"]

WORK = ROOT / ".vetted" / "bench" / "calibration"
# In-scope questions for the project's own article, phrased the way visitors ask (not tuned).
OWN_IN_SCOPE = [
    "What is ketamine infusion therapy?",
    "How does ketamine help with chronic pain?",
    "Can ketamine treat neuropathic pain?",
    "Is ketamine used for fibromyalgia?",
    "Is ketamine infusion safe?",
    "Does ketamine help with depression that comes with chronic pain?",
]
OWN_OUT_OF_SCOPE = [
    "What are the symptoms of diabetes?",
    "How is asthma treated?",
    "What causes migraines?",
    "How do I renew my passport?",
]


def best_similarity(service: Any, snap: Any, question: str, k: int) -> float:
    """The highest cosine similarity among the hybrid top-k passages (what the floor sees)."""
    qvec = service.embedder.embed_queries([question])[0]
    hits = service.retriever.search(snap, question, qvec, k=k, mode="hybrid")
    return max((h.dense for h in hits), default=0.0)


def _dist(values: list[float]) -> dict[str, float]:
    qs = (1, 2, 3, 5, 10, 25, 50, 75, 90, 95, 99)
    return {f"p{q}": round(percentile(values, q), 4) for q in qs} | {
        "n": len(values),
        "mean": round(float(np.mean(values)), 4) if values else 0.0,
    }


def _histogram(values: list[float], lo: float = 0.0, hi: float = 1.0, step: float = 0.05) -> dict:
    edges = np.arange(lo, hi + step / 2, step)
    counts, _ = np.histogram(np.clip(values, lo, hi - 1e-9), bins=edges)
    return {f"{a:.2f}-{a + step:.2f}": int(c) for a, c in zip(edges[:-1], counts, strict=True)}


def run(
    docs: int,
    per_class: int,
    keep: float,
    k: int,
    work: Path,
    data: Path,
    seed: int,
    seed_store: Path | None = None,
    threads: int = 1,
) -> dict[str, Any]:
    """Build the subset index, ask both kinds of question, and derive the floor."""
    from assistant.config.container import build_services
    from assistant.index.snapshot import IndexSnapshot

    rows = load_corpus_rows(data)
    subset = fixed_subset(rows, docs, salt="calibration")
    in_index = {article_id(r["id"]) for r in subset}
    titles = {" ".join(r["title"].lower().split()) for r in subset}
    corpus, store = work / "corpus", work / "store"
    write_corpus(subset, corpus)
    service = build_services(bench_settings(store, corpus, embedding={"threads": threads}))
    seeded_ingester(service, seed_store)  # reuse the full index's vectors: same chunks, same model
    log(f"ingesting {len(subset)} documents into {store}")
    log(service.ingest(corpus).summary())

    answerable: list[str] = []
    held_out: list[str] = []
    held_out_new_topic: list[str] = []
    for q in load_questions(data):
        if q["generic_answer"]:
            continue
        rel = {article_id(d) for d in q["answer_doc_ids"]}
        if rel & in_index:
            answerable.append(q["question"])
        else:
            held_out.append(q["question"])
            if " ".join(str(q["focus"]).lower().split()) not in titles:
                held_out_new_topic.append(q["question"])
    rng = random.Random(seed)
    for lst in (answerable, held_out, held_out_new_topic):
        rng.shuffle(lst)
    answerable, held_out = answerable[:per_class], held_out[:per_class]
    held_out_new_topic = held_out_new_topic[:per_class]
    log(f"{len(answerable)} answerable, {len(held_out)} held-out questions")
    service.embedder.embed_queries(list(dict.fromkeys(answerable + held_out + held_out_new_topic)))
    snap = IndexSnapshot.load(service.store)
    sims_a = [best_similarity(service, snap, q, k) for q in answerable]
    sims_h = [best_similarity(service, snap, q, k) for q in held_out]
    sims_n = [best_similarity(service, snap, q, k) for q in held_out_new_topic]

    candidates = []
    for share in (0.99, 0.98, 0.97, 0.95):
        floor = percentile(sims_a, (1 - share) * 100)
        floor = float(np.floor(floor * 100) / 100)
        candidates.append(
            {
                "floor": floor,
                "answerable_kept": round(float(np.mean([s >= floor for s in sims_a])), 4),
                "held_out_rejected": round(float(np.mean([s < floor for s in sims_h])), 4),
                "held_out_new_topic_rejected": round(
                    float(np.mean([s < floor for s in sims_n])), 4
                ),
                "target_kept": share,
            }
        )
    recommended = next(c for c in candidates if c["target_kept"] == keep)
    current = 0.30
    at_current = {
        "floor": current,
        "answerable_kept": round(float(np.mean([s >= current for s in sims_a])), 4),
        "held_out_rejected": round(float(np.mean([s < current for s in sims_h])), 4),
        "held_out_new_topic_rejected": round(float(np.mean([s < current for s in sims_n])), 4),
    }

    own = _own_corpus(work, k)
    return {
        "index_docs": len(subset),
        "index_chunks": len(snap.passages),
        "k": k,
        "measure": "max cosine similarity among the hybrid top-k passages",
        "answerable": _dist(sims_a),
        "held_out": _dist(sims_h),
        "held_out_new_topic": _dist(sims_n),
        "histogram": {
            "answerable": _histogram(sims_a),
            "held_out": _histogram(sims_h),
            "held_out_new_topic": _histogram(sims_n),
        },
        "candidates": candidates,
        "at_current_default": at_current,
        "recommended_floor": recommended["floor"],
        "recommended_keeps": keep,
        "own_corpus": own,
        "notes": "held_out = questions whose answer documents are not in the index; "
        "held_out_new_topic = of those, questions whose focus is not the title of any indexed "
        "document (MedQuAD has several pages on one disease, so a held-out question can still "
        "be answerable from another page). MedQuAD questions are templated and name their "
        "topic, so their similarities run higher than free-form visitor questions; see "
        "own_corpus.",
    }


def _own_corpus(work: Path, k: int) -> dict[str, Any]:
    """Best-passage similarity of a few in- and out-of-scope questions on our own corpus."""
    from assistant.config.container import build_services
    from assistant.index.snapshot import IndexSnapshot

    store = work / "own-store"
    service = build_services(bench_settings(store, ROOT / "corpus"))
    service.ingest(ROOT / "corpus")
    snap = IndexSnapshot.load(service.store)
    return {
        "in_scope": {q: round(best_similarity(service, snap, q, k), 4) for q in OWN_IN_SCOPE},
        "out_of_scope": {
            q: round(best_similarity(service, snap, q, k), 4) for q in OWN_OUT_OF_SCOPE
        },
    }


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=300, help="documents in the calibration index")
    ap.add_argument("--limit", type=int, default=800, help="questions per class")
    ap.add_argument("--keep", type=float, default=0.98, choices=(0.99, 0.98, 0.97, 0.95),
                    help="share of answerable questions the recommended floor keeps")  # fmt: skip
    ap.add_argument("--k", type=int, default=5, help="passages the floor looks at")
    ap.add_argument("--work", type=Path, default=WORK, help="folder of the calibration index")
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the MedQuAD JSONL files")
    ap.add_argument("--seed", type=int, default=3, help="question sampling seed")
    ap.add_argument(
        "--seed-store",
        type=Path,
        default=DEFAULT_STORE,
        help="built MedQuAD store whose vectors the calibration index may reuse",
    )
    ap.add_argument("--threads", type=int, default=1, help="torch threads (0: torch default)")
    ap.add_argument("--name", default="calibration", help="result file name")
    args = ap.parse_args(argv)
    res = run(
        args.docs,
        args.limit,
        args.keep,
        args.k,
        args.work,
        args.data,
        args.seed,
        args.seed_store,
        args.threads,
    )
    print(f"Relevance floor calibration, index of {res['index_docs']} MedQuAD docs")
    rows = [
        (name, d["n"], d["p1"], d["p2"], d["p5"], d["p50"], d["p95"])
        for name, d in (
            ("answerable", res["answerable"]),
            ("held_out", res["held_out"]),
            ("held_out_new_topic", res["held_out_new_topic"]),
        )
    ]
    print_table(["questions", "n", "p1", "p2", "p5", "p50", "p95"], rows)
    print_table(
        ["floor", "answerable kept", "held-out rejected", "new-topic rejected"],
        [
            (c["floor"], c["answerable_kept"], c["held_out_rejected"],
             c["held_out_new_topic_rejected"])
            for c in [*res["candidates"], res["at_current_default"]]
        ],
    )  # fmt: skip
    print(f"recommended relevance_floor: {res['recommended_floor']} (keeps {args.keep:.0%})")
    for kind, sims in res["own_corpus"].items():
        for q, s in sims.items():
            print(f"  own corpus, {kind}: {s:.3f}  {q}")
    print(f"wrote {write_result(args.name, res)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
