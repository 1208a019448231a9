"""Fit the risk head: `python -m assistant.guard.fit_risk [--data ../shared/data]`.

Reads the team's training phrases (prompts/guardrails/training/*.yaml), the DEV probe sets
listed in TRAIN_PROBES (eval/probes) and the DEV split of the external sets
(assistant/evals/splits.py; also for the cut-offs). Deterministic: the same inputs give the
same .npz (a test re-fits it and compares with the shipped one).
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
from scipy import sparse
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from assistant.guard.risk import (
    LABELS,
    RiskModel,
    combine,
    default_risk_model_path,
    message_spans,
    unit_texts,
)
from assistant.guard.word_features import hashed_words

__all__ = ["build", "dev_rows", "features", "fit", "load_training", "main", "trains_head"]

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "prompts" / "guardrails" / "training"
RULES = ROOT / "prompts" / "guardrails" / "rules.yaml"
CUED_EXTRA = 0.005  # the cued cut-off may add at most this share of everyday dev rows
L2 = 0.3  # default inverse strength C of the L2 penalty (mean loss + ||W||^2 / (2 C n))
# C, and the weight of the hashed words beside the MiniLM vector (0: vectors only), chosen
# on the DEV probe sets (eval/probes, split: dev) by `python -m bench.risk_grid` (its
# `choose`): the most emergency and crisis dev probes right, within budgets for benign probes
# (15% escalated) and the everyday dev sets (SAD 2%, XSTest 5%). Fifth fit (groups `_c`):
# C=3, words 1.0, 306 of 333 risky probes right (C=10, words 2: 301; vectors only, C=1:
# 292). The fourth fit's rule, the most probes right of all three routes, would pick C=10,
# words 2 by one probe (475 vs 474 of 517). Tenth fit (the head also learns from the dev probe
# sets in TRAIN_PROBES; the held-out risk_dev3 chooses): C=3, words 1.0 again, 166 of 179
# risky held-out probes right (C=1, words 1: 161; C=10, words 2: 156; vectors only: 154 at
# most, and over the SAD budget). Eleventh fit (risk_dev3 trained on, the fresh risk_dev4
# held out and choosing): C=3, words 1.0 a third time. Thirteenth fit (round 14: risk_dev4
# trained on, the fresh risk_dev5 and risk_dev6 held out and choosing): C=3, words 1.0 again,
# 326 of 350 risky held-out probes right (C=1, words 1: 323; C=10, words 2: 318; vectors only:
# 308 at most). Fourteenth fit (round 15: risk_dev5 to risk_dev7 trained on, C and words
# kept without a new grid; the fresh risk_dev8 held out judged it against the thirteenth:
# crisis 82 -> 85 of 97, benign left alone 93 -> 95 of 101, emergency 95 of 100 both).
# Fifteenth fit (round 16: risk_dev8 trained on as well, C and words kept; the fresh risk_dev9
# held out judged it against the fourteenth: emergency 96 -> 95 of 99, crisis 89 of 98 and
# benign left alone 87 of 101 both: level, kept for the broader training data). A sixteenth fit
# (round 17: risk_dev9 trained on too, plus benign phrases on treatments that cut nerve
# signals) was level on the held-out risk_dev10 but raised the cued crisis cut-off 0.75 -> 0.81:
# a review found passive ideation ("sometimes i wish i wouldn't wake up") no longer escalated.
# Not shipped; a refit needs a floor on cued crisis recall first.
# Seventeenth fit (round 26): the head also learns from risk_dev9 to risk_dev19 (every dev
# probe set the rules were already tuned on), C and words kept. The cued crisis cut-off held
# (0.75 -> 0.74). The two fresh sets held out and judging it (risk_dev20, risk_dev21; their
# aggregates only) against the fifteenth fit, with the same rules: emergency 195 of 203 both,
# crisis 134 -> 139 of 149, benign left alone 199 of 216 both.
# Eighteenth fit (round 27): risk_dev20 trained on as well (the rules were tuned on it this
# round), C and words kept; cut-offs: crisis medium 0.59 -> 0.57, cued 0.74 -> 0.75. The two
# fresh sets held out and judging it (risk_dev21, risk_dev22; their aggregates only), against
# the seventeenth fit with the same rules: emergency 198 -> 200 of 206, crisis 130 of 136
# both, benign left alone 213 -> 214 of 227.
# Round 29: the eighteenth fit refitted with that round's rules (the rules label which dev
# rows they already escalate and which cue words a message names, so a rule change moves the
# weights): cut-offs identical, weights within 0.03. Four fits that also learned from
# risk_dev21 and risk_dev22 and from new phrases by category were judged on the held-out
# risk_dev23 and risk_dev24 (aggregates only) and the tunable pool and not shipped: each lost
# a crisis message on one of them, raised the cued crisis cut-off, or read a short visitor
# question ("good for everyone?") as crisis.
# Round 30: refitted with that round's rules (cut-offs identical, weights within 2e-4). Two
# fits judged on the held-out risk_dev24 and risk_dev25 (aggregates only) and the tunable pool
# and not shipped: one that also learned from risk_dev21 to risk_dev23 lost a crisis message
# on risk_dev24 (crisis medium cut-off 0.57 -> 0.53); one that also learned one in three
# tunable visitor dev questions as "none" (`--visitor-share 3`) escalated 9 fewer visitor
# questions but 2 more held-out benign messages and raised the cued crisis cut-off 0.75 -> 0.76.
# Round 31: refitted with that round's rules and new phrases by category (a treatment decision,
# IV questions, anger at funding, remembrance, relatives compared): cut-offs emergency medium
# and cued 0.20 -> 0.22, crisis medium 0.57 -> 0.58, cued 0.75 -> 0.76. Judged on the held-out
# risk_dev25 and risk_dev26 (aggregates only) against the round-30 head with the same rules:
# crisis 112 -> 113 of 119, emergency and benign level. A fit that also learned side-effect
# questions naming symptoms lowered the emergency cut-offs back to 0.20 and escalated five more
# tunable benign messages; not shipped.
# Round 32: refitted with that round's rules only (cut-offs identical to round 31's). Judged on
# the held-out risk_dev26 and risk_dev27 (aggregates only) against the round-31 head with the
# same rules: level on every figure; the tunable pool level but for one harmful do-not-answer
# request now off_topic instead of refused. Two fits that also learned weather and household
# worries (and, in the first, tired parents of mildly ill children and writers asking how an
# emergency looks) lowered the emergency cut-offs to 0.20, escalated 5 more tunable benign
# messages and missed one or two tunable crisis messages, for one more held-out benign message
# left alone; not shipped.
# Round 33: refitted with that round's rules, and with one torch and one BLAS thread (the
# round-32 refit gave weights up to 0.01 apart with 1 or 2 threads; these refits give identical
# arrays at either count). Cut-offs identical to round 32's. Judged on the held-out risk_dev28
# and risk_dev29 (aggregates only) against the round-32 head with the same rules: level on
# every figure; the tunable pool level but for one harmful do-not-answer request now refused
# instead of off_topic. A fit that also learned short everyday worries and ordinary questions
# on the visit lowered the crisis cut-offs (medium 0.58 -> 0.53, cued 0.76 -> 0.74), left 2
# more of a new everyday-stress set alone but escalated 3 more tunable benign messages and
# missed one tunable crisis message (held out: level); not shipped.
# Figures: bench/results/risk_grid.json.
C = 3.0
BETA = 1.0
BENIGN_LABELS = ("none", "clinician")  # every sentence of such a message has its label
FILLER_GROUPS = ("everyday_stress", "general_health_info", "ketamine_and_pain_info")
# Dev probe sets (eval/probes, split: dev) that the head also learns from: written by helpers
# who saw only the categories, in their own words, and checked against every test prompt by
# the leakage check. A probe set not listed stays held out, to judge the fit: risk_dev9 judged
# the sixteenth round, risk_dev10 (written in it) the seventeenth, risk_dev11 (written in the
# seventeenth) the next; risk_dev3 to risk_dev8, held out before, are trained on since, and
# risk_dev9 to risk_dev19 since round 26, risk_dev20 since round 27 (risk_dev21 and risk_dev22
# judge it).
TRAIN_PROBES = (
    "risk_dev",
    "risk_dev2",
    "risk_dev3",
    "risk_dev4",
    "risk_dev5",
    "risk_dev6",
    "risk_dev7",
    "risk_dev8",
    "risk_dev9",
    "risk_dev10",
    "risk_dev11",
    "risk_dev12",
    "risk_dev13",
    "risk_dev14",
    "risk_dev15",
    "risk_dev16",
    "risk_dev17",
    "risk_dev18",
    "risk_dev19",
    "risk_dev20",
    "venting_dev",
    "everyday_dev",
)
PROBES = ROOT / "eval" / "probes"


def trains_head(probe_set: str, names: tuple[str, ...] = TRAIN_PROBES) -> bool:
    """True when the head learns from this probe set ("probes risk_dev" or "risk_dev")."""
    return probe_set.removeprefix("probes ") in names


# One in this many tunable visitor dev questions (eval/visitor) is learned as "none" (0: none).
VISITOR_SHARE = 0
# Benign probes of these categories describe a non-urgent problem: a clinician's question.
CLINICIAN_CATEGORIES = ("mild_symptoms", "non_urgent_symptom", "clinician_benign")
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


def load_probes(
    names: tuple[str, ...] = TRAIN_PROBES, folder: Path = PROBES
) -> list[tuple[str, str, str]]:
    """(text, label, group) of the listed DEV probe sets: emergency and crisis as such, a
    benign probe as `clinician` (a non-urgent problem) or `none`."""
    from assistant.evals.probes import probe_sets

    out: list[tuple[str, str, str]] = []
    for name, (split, rows) in probe_sets(folder).items():
        stem = name.removeprefix("probes ")
        if not trains_head(stem, names):
            continue
        if split != "dev":
            raise ValueError(f"{stem}: only a dev probe set may be trained on, not {split!r}")
        for r in rows:
            exp, cat = r["expected"], r["category"]
            label = exp if exp in ("emergency", "crisis") else "none"
            if exp == "benign" and cat in CLINICIAN_CATEGORIES:
                label = "clinician"
            if r["prompt"].strip():
                out.append((r["prompt"].strip(), label, f"probe:{stem}:{cat}"))
    return out


def load_visitor_questions(share: int = 0) -> list[tuple[str, str, str]]:
    """(question, "none", group) for one in `share` of the tunable visitor dev questions
    (eval/visitor; never a held-out or test split): information questions in visitors' own
    words, which ask nothing urgent. 0: none."""
    if share <= 0:
        return []
    from assistant.evals.suites.visitor import load_visitor, tuning_splits

    tunable = set(tuning_splits())
    out = []
    for q in load_visitor():
        if q.split not in tunable or not q.question.strip():
            continue
        if int(hashlib.md5(q.id.encode()).hexdigest(), 16) % share == 0:
            out.append((q.question.strip(), "none", f"visitor:{q.split}"))
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
    from assistant.guard import load_rules
    from assistant.guard.normalize import normalize_message

    rules = load_rules(RULES, known)  # as the rails read a message

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


def features(
    embedder: Any, phrases: list[tuple[str, str, str]]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Vectors as the scorer sees them: query vectors, pooled sentence vectors alone and in
    a longer message. Returns (X, y, the text of each row)."""
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
    row_texts = texts + texts + [texts[j] for own in owners for j in own]
    # A benign message of several sentences also teaches with each of its sentences, as the
    # scorer reads them: pooled in the message's pass, and encoded alone (a second look). A
    # risky one teaches with the whole only: which sentence carries the risk is unknown.
    benign = {i: message_spans(p) for i, (p, lab, _) in enumerate(phrases) if lab in BENIGN_LABELS}
    multi = [i for i, sp in benign.items() if len(sp) > 1]
    if multi:
        spans = [benign[i] for i in multi]
        _, pooled = embedder.embed_passages([texts[i] for i in multi], spans)
        sents = [texts[i][a:b] for i, sp in zip(multi, spans, strict=True) for a, b in sp]
        lab = np.concatenate(
            [np.full(len(sp), labels[i]) for i, sp in zip(multi, spans, strict=True)]
        )
        xs += [np.vstack(pooled), embedder.embed_queries(sents, cache=False)]
        ys += [lab, lab]
        row_texts += sents + sents
    return np.vstack(xs).astype(np.float64), np.concatenate(ys), row_texts


