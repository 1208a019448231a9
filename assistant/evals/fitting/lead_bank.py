"""Write the lead bank: visitor dev questions with the sentence that answers each.

`python -m assistant.evals.fitting.lead_bank [--check]` reads only the visitor splits tuning
may read (`visitor.tuning_splits()`: never `HELD_OUT`, never test or test2): every covered
question asked on its own (no earlier turns) with its lead phrases. It embeds the questions
with the packaged model, fits the sentence model (a multinomial logistic regression from a
question's vector to the corpus sentence holding its lead phrases; `C` below) and writes
`assistant/compose/lead_bank.npz` with its provenance. No date is written: the same splits
give the same file, and `--check` (and a test) verify it.
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
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from assistant.compose.lead_bank import default_lead_bank_path
from assistant.corpus.text import normalize, sentence_spans
from assistant.evals.suites.visitor import (
    HELD_OUT,
    VISITOR_DIR,
    load_visitor,
    tuning_splits,
)

__all__ = ["bank_rows", "build", "fit_classes", "main", "phrase_classes"]

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
# Inverse L2 strength of the sentence model (sum of log-losses + ||W||^2 / (2 C)). Chosen with
# the floor and weight (config/calibration.yaml, composer.lead_bank_*) by a leave-one-split-out
# replay over the tunable splits (round 25): C 10 and 30 within 0.2 points of each other.
C = 10.0


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


def phrase_classes(phrases: list[str], corpus: Path = CORPUS) -> list[int]:
    """Each phrase's class: the corpus sentence holding it (phrases of one sentence share
    one); a phrase that no single sentence holds is a class of its own."""
    sentences = [
        normalize(raw[a:b])
        for path in sorted(corpus.glob("*.md"))
        for raw in [path.read_text(encoding="utf-8")]
        for a, b in sentence_spans(raw, any_case=True)
    ]
    keys: dict[str, int] = {}
    out = []
    for p in phrases:
        key = next((s for s in sentences if p in s), p)
        out.append(keys.setdefault(key, len(keys)))
    return out


def fit_classes(
    x: np.ndarray, y: np.ndarray, k: int, c: float = C
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by L-BFGS from zeros (deterministic): (W, b)."""
    d = x.shape[1]
    onehot = np.eye(k)[y]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[: k * d].reshape(k, d), theta[k * d :]
        z = x @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        g = np.exp(logp) - onehot
        val = -(onehot * logp).sum() + (w * w).sum() / (2 * c)
        return float(val), np.concatenate([(g.T @ x + w / c).ravel(), g.sum(axis=0)])

    # one BLAS thread: a sum split over threads rounds differently, and after a thousand
    # steps the weights would differ from machine to machine (the shipped file must refit)
    with threadpool_limits(limits=1):
        res = minimize(loss, np.zeros(k * d + k), jac=True, method="L-BFGS-B",
                       options={"maxiter": 1000})  # fmt: skip
    if not res.success:
        raise RuntimeError(f"the sentence model did not converge: {res.message}")
    return res.x[: k * d].reshape(k, d), res.x[k * d :]


def build(
    vectors: np.ndarray,
    rows: list[tuple[str, str, tuple[str, ...]]],
    model_id: str = "",
    corpus: Path = CORPUS,
) -> bytes:
    """The .npz bytes: float16 vectors, distinct phrases, each row's phrase indexes, the
    sentence model (float32 weights and bias, each phrase's class), meta."""
    phrases = sorted({normalize(p) for _, _, lead in rows for p in lead})
    at = {p: i for i, p in enumerate(phrases)}
    leads = [sorted({at[normalize(p)] for p in lead}) for _, _, lead in rows]
    of_phrase = phrase_classes(phrases, corpus)
    # one training row per (question, class of its lead phrases)
    pairs = [(r, cls) for r, ks in enumerate(leads) for cls in sorted({of_phrase[k] for k in ks})]
    stored = np.asarray(vectors, dtype=np.float16)  # fitted on the vectors the file keeps
    w, b = fit_classes(
        stored.astype(np.float64)[[r for r, _ in pairs]],
        np.array([c_ for _, c_ in pairs]),
        max(of_phrase) + 1,
    )
    meta: dict[str, Any] = {
        "data": "eval/visitor dev splits (visitor questions written by helpers from the article)",
        "split": "visitor.tuning_splits(): " + ", ".join(tuning_splits()),
        "script": "python -m assistant.evals.fitting.lead_bank",
        "questions": len(rows),
        "phrases": len(phrases),
        "classes": max(of_phrase) + 1,
        "C": C,
        "model_id": model_id,
        "ids": [r[0] for r in rows],
    }
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        vectors=stored,
        phrases=np.array(json.dumps(phrases)),
        leads=np.array(json.dumps(leads)),
        class_weights=np.asarray(w, dtype=np.float32),
        class_bias=np.asarray(b, dtype=np.float32),
        phrase_class=np.array(json.dumps(of_phrase)),
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
