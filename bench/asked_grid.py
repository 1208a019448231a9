"""Dev grid for retrieval.asked_min_words (issue 14): from how many words a story is set apart.

    python -m bench.asked_grid --out bench/results/asked_grid.json

Reads DEV rows only: the visitor questions of the tuning splits (`visitor.tuning_splits()`,
never the held-out or test splits) that the setting can move: two or more sentences and fewer
than 25 words (the largest grid point). For each grid point it builds the service with that
setting and asks every such question: covered ones answered, answered with a lead phrase
first, traps still refused. Round 24 tried 18 (the middle of the flat best) and kept
25: a review found a trap answered at 18 (assistant/config/calibration.yaml).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["GRID", "main", "movable"]

GRID = (10, 14, 16, 18, 21, 25)
MIN_WORDS = 8  # a shorter message has no story to set apart (asked.py joins up to 8 words)


def movable(question: str, top: int = max(GRID)) -> bool:
    """True for a message the grid can move: 2+ sentences, MIN_WORDS to top-1 words."""
    from assistant.retrieve.asked import message_sentences

    n = len(question.split())
    return MIN_WORDS <= n < top and len(message_sentences(question)) >= 2


def _point(value: int, items: list[Any]) -> dict[str, int]:
    """Figures for one setting, on a service built and ingested with it."""
    from assistant.config.container import build_services
    from assistant.config.settings import Settings
    from assistant.evals.suites.visitor import grade, messages_of

    os.environ["VA_RETRIEVAL__ASKED_MIN_WORDS"] = str(value)
    svc = build_services(Settings())
    svc.ingest()
    out = {"covered": 0, "answered": 0, "lead_first": 0, "traps": 0, "traps_refused": 0}
    for item in items:
        ans = svc.ask(messages_of(svc, item))
        res = grade(item, ans.route, ans.answer)
        if item.route == "answer":
            out["covered"] += 1
            out["answered"] += ans.route == "answer"
            out["lead_first"] += res.ok
        else:
            out["traps"] += 1
            out["traps_refused"] += res.ok
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the grid on the movable dev questions and write the figures."""
    from assistant.evals.suites.visitor import load_visitor, tuning_splits

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="bench/results/asked_grid.json")
    args = ap.parse_args(argv)
    splits = set(tuning_splits())
    items = [q for q in load_visitor() if q.split in splits and not q.turns and movable(q.question)]
    before = os.environ.get("VA_RETRIEVAL__ASKED_MIN_WORDS")
    try:
        figures = {str(v): _point(v, items) for v in GRID}
    finally:
        if before is None:
            os.environ.pop("VA_RETRIEVAL__ASKED_MIN_WORDS", None)
        else:
            os.environ["VA_RETRIEVAL__ASKED_MIN_WORDS"] = before
    for v, f in figures.items():
        print(f"asked_min_words={v}: {f}")
    result = {"provenance": f"eval/visitor tuning splits {sorted(splits)}", "n": len(items),
              "grid": figures}  # fmt: skip
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