Head = tuple[np.ndarray, np.ndarray, np.ndarray | None]


def fit(
    x: np.ndarray, y: np.ndarray, c: float = L2, words: sparse.csr_matrix | None = None
) -> Head:
    """Class-balanced multinomial logistic regression by L-BFGS (deterministic), over the
    vectors and, when given, the (scaled) hashed words of each row: (W, b, word weights)."""
    n, d = x.shape
    k = len(LABELS)
    m = 0 if words is None else int(words.shape[1])
    counts = np.bincount(y, minlength=k).astype(np.float64)
    w_row = (n / (k * np.maximum(counts, 1)))[y]
    onehot = np.eye(k)[y]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: k * d].reshape(k, d)
        v = theta[k * d : k * (d + m)].reshape(k, m)
        b = theta[k * (d + m) :]
        z = x @ w.T + b
        if words is not None:
            z = z + np.asarray(words @ v.T)
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        reg = ((w * w).sum() + (v * v).sum()) / (2 * c * n)
        val = -(w_row * (onehot * logp).sum(axis=1)).sum() / n + reg
        g = (np.exp(logp) - onehot) * w_row[:, None] / n
        gw = g.T @ x + w / (c * n)
        gv = np.asarray((words.T @ g).T) + v / (c * n) if words is not None else v
        return float(val), np.concatenate([gw.ravel(), gv.ravel(), g.sum(axis=0)])

    # one BLAS thread (round 33; `build` also holds torch to one): a sum split over threads
    # rounds differently, and a 1- and a 2-thread refit differed by up to 0.01 in the weights
    with threadpool_limits(limits=1):
        res = minimize(loss, np.zeros(k * (d + m) + k), jac=True, method="L-BFGS-B",
                       options={"maxiter": 300})  # fmt: skip
    w = res.x[: k * d].reshape(k, d)
    v = res.x[k * d : k * (d + m)].reshape(k, m) if m else None
    return w, res.x[k * (d + m) :], v


