"""Fit the verifier's logistic model on the DEV split of MedHallu; write it with provenance.

`python -m assistant.evals.fitting.verifier [--data ../shared/data] [--check]` reads only the
dev rows of `halluc_medhallu_calibration.jsonl` (eval/splits.yaml), so the faithfulness
suite's test figures are measured on pairs the fit never saw. The output has no date: the
same data gives the same file, and `--check` (and a test) verify the shipped one.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.config.calibration import calibrated
from assistant.corpus.text import sentence_spans
from assistant.evals.fitting.cli import parse
from assistant.evals.splits import Split, rows_in_split
from assistant.gate.verifier import FEATURES, SupportVerifier, VerifierModel, default_model_path

__all__ = [
    "DATASET",
    "fit_logistic",
    "fit_verifier",
    "load_rows",
    "main",
    "pick_threshold",
    "row_features",
    "semantic_min",
]

DATASET = "halluc_medhallu_calibration"
ROOT = Path(__file__).resolve().parents[3]
SOURCE = "MedHallu pqa_labeled, askerlee/MedHallu @ c57590fe, MIT (contexts from PubMedQA, MIT)"
MIN_COVERAGE = calibrated("guardrails.verifier_min_coverage")  # the setting's default
GRID = tuple(round(0.2 + 0.02 * i, 2) for i in range(31))  # 0.20 .. 0.80


class _Embedder(Protocol):
    def embed_passages(
        self, texts: Sequence[str], sentence_spans: Sequence[Sequence[tuple[int, int]]]
    ) -> Any: ...


def load_rows(data: Path, split: Split | None) -> list[dict[str, Any]]:
    """MedHallu rows of one split (None: all), in file order."""
    path = data / f"{DATASET}.jsonl"
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows if split is None else rows_in_split(DATASET, rows, split)


def semantic_min(embedder: _Embedder, rows: list[dict[str, Any]]) -> list[float]:
    """Per answer: the weakest answer sentence's best cosine to a sentence of its context."""
    ans_spans = [sentence_spans(r["answer"]) or [(0, len(r["answer"]))] for r in rows]
    ctx_text = list(dict.fromkeys(r["context"] for r in rows))
    ctx_spans = [sentence_spans(c) or [(0, len(c))] for c in ctx_text]
    _, ans_vecs = embedder.embed_passages([r["answer"] for r in rows], ans_spans)
    _, ctx_vecs = embedder.embed_passages(ctx_text, ctx_spans)
    ctx_of = dict(zip(ctx_text, ctx_vecs, strict=True))
    return [
        float((av @ ctx_of[r["context"]].T).max(axis=1).min())
        for r, av in zip(rows, ans_vecs, strict=True)
    ]


def row_features(
    embedder: _Embedder, rows: list[dict[str, Any]], min_coverage: float = MIN_COVERAGE
) -> np.ndarray:
    """The verifier's FEATURES for each row's answer against its context."""
    v = SupportVerifier(min_coverage)
    sem = semantic_min(embedder, rows)
    feats = [v.features(r["answer"], r["context"], s) for r, s in zip(rows, sem, strict=True)]
    return np.array([[f[k] for k in FEATURES] for f in feats], dtype=float)


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float = 1.0) -> tuple[np.ndarray, float]:
    """L2 logistic regression (penalty 1/2|w|^2 + C * log-loss, intercept free) by Newton."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    ridge = np.ones(xb.shape[1])
    ridge[-1] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -50, 50)))
        grad = c * xb.T @ (p - y) + ridge * w
        hess = c * (xb.T * (p * (1 - p))) @ xb + np.diag(ridge)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-12:
            break
    return w[:-1], float(w[-1])


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    denom = float(pred.sum() + gold.sum())
    return 2 * tp / denom if denom else 0.0


def pick_threshold(probs: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """(threshold, F1): the grid point with the best dev F1; ties go to the one nearest 0.5."""
    scored = [(_f1(probs >= t, gold.astype(bool)), -abs(t - 0.5), t) for t in GRID]
    f1, _, t = max(scored)
    return t, round(f1, 4)


def fit_verifier(data: Path, embedder: _Embedder | None = None) -> VerifierModel:
    """The verifier model fitted on the dev split, with its provenance in `meta`."""
    if embedder is None:
        from assistant.index.embeddings import MiniLMEmbedder

        embedder = MiniLMEmbedder()
    rows = load_rows(data, "dev")
    x = row_features(embedder, rows)
    y = np.array([int(r["label"] == "hallucinated") for r in rows], dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    coef, intercept = fit_logistic(z, y)
    probs = 1.0 / (1.0 + np.exp(-(z @ coef + intercept)))
    threshold, dev_f1 = pick_threshold(probs, y)
    digest = hashlib.sha256((data / f"{DATASET}.jsonl").read_bytes()).hexdigest()
    r6 = lambda v: round(float(v), 6)  # noqa: E731 - stable JSON across tiny float noise
    return VerifierModel(
        features=FEATURES,
        mean=tuple(r6(m) for m in mean),
        scale=tuple(r6(s) for s in scale),
        coef=tuple(r6(c) for c in coef),
        intercept=r6(intercept),
        threshold=threshold,
        meta={
            "data": f"../shared/data/{DATASET}.jsonl ({SOURCE})",
            "data_sha256": digest,
            "split": f"dev only (eval/splits.yaml, dataset {DATASET}, grouped by pair_id)",
            "rows": len(rows),
            "pairs": len({r["pair_id"] for r in rows}),
            "fitted_by": "python -m assistant.evals.fitting.verifier",
            "model": "L2 logistic regression (C=1, Newton) on standardised features; "
            "threshold: best dev F1 on 0.20..0.80 step 0.02",
            "semantic_min": "packaged MiniLM: weakest answer sentence's best cosine to a "
            "context sentence",
            "dev_f1": dev_f1,
            "test_figures": "assistant eval --suite faithfulness (test split only)",
        },
    )


def same_model(a: VerifierModel, b: VerifierModel, tol: float = 1e-4) -> list[str]:
    """Differences between two models beyond `tol` (empty when they agree)."""
    out = [f"{k} differs" for k in ("features", "threshold") if getattr(a, k) != getattr(b, k)]
    for k in ("mean", "scale", "coef"):
        if not np.allclose(getattr(a, k), getattr(b, k), atol=tol, rtol=0):
            out.append(f"{k} differs: {getattr(a, k)} vs {getattr(b, k)}")
    if abs(a.intercept - b.intercept) > tol:
        out.append(f"intercept differs: {a.intercept} vs {b.intercept}")
    keys = ("data_sha256", "split", "rows", "pairs", "fitted_by")
    out += [f"meta.{k} differs" for k in keys if a.meta.get(k) != b.meta.get(k)]
    return out


def main(argv: list[str] | None = None) -> int:
    """Fit and write the model, or `--check` that the shipped one is reproduced."""
    args = parse("verifier", default_model_path(), f"{DATASET}.jsonl", argv, check=True)
    if args is None:
        return 2
    model = fit_verifier(args.data)
    if args.check:
        diffs = same_model(model, VerifierModel.load(args.out))
        for d in diffs:
            print(f"{args.out}: {d}", file=sys.stderr)
        print("reproduced" if not diffs else "NOT reproduced")
        return 1 if diffs else 0
    model.dump(args.out)
    print(f"wrote {args.out}: threshold {model.threshold}, dev F1 {model.meta['dev_f1']}, "
          f"{model.meta['rows']} dev rows")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
