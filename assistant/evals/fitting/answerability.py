"""Fit the answerability model on DEV questions; write it with provenance.

`python -m assistant.evals.fitting.answerability [--data ../shared/data] [--check]` builds
the two labelled sets of `assistant eval --suite answers` (PubMedQA-style pairs from the
MedHallu calibration file, and MedQuAD with half its pages removed), reads the features of
their DEV questions only (eval/splits.yaml), fits a logistic model and picks the threshold
reports out-of-fold dev rates per threshold. The test questions are never read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from assistant.config.container import build_services
from assistant.config.settings import Settings
from assistant.evals.fitting.cli import parse
from assistant.evals.fitting.verifier import fit_logistic
from assistant.evals.suites.answer_sets import LabelledQuestion, medquad_set, pubmedqa_set
from assistant.evals.suites.answers import service_over
from assistant.pipeline.service import AnswerService
from assistant.retrieve.answer_model import FEATURES, AnswerabilityModel, default_model_path

__all__ = ["collect", "fit_answerability", "main", "rates"]

C = 1.0
GRID = tuple(round(0.1 + 0.05 * i, 2) for i in range(17))  # 0.10 .. 0.90


def collect(svc: AnswerService, questions: list[LabelledQuestion]) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the DEV questions, through the service's own feature code."""
    rows = [q for q in questions if q.split == "dev"]
    x = np.array([[svc.answer_features(q.messages)[f] for f in FEATURES] for q in rows])
    return x, np.array([q.in_corpus for q in rows], dtype=float)


def _folds(n: int, k: int = 5) -> list[np.ndarray]:
    return [np.arange(i, n, k) for i in range(k)]


def rates(probs: np.ndarray, gold: np.ndarray, sets: np.ndarray) -> dict[str, dict[str, float]]:
    """Per threshold of GRID: each set's share of in- and out-of-corpus questions passing.

    The threshold itself (`retrieval.answerable_threshold`) is chosen on the dev figures of
    the whole pipeline (`assistant eval --suite answers`, dev columns), because the model is
    only the first of several checks (unknown words, aspects, the composer's floor)."""
    table: dict[str, dict[str, float]] = {}
    for t in GRID:
        row: dict[str, float] = {}
        for s in sorted(set(sets.tolist())):
            m = sets == s
            row[f"{s}_in"] = round(float((probs[m & (gold == 1)] >= t).mean()), 4)
            row[f"{s}_out"] = round(float((probs[m & (gold == 0)] >= t).mean()), 4)
        table[f"{t:.2f}"] = row
    return table


def fit_answerability(data: Path) -> AnswerabilityModel:
    """Build both sets, collect dev features, fit, and pick the threshold out of fold."""
    base = build_services(Settings())
    xs, ys, ss = [], [], []
    with tempfile.TemporaryDirectory(prefix="va-fit-answerability-") as tmp:
        root = Path(tmp)
        pq = pubmedqa_set(data, root / "pq")
        x, y = collect(service_over(base, root, root / "pq", "pq"), pq)
        xs.append(x)
        ys.append(y)
        ss.append(np.array(["pubmedqa"] * len(y)))
        mq, _ = medquad_set(data, root / "mq")
        x, y = collect(service_over(base, root, root / "mq", "mq"), mq)
        xs.append(x)
        ys.append(y)
        ss.append(np.array(["medquad"] * len(y)))
    x, y, sets = np.vstack(xs), np.concatenate(ys), np.concatenate(ss)
    oof = np.zeros(len(y))
    for fold in _folds(len(y)):
        train = np.setdiff1d(np.arange(len(y)), fold)
        w, b = fit_logistic(x[train], y[train], C)
        oof[fold] = 1.0 / (1.0 + np.exp(-(x[fold] @ w + b)))
    w, b = fit_logistic(x, y, C)
    meta = {
        "data": "PubMedQA-style pairs (halluc_medhallu_calibration.jsonl) and MedQuAD with half "
        "the pages removed (medquad_questions.jsonl), as built by `assistant eval --suite answers`",
        "split": "dev only (eval/splits.yaml groups); test questions never read",
        "script": "python -m assistant.evals.fitting.answerability",
        "rows": len(y),
        "c": C,
        "out_of_fold_dev_rates": rates(oof, y, sets),
    }
    return AnswerabilityModel(tuple(float(v) for v in w), b, meta)


def main(argv: list[str] | None = None) -> int:
    """Fit and write the model (the threshold goes to config/calibration.yaml by hand)."""
    args = parse("answerability", default_model_path(), "medquad_questions.jsonl", argv)
    if args is None:
        return 2
    model = fit_answerability(args.data)
    model.dump(args.out)
    print(f"wrote {args.out}: weights {model.weights}, bias {model.bias:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