def _words(texts: list[str], beta: float) -> sparse.csr_matrix | None:
    """The hashed words of each row, scaled by beta (None when words are not used)."""
    return beta * hashed_words(texts) if beta > 0 else None


def _dev_examples(
    units: list[np.ndarray], texts: list[list[str]], rows: list[dict[str, Any]]
) -> tuple[list[np.ndarray], list[np.ndarray], list[list[str]]]:
    """Per dev row: vectors, labels and unit texts it teaches. A risky long message teaches
    with its message vector only (which sentence carries the risk is unknown); benign ones
    with all."""
    xs, ys, ts = [], [], []
    for mat, tx, r in zip(units, texts, rows, strict=True):
        lab = LABELS.index(r["label"])
        n = len(mat) if r["label"] in BENIGN_LABELS or len(mat) == 1 else 1
        xs.append(mat[:n])
        ys.append(np.full(n, lab))
        ts.append(tx[:n])
    return xs, ys, ts


def _fold(group: str) -> int:
    return hashlib.sha256(group.encode()).digest()[0] % 2


def _cut(share: Any, sc: np.ndarray, max_fp: float, lo: float, hi: float) -> float:
    """The lowest cut-off t in [lo, hi] with share(sc >= t) <= max_fp (steps of 0.01, and
    of 0.001 above 0.99)."""
    steps = np.concatenate([np.arange(lo, min(hi, 0.99) + 1e-9, 0.01),
                            np.arange(0.991, hi + 1e-9, 0.001)])  # fmt: skip
    for t in np.round(steps, 3):
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
    # Misuse may go as high as it must: at 0.95 the out-of-fold head refused 12% of a set's
    # everyday dev rows (XSTest's safe prompts share words with harmful ones).
    th["misuse"] = _cut(share, mi, 0.02, 0.3, 0.999)
    th["clinician"] = 0.35  # only turns a no_answer/off_topic into a referral
    return th


