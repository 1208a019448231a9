"""Dev grid for the composer's sentence-ranking weights (issue 14): the first answer sentence.

    python -m bench.rank_grid --data ../shared/data --out bench/results/rank_grid.json

Reads DEV rows only: the covered visitor questions (eval/visitor, dev templates; is the first
sentence one holding a `lead` phrase?) and the in-corpus MedQuAD questions of the answers
suite (dev groups; is the first sentence inside a gold answer span?). For each grid point of
composer.cue_weight, composer.centrality_weight and composer.length_norm it ranks again the
passages the service ranks (the whole article for a question that asks a kind of answer on a
one-topic site, as `answer_model.ranked_pool` decides), so the figures isolate the ranking
from answerability. Before round 9 it ranked the top hits only, which the service does not.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["collect", "grid", "main"]

GRID = {
    "cue_weight": (0.3, 0.4),
    "centrality_weight": (0.3,),
    "length_norm": (1.0,),
    "lexical_weight": (0.2, 0.3),
    "passage_weight": (0.1, 0.3, 0.5, 0.7, 0.9),
}
# Round 14's grid (round 12 ran cue 0.2-0.6, centrality 0-0.4, length_norm 0.5/1, lexical
# 0.1-0.4, passage 0-0.2: a plateau). Chosen with `--splits dev,dev2,dev3,dev4,dev5,dev6`;
# `--splits dev7` was that round's held-out check (bench/results/rank_grid_dev7.json; figures
# only). By default every visitor dev split tuning may read (visitor.tuning_splits: the
# held-out ones, visitor.HELD_OUT, left out; round 12 on; rounds 9-11 read `dev` alone),
# read when the grid runs. The test splits never.


def collect(svc: Any, messages: list[dict[str, str]]) -> tuple[Any, ...]:
    """What the composer ranks for one conversation, as the service ranks it: (snapshot,
    BM25 query, qvec, hits, read, question, pool)."""
    from assistant.retrieve.answer_model import anchored, ranked_pool

    snap, query, lexical, _unknown, qvec, hits = svc.searched(messages)
    r = svc.settings.retrieval
    read = anchored(snap, qvec, r.scope_weight, r.scope_coherence)
    pool = ranked_pool(snap, svc.composer, query, qvec, read, hits)
    return snap, lexical, qvec, hits, read, query, pool


def grid(svc: Any, rows: list[tuple[tuple[Any, ...], Any]]) -> list[dict[str, Any]]:
    """For each grid point, how many rows' first candidate passes its check."""
    from assistant.compose.extractive import ExtractiveComposer

    out = []
    for values in itertools.product(*GRID.values()):
        update = dict(zip(GRID, values, strict=True))
        base = svc.composer
        composer = ExtractiveComposer(
            base.settings.model_copy(update=update), svc.settings.retrieval, base.screen, base.types
        )
        ok = 0
        for (snap, lexical, qvec, hits, read, query, pool), check in rows:
            cands = composer.candidates(snap, lexical, qvec, hits, read, query, pool)
            ok += bool(cands) and bool(check(cands[0]))
        out.append({**update, "first_ok": ok, "n": len(rows)})
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the grid on the visitor and MedQuAD dev rows and write the figures."""
    from assistant.config.container import build_services
    from assistant.config.settings import Settings
    from assistant.evals.suites.answer_sets import medquad_set
    from assistant.evals.suites.answers import inside_spans, service_over
    from assistant.evals.suites.visitor import load_visitor, messages_of, tuning_splits

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="bench/results/rank_grid.json")
    ap.add_argument("--splits", help="visitor dev splits to read (default: tuning_splits())")
    args = ap.parse_args(argv)
    splits = args.splits.split(",") if args.splits else list(tuning_splits())
    if any(s.startswith("test") for s in splits):
        ap.error("the grid reads dev splits only")
    base = build_services(Settings())
    base.ingest()
    vis = []
    for item in load_visitor():
        if item.split in splits and item.route == "answer":
            leads = [x.lower() for x in item.lead]
            check = lambda c, leads=leads: any(x in c.text.lower() for x in leads)  # noqa: E731
            vis.append((collect(base, messages_of(base, item)), check))
    with tempfile.TemporaryDirectory(prefix="va-rank-grid-") as tmp:
        mq, texts = medquad_set(Path(args.data), Path(tmp) / "mq-corpus")
        svc = service_over(base, Path(tmp), Path(tmp) / "mq-corpus", "mq")
        med = []
        for q in mq:
            if q.split == "dev" and q.in_corpus:
                check = lambda c, q=q: (  # noqa: E731
                    c.passage.article_id == q.article
                    and inside_spans(c.text, texts[q.article], q.spans)
                )
                med.append((collect(svc, q.messages), check))
        result = {
            "provenance": f"eval/visitor splits {args.splits} (covered); MedQuAD in-corpus dev groups",
            "visitor_lead_first": grid(base, vis),
            "medquad_first_in_span": grid(svc, med),
        }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
