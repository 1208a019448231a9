"""Write the lead bank: visitor dev questions with the sentence that answers each.

`python -m assistant.evals.fitting.lead_bank [--check]` reads only the visitor splits tuning
may read (`visitor.tuning_splits()`: never `HELD_OUT`, never test or test2): every covered
question asked on its own (no earlier turns) with its lead phrases. It embeds the questions
with the packaged model and writes `assistant/compose/lead_bank.npz` with its provenance. No
date is written: the same splits give the same file, and `--check` (and a test) verify it.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.compose.lead_bank import default_lead_bank_path
from assistant.corpus.text import normalize
from assistant.evals.suites.visitor import (
    HELD_OUT,
    VISITOR_DIR,
    load_visitor,
    tuning_splits,
)

__all__ = ["bank_rows", "build", "main"]


def bank_rows(folder: Path = VISITOR_DIR) -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, question, lead phrases) of every covered question of the tuning splits that is
    asked on its own, in split then file order."""
    order = {s: i for i, s in enumerate(tuning_splits(folder))}
    # a held-out or test file is skipped whole, whatever split its rows claim
    allowed = {
        str(r["id"])
        for p in sorted(folder.glob("*.yaml"))
        if p.stem not in HELD_OUT and not p.stem.startswith("test")
        for r in yaml.safe_load(p.read_text(encoding="utf-8")).get("questions", [])
    }
    rows = [q for q in load_visitor(folder) if q.split in order and q.id in allowed]
    return [
        (q.id, q.question, q.lead)
        for q in sorted(rows, key=lambda q: order[q.split])  # stable: file order within a split
        if q.route == "answer" and q.lead and not q.turns
    ]


def build(
    vectors: np.ndarray, rows: list[tuple[str, str, tuple[str, ...]]], model_id: str = ""
) -> bytes:
    """The .npz bytes: float16 vectors, distinct phrases, each row's phrase indexes, meta."""
    phrases = sorted({normalize(p) for _, _, lead in rows for p in lead})
    at = {p: i for i, p in enumerate(phrases)}
    leads = [sorted({at[normalize(p)] for p in lead}) for _, _, lead in rows]
    meta: dict[str, Any] = {
        "data": "eval/visitor dev splits (visitor questions written by helpers from the article)",
        "split": "visitor.tuning_splits(): " + ", ".join(tuning_splits()),
        "script": "python -m assistant.evals.fitting.lead_bank",
        "questions": len(rows),
        "phrases": len(phrases),
        "model_id": model_id,
        "ids": [r[0] for r in rows],
    }
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        vectors=np.asarray(vectors, dtype=np.float16),
        phrases=np.array(json.dumps(phrases)),
        leads=np.array(json.dumps(leads)),
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )
    return buf.getvalue()


def _arrays(blob: bytes) -> dict[str, Any]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def main(argv: list[str] | None = None) -> int:
    """Embed the tuning splits' covered questions and write (or --check) the bank."""
    ap = argparse.ArgumentParser(prog="python -m assistant.evals.fitting.lead_bank")
    ap.add_argument("--out", type=Path, default=default_lead_bank_path())
    ap.add_argument("--check", action="store_true", help="Compare with --out; write nothing.")
    args = ap.parse_args(argv)
    from assistant.config.container import build_services
    from assistant.config.settings import Settings

    rows = bank_rows()
    embedder = build_services(Settings()).embedder
    vecs = np.asarray(embedder.embed_queries([q for _, q, _ in rows], cache=False))
    blob = build(vecs, rows, embedder.model_id)
    if args.check:
        if not args.out.is_file():
            print(f"error: {args.out} not found", file=sys.stderr)
            return 1
        old, new = _arrays(args.out.read_bytes()), _arrays(blob)
        same = old.keys() == new.keys() and all(np.array_equal(old[k], new[k]) for k in new)
        print(f"{args.out}: {'reproduced' if same else 'differs from a refit'}")
        return 0 if same else 1
    args.out.write_bytes(blob)
    print(f"wrote {args.out}: {len(rows)} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
