"""Calibrate retrieval.statement_floor: how close a remark must be to the articles to be answered.

`python -m assistant.evals.fitting.statement_floor [--data ../shared/data]` runs the pipeline
with the floor off on the messages that ask nothing (prompts/answerability/asking.yaml) among
the covered questions of the visitor tuning splits and the SAD everyday-stress sentences, dev
halves only. The floor (in hundredths) best separates the two: it maximises the share of covered
remarks still answered minus the share of SAD remarks still answered (Youden's J). The optimum
is flat, so the floor is the lowest one within SLACK of the best J: it keeps answers where the
separation is no worse. The script prints it with both shares and writes them to --out. Copy the
value into assistant/config/calibration.yaml.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from assistant.evals.fitting.cli import parse
from assistant.evals.splits import split_of
from assistant.evals.suites.common import read_jsonl

__all__ = ["floor_for", "main"]

GRID = [i / 100 for i in range(30, 91)]
SLACK = 0.05
OUT = Path(__file__).resolve().parents[3] / "bench" / "results" / "statement_floor.json"


def floor_for(covered: list[float], everyday: list[float]) -> float:
    """The floor on GRID that keeps the most covered remarks and the fewest everyday ones."""

    def j(f: float) -> float:
        kept = sum(s >= f for s in covered) / max(1, len(covered))
        return kept - sum(s >= f for s in everyday) / max(1, len(everyday))

    best = max(j(f) for f in GRID)
    return min(f for f in GRID if j(f) >= best - SLACK)


def _answered_scores(svc: Any, messages: list[str]) -> list[float]:
    """The anchored score of each remark the pipeline answers (the floor is off)."""
    statements, snap = svc.answerability.statements, svc.snapshot()
    out = []
    for m in messages:  # read as the pipeline reads it: typos corrected
        if statements.remark(svc.answerability.corrected(snap, m)) and svc.ask(m).route == "answer":
            out.append(float(svc.answer_features(m)["dense"]))
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the dev remarks with the floor off, choose the floor, print and write it."""
    args = parse("statement_floor", OUT, "benign_sad_calibration.jsonl", argv)
    if args is None:
        return 2
    os.environ["VA_RETRIEVAL__STATEMENT_FLOOR"] = "0"
    os.environ["VA_RETRIEVAL__ANSWER_CACHE_SIZE"] = "0"
    os.environ.setdefault("VA_STORE__PATH", str(Path(tempfile.mkdtemp()) / "chroma"))
    from assistant.config.container import build_services
    from assistant.config.settings import Settings
    from assistant.evals.suites.visitor import load_visitor, tuning_splits

    svc = build_services(Settings())
    svc.ingest()
    splits = set(tuning_splits())
    covered = [
        q.question
        for q in load_visitor()
        if q.split in splits and q.route == "answer" and not q.turns
    ]
    sad = [
        r["prompt"]
        for r in read_jsonl(args.data / "benign_sad_calibration.jsonl")
        if split_of("benign_sad_calibration", r) == "dev"
    ]
    pos, neg = _answered_scores(svc, covered), _answered_scores(svc, sad)
    floor = floor_for(pos, neg)
    body = {
        "statement_floor": floor,
        "criterion": f"lowest floor within {SLACK} of the best share of covered remarks kept "
        "minus share of SAD remarks answered",
        "covered_remarks_answered": len(pos),
        "covered_remarks_kept": sum(s >= floor for s in pos),
        "sad_dev_sentences": len(sad),
        "sad_remarks_answered_without_floor": len(neg),
        "sad_remarks_answered_with_floor": sum(s >= floor for s in neg),
        "data": "eval/visitor tuning splits (covered, single-turn); benign_sad_calibration dev",
        "script": "python -m assistant.evals.fitting.statement_floor",
    }
    print(json.dumps(body, indent=2))
    args.out.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
