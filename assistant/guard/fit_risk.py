"""Fit the risk head: `python -m assistant.guard.fit_risk [--data ../shared/data]`.

Reads only the team's training phrases (prompts/guardrails/training/*.yaml) and, for the
cut-offs, the DEV split of the external sets (assistant/evals/splits.py). Deterministic: the
same inputs give the same .npz (a test re-fits it and compares with the shipped one).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.optimize import minimize

from assistant.guard.risk import LABELS, RiskModel, combine, default_risk_model_path

__all__ = ["dev_rows", "fit", "load_training", "main"]

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "prompts" / "guardrails" / "training"
RULES = ROOT / "prompts" / "guardrails" / "rules.yaml"
CUED_EXTRA = 0.005  # the cued cut-off may add at most this share of everyday dev rows
L2 = 0.3  # inverse-strength C of the L2 penalty (per example mean loss + ||W||^2 / (2 C n))
# Candidates for C, chosen by the out-of-fold score on dev (`_oof_score`).
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
FILLER_GROUPS = ("everyday_stress", "general_health_info", "ketamine_and_pain_info")
# Dev rows that must escalate, and dev rows that must not (for the cut-offs only).
DEV_SETS = (
    "crisis_lostbench_calibration",
    "triage_semigran",
    "benign_sad_calibration",
    "refusals_xstest",
    "refusals_donotanswer",
)


def load_training(folder: Path = TRAINING) -> list[tuple[str, str, str]]:
    """(phrase, label, group) from every training file, in file and group order."""
    out: list[tuple[str, str, str]] = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        label = data.get("label")
        if label not in LABELS:
            raise ValueError(f"{path}: label must be one of {LABELS}, not {label!r}")
        for group, phrases in (data.get("groups") or {}).items():
            for p in phrases or []:
                if isinstance(p, str) and p.strip():
                    out.append((p.strip(), str(label), str(group)))
    return out


def _label_of(ds: str, group: str, expected: str) -> str:
    """The risk label a dev row teaches (our mapping of the set's expectation)."""
    if expected in ("emergency", "crisis"):
        return expected
    if expected == "refuse":
        return "misuse"
    if expected == "escalate":
        return "crisis" if "self-harm" in group.lower() else "clinician"
    if ds in ("crisis_lostbench_calibration", "triage_semigran"):
        return "clinician"  # non-urgent symptoms: see a doctor, not an emergency
    return "none"


def _rule_reader(known: list[str]) -> Callable[[str], tuple[frozenset[str], frozenset[str]]]:
    """A function giving, for a message as the rails read it, the routes whose cue words it
    names and the urgent routes (emergency, crisis, refused) whose rules fire on it."""
    from assistant.guard.normalize import normalize_message
    from assistant.guard.rules import RuleSet

    rules = RuleSet.load(RULES, known)

    def read(text: str) -> tuple[frozenset[str], frozenset[str]]:
        norm = normalize_message(text, rules.fixer)
        urgent = ("emergency", "crisis", "refused")
        return rules.cued(norm), frozenset(r for r in urgent if rules.match(r, norm))

    return read


def dev_rows(data: Path, known: list[str] | None = None) -> list[dict[str, Any]]:
    """The DEV split of the external sets: {prompt, expected, dataset, group, label, cues,
    rules}."""
    from assistant.evals.splits import group_of, rows_in_split

    read = _rule_reader(known or [])
    rows: list[dict[str, Any]] = []
    for ds in DEV_SETS:
        path = data / f"{ds}.jsonl"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as fh:
            all_rows = [json.loads(line) for line in fh if line.strip()]
        for r in rows_in_split(ds, all_rows, "dev"):
            g = group_of(ds, r)
            cues, fired = read(r["prompt"])
            rows.append(
                {
                    "prompt": r["prompt"],
                    "expected": r["expected"],
                    "dataset": ds,
                    "group": g,
                    "label": _label_of(ds, g, r["expected"]),
                    "cues": cues,
                    "rules": fired,
                }
            )
    return rows


def _contexts(
    phrases: list[tuple[str, str, str]], rng: np.random.Generator
) -> tuple[list[str], list[list[tuple[int, int]]], list[list[int]]]:
    """Every phrase placed among 1-4 filler sentences: (messages, spans, phrase index per span)."""
    fill = [i for i, (_, lab, g) in enumerate(phrases) if lab == "none" and g in FILLER_GROUPS]
    texts: list[str] = []
    spans: list[list[tuple[int, int]]] = []
    owners: list[list[int]] = []
    for i in range(len(phrases)):
        k = int(rng.integers(1, 5))
        picked = [int(j) for j in rng.choice(fill, size=k, replace=False) if j != i]
        picked.insert(int(rng.integers(0, len(picked) + 1)), i)
        text, sp = "", []
        for j in picked:
            s = phrases[j][0].rstrip(".!?") + "."
            start = len(text) + (1 if text else 0)
            text = f"{text} {s}" if text else s
            sp.append((start, start + len(s)))
        texts.append(text)
        spans.append(sp)
        owners.append(picked)
    return texts, spans, owners


def features(embedder: Any, phrases: list[tuple[str, str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Vectors as the scorer sees them: query vectors, pooled sentence vectors alone and in
    a longer message. Returns (X, y)."""
    texts = [p for p, _, _ in phrases]
    labels = np.array([LABELS.index(lab) for _, lab, _ in phrases])
    q = embedder.embed_queries(texts, cache=False)
    _, alone = embedder.embed_passages(texts, [[(0, len(t))] for t in texts])
    rng = np.random.default_rng(11)
    ctx_texts, ctx_spans, owners = _contexts(phrases, rng)
    _, ctx = embedder.embed_passages(ctx_texts, ctx_spans)
    xs = [q, np.vstack(alone)]
    ys = [labels, labels]
    for mat, own in zip(ctx, owners, strict=True):
        xs.append(mat)
        ys.append(labels[own])
    return np.vstack(xs).astype(np.float64), np.concatenate(ys)


def fit(x: np.ndarray, y: np.ndarray, c: float = L2) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced multinomial logistic regression by L-BFGS (deterministic)."""
    n, d = x.shape
    k = len(LABELS)
    counts = np.bincount(y, minlength=k).astype(np.float64)
    w_row = (n / (k * np.maximum(counts, 1)))[y]
    onehot = np.eye(k)[y]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: k * d].reshape(k, d)
        b = theta[k * d :]
        z = x @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        val = -(w_row * (onehot * logp).sum(axis=1)).sum() / n + (w * w).sum() / (2 * c * n)
        g = (np.exp(logp) - onehot) * w_row[:, None] / n
        gw = g.T @ x + w / (c * n)
        return float(val), np.concatenate([gw.ravel(), g.sum(axis=0)])

    res = minimize(loss, np.zeros(k * d + k), jac=True, method="L-BFGS-B",
                   options={"maxiter": 300})  # fmt: skip
    return res.x[: k * d].reshape(k, d), res.x[k * d :]


def _dev_examples(
    units: list[np.ndarray], rows: list[dict[str, Any]]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per dev row: vectors and labels it teaches. A risky long message teaches with its
    message vector only (which sentence carries the risk is unknown); benign ones with all."""
    xs, ys = [], []
    for mat, r in zip(units, rows, strict=True):
        lab = LABELS.index(r["label"])
        keep = mat if r["label"] in ("none", "clinician") or len(mat) == 1 else mat[:1]
        xs.append(keep)
        ys.append(np.full(len(keep), lab))
    return xs, ys


def _fold(group: str) -> int:
    return hashlib.sha256(group.encode()).digest()[0] % 2


def _cut(share: Any, sc: np.ndarray, max_fp: float, lo: float, hi: float) -> float:
    """The lowest cut-off t in [lo, hi] with share(sc >= t) <= max_fp."""
    for t in np.round(np.arange(lo, hi + 1e-9, 0.01), 2):
        if share(sc >= t) <= max_fp:
            return float(t)
    return hi


def _flags(rows: list[dict[str, Any]], key: str, name: str) -> np.ndarray:
    """Per row: whether `name` is in the row's `key` set (cues, or the rules that fire)."""
    return np.array([name in r.get(key, ()) for r in rows], dtype=bool)


def calibrate(scores: np.ndarray, rows: list[dict[str, Any]]) -> dict[str, float]:
    """Cut-offs from out-of-fold scores of the DEV rows. High: at most 1.5% of the everyday
    rows of each set (SAD everyday stress, XSTest safe prompts) escalated, counting those the
    rules escalate. Medium (a resources line only): up to 10%. Cued (a cue word as well): at
    most CUED_EXTRA more."""
    em, cr, mi = (scores[:, LABELS.index(k)] for k in ("emergency", "crisis", "misuse"))
    exp = np.array([r["expected"] for r in rows])
    ds = np.array([r["dataset"] for r in rows])
    benign = (exp == "benign") | (exp == "answer")
    sets = [benign & (ds == d) for d in ("benign_sad_calibration", "refusals_xstest")]
    sets = [m for m in sets if m.any()]
    # Everyday rows the rules already escalate use up part of every budget.
    ruled = np.array([bool(r.get("rules")) for r in rows], dtype=bool)

    def share(fired: np.ndarray, base: np.ndarray = ruled) -> float:
        """The largest share of a set's everyday rows escalated (with `base`)."""
        return max((float((base | fired)[m].mean()) for m in sets), default=0.0)

    none = np.zeros(len(rows), dtype=bool)
    th: dict[str, float] = {}
    for name, sc in (("emergency", em), ("crisis", cr)):
        # The over-escalation goal (<= 2% of everyday messages) is a hard limit: with the
        # rules, the high cut-off keeps at most 1.5% of each set's everyday rows escalated.
        high = th[f"{name}_high"] = _cut(share, sc, 0.015, 0.3, 0.9)
        th[f"{name}_medium"] = min(high, _cut(lambda f: share(f, none), sc, 0.10, 0.15, 0.9))
        # With a cue word of the route, a lower cut-off, as low as adds <= CUED_EXTRA.
        over = sc >= high
        cued = _flags(rows, "cues", name)
        base = share(over)

        def extra(
            fired: np.ndarray, over: np.ndarray = over, cued: np.ndarray = cued, base: float = base
        ) -> float:
            """How many more everyday rows the cued cut-off escalates (share of a set)."""
            return share(over | (cued & fired)) - base

        th[f"{name}_cued"] = _cut(extra, sc, CUED_EXTRA, th[f"{name}_medium"], high)
    th["misuse"] = _cut(share, mi, 0.02, 0.3, 0.95)
    th["clinician"] = 0.35  # only turns a no_answer/off_topic into a referral
    return th


def _max_probs(w: np.ndarray, b: np.ndarray, units: list[np.ndarray]) -> np.ndarray:
    model = RiskModel(w.astype(np.float32), b.astype(np.float32), {})
    return np.array([combine(model.probs(m)) for m in units])


def build(embedder: Any, data: Path | None) -> RiskModel:
    """Fit the head on the training phrases (+ dev rows) and calibrate it out of fold."""
    from assistant.guard.risk import RiskScorer

    phrases = load_training()
    x, y = features(embedder, phrases)
    tokenizer = getattr(embedder, "tokenizer", None)
    known = list(tokenizer.get_vocab()) if tokenizer is not None else []
    rows = dev_rows(data, known) if data is not None else []
    digest = hashlib.sha256(json.dumps(phrases).encode()).hexdigest()[:12]
    th = {
        "emergency_high": 0.5,
        "emergency_medium": 0.3,
        "crisis_high": 0.5,
        "crisis_medium": 0.3,
        "clinician": 0.5,
        "misuse": 0.6,
        "emergency_cued": 0.5,
        "crisis_cued": 0.5,
    }
    if not rows:
        w, b = fit(x, y)
        return RiskModel(w.astype(np.float32), b.astype(np.float32), th, digest)
    units = RiskScorer(embedder, RiskModel(np.zeros((1, 1)), np.zeros(1), th)).unit_vectors(
        [r["prompt"] for r in rows]
    )
    units = [u.astype(np.float64) for u in units]
    dx, dy = _dev_examples(units, rows)
    folds = np.array([_fold(r["group"]) for r in rows])
    best: tuple[float, float, dict[str, float]] | None = None
    for c in C_GRID:  # the L2 strength is chosen on out-of-fold DEV scores, never on test
        oof = np.zeros((len(rows), len(LABELS)))
        for f in (0, 1):
            tr = [i for i in range(len(rows)) if folds[i] != f]
            xs, ys = np.vstack([x] + [dx[i] for i in tr]), np.concatenate([y] + [dy[i] for i in tr])
            w, b = fit(xs, ys, c)
            te = [i for i in range(len(rows)) if folds[i] == f]
            oof[te] = _max_probs(w, b, [units[i] for i in te])
        cut = calibrate(oof, rows)
        score = _oof_score(oof, rows, cut)
        print(f"C={c}: out-of-fold dev score {score:.3f} {cut}", file=sys.stderr)
        if best is None or score > best[0]:
            best = (score, c, cut)
    assert best is not None
    _, c, th = best
    w, b = fit(np.vstack([x, *dx]), np.concatenate([y, *dy]), c)
    return RiskModel(w.astype(np.float32), b.astype(np.float32), th, f"{digest}:C={c}")


def _oof_score(oof: np.ndarray, rows: list[dict[str, Any]], th: dict[str, float]) -> float:
    """Urgent-row recall of the rules and the head (high or cued cut-offs), plus half the
    misuse rows refused, minus 3x the everyday rows over-escalated (sent to emergency, crisis
    or a refusal, as the guardrails suite counts it), on dev."""
    lab = np.array([r["label"] for r in rows])
    exp = np.array([r["expected"] for r in rows])
    urgent = np.zeros(len(rows), dtype=bool)
    for name in ("emergency", "crisis"):
        sc = oof[:, LABELS.index(name)]
        cut = th.get(f"{name}_cued", th[f"{name}_high"])
        urgent |= _flags(rows, "rules", name) | (sc >= th[f"{name}_high"])
        urgent |= _flags(rows, "cues", name) & (sc >= cut)
    refused = _flags(rows, "rules", "refused") | (oof[:, LABELS.index("misuse")] >= th["misuse"])
    escalated = urgent | refused
    risky = np.isin(lab, ["emergency", "crisis"])
    everyday = np.isin(exp, ["benign", "answer"])
    recall = float(urgent[risky].mean()) if risky.any() else 0.0
    misuse = float(refused[lab == "misuse"].mean()) if (lab == "misuse").any() else 0.0
    fp = float(escalated[everyday].mean()) if everyday.any() else 0.0
    return recall + 0.5 * misuse - 3.0 * fp


def main(argv: list[str] | None = None) -> int:
    """Fit, calibrate and write the packaged risk model."""
    ap = argparse.ArgumentParser(prog="python -m assistant.guard.fit_risk")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=default_risk_model_path())
    args = ap.parse_args(argv)
    from assistant.index.embeddings import MiniLMEmbedder

    data = args.data if args.data.is_dir() else None
    if data is None:
        print(f"note: {args.data} not found; default cut-offs", file=sys.stderr)
    model = build(MiniLMEmbedder(cache_size=0), data)
    model.save(args.out)
    print(f"wrote {args.out}: {json.dumps(model.thresholds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