def _max_probs(head: Head, units: list[np.ndarray], texts: list[list[str]]) -> np.ndarray:
    model = _model(head, {}, "")
    return np.array([combine(model.probs(m, t)) for m, t in zip(units, texts, strict=True)])


def _model(head: Head, th: dict[str, float], model_id: str) -> RiskModel:
    w, b, v = head
    words = None if v is None else v.astype(np.float32)
    return RiskModel(w.astype(np.float32), b.astype(np.float32), th, model_id, words)


def build(
    embedder: Any,
    data: Path | None,
    c: float = C,
    beta: float = BETA,
    probes: tuple[str, ...] = TRAIN_PROBES,
    visitor_share: int = VISITOR_SHARE,
) -> RiskModel:
    """Fit the head on the training phrases and dev probe sets (+ dev rows); its cut-offs
    from out-of-fold scores of the dev rows. One torch and one BLAS thread throughout, so
    that a refit gives the same file whatever the machine's thread count."""
    import torch

    prev = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(limits=1):
            return _build(embedder, data, c, beta, probes, visitor_share)
    finally:
        torch.set_num_threads(prev)


def _build(
    embedder: Any,
    data: Path | None,
    c: float,
    beta: float,
    probes: tuple[str, ...],
    visitor_share: int,
) -> RiskModel:
    from assistant.guard.risk import RiskScorer

    phrases = load_training() + load_probes(probes) + load_visitor_questions(visitor_share)
    x, y, texts = features(embedder, phrases)
    tokenizer = getattr(embedder, "tokenizer", None)
    known = list(tokenizer.get_vocab()) if tokenizer is not None else []
    rows = dev_rows(data, known) if data is not None else []
    digest = hashlib.sha256(json.dumps(phrases).encode()).hexdigest()[:12]
    model_id = f"{digest}:C={c}:words={beta}"
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
        return _model(fit(x, y, c, _words(texts, beta)), th, model_id)
    units = RiskScorer(embedder, RiskModel(np.zeros((1, 1)), np.zeros(1), th)).unit_vectors(
        [r["prompt"] for r in rows]
    )
    units = [u.astype(np.float64) for u in units]
    utexts = [unit_texts(r["prompt"]) for r in rows]
    dx, dy, dt = _dev_examples(units, utexts, rows)
    folds = np.array([_fold(r["group"]) for r in rows])
    oof = np.zeros((len(rows), len(LABELS)))
    for f in (0, 1):  # the cut-offs come from out-of-fold DEV scores, never from test
        tr = [i for i in range(len(rows)) if folds[i] != f]
        te = [i for i in range(len(rows)) if folds[i] == f]
        xs = np.vstack([x] + [dx[i] for i in tr])
        ys = np.concatenate([y] + [dy[i] for i in tr])
        head = fit(xs, ys, c, _words(texts + [s for i in tr for s in dt[i]], beta))
        oof[te] = _max_probs(head, [units[i] for i in te], [utexts[i] for i in te])
    th = calibrate(oof, rows)
    print(f"out-of-fold dev score {_oof_score(oof, rows, th):.3f} {th}", file=sys.stderr)
    words = _words(texts + [s for t in dt for s in t], beta)
    return _model(fit(np.vstack([x, *dx]), np.concatenate([y, *dy]), c, words), th, model_id)


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
    ap.add_argument(
        "--probes",
        default=",".join(TRAIN_PROBES),
        help="the dev probe sets (eval/probes) to learn from, comma-separated ('' for none)",
    )
    ap.add_argument(
        "--visitor-share",
        type=int,
        default=VISITOR_SHARE,
        help="learn from one in N tunable visitor dev questions as 'none' (0: none)",
    )
    args = ap.parse_args(argv)
    probes = tuple(p for p in args.probes.split(",") if p)
    from assistant.index.embeddings import MiniLMEmbedder

    data = args.data if args.data.is_dir() else None
    if data is None:
        print(f"note: {args.data} not found; default cut-offs", file=sys.stderr)
    try:
        model = build(
            MiniLMEmbedder(cache_size=0), data, probes=probes, visitor_share=args.visitor_share
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    model.save(args.out)
    print(f"wrote {args.out}: {json.dumps(model.thresholds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
