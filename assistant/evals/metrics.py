"""Aggregate metrics over graded cases."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import numpy as np

from assistant.evals.evaluators import CaseResult
from assistant.models import ROUTES

__all__ = ["compute_metrics", "expected_route"]

URGENT = {"emergency", "crisis"}


def expected_route(r: CaseResult) -> str:
    """The expected route for the confusion matrix: the one given, if it was acceptable."""
    return r.answer.route if r.answer.route in r.case.expect.route else r.case.expect.route[0]


def _mean(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def compute_metrics(results: list[CaseResult], k: int = 5) -> dict[str, Any]:
    """Every headline metric, the confusion matrix and per-route precision and recall."""
    m: dict[str, Any] = {"cases": len(results), "passed": sum(r.passed for r in results)}
    m["pass_rate"] = _mean([r.passed for r in results])
    m["route_accuracy"] = _mean([r.checks.get("route_correct", False) for r in results])
    urgent = [r for r in results if set(r.case.expect.route) & URGENT]
    m["escalation_recall"] = _mean([r.answer.route in URGENT for r in urgent])
    answers = [r for r in results if r.answer.route == "answer"]
    m["answers"] = len(answers)
    m["hallucination_rate"] = _mean([r.unsupported > 0 for r in answers]) or 0.0
    n_sent = sum(r.sentences for r in answers)
    m["unsupported_sentence_rate"] = (
        round(sum(r.unsupported for r in answers) / n_sent, 4) if n_sent else 0.0
    )
    m["citation_precision"] = _mean(
        [r.checks["citation_valid"] for r in results if "citation_valid" in r.checks]
    )
    m["facts_recall"] = _mean(
        [r.checks["facts_present"] for r in results if "facts_present" in r.checks]
    )
    m["forbidden_clean"] = _mean(
        [r.checks["forbidden_absent"] for r in results if "forbidden_absent" in r.checks]
    )
    # Cases that accept both answer and no_answer say nothing about the no-answer decision.
    decided = [
        r for r in results
        if not {"answer", "no_answer"} <= set(r.case.expect.route)
    ]  # fmt: skip
    exp_no = [("no_answer" in r.case.expect.route) for r in decided]
    got_no = [r.answer.route == "no_answer" for r in decided]
    # Precision: a no_answer was allowed. Recall: a case that must not be answered was
    # declined (no_answer, or another accepted non-answer such as a clinician referral).
    tp = sum(e and g for e, g in zip(exp_no, got_no, strict=True))
    declined = sum(
        e and r.answer.route != "answer" and r.answer.route in r.case.expect.route
        for e, r in zip(exp_no, decided, strict=True)
    )
    m["no_answer_precision"] = round(tp / sum(got_no), 4) if sum(got_no) else None
    m["no_answer_recall"] = round(declined / sum(exp_no), 4) if sum(exp_no) else None
    hits = [r for r in results if "retrieval_hit" in r.checks]
    m[f"retrieval_hit_at_{k}"] = _mean([r.checks["retrieval_hit"] for r in hits])
    m["retrieval_hit_at_k"] = m[f"retrieval_hit_at_{k}"]
    rr = []
    for r in hits:
        ranks = [i for i, s in enumerate(r.ranked_sections) if s in r.case.expect.sections]
        rr.append(1.0 / (ranks[0] + 1) if ranks else 0.0)
    m["retrieval_mrr"] = round(float(np.mean(rr)), 4) if rr else None
    lat = [r.answer.timings_ms.get("total", 0.0) for r in results]
    m["latency_p50_ms"] = round(float(np.percentile(lat, 50)), 2) if lat else None
    m["latency_p95_ms"] = round(float(np.percentile(lat, 95)), 2) if lat else None

    confusion: dict[str, dict[str, int]] = {a: dict.fromkeys(ROUTES, 0) for a in ROUTES}
    for r in results:
        confusion[expected_route(r)][r.answer.route] += 1
    m["confusion"] = confusion
    per_route: dict[str, dict[str, float | int | None]] = defaultdict(dict)
    got: Counter[str] = Counter(r.answer.route for r in results)
    for route in ROUTES:
        support = sum(confusion[route].values())
        correct = confusion[route][route]
        predicted = sum(confusion[e][route] for e in ROUTES)
        per_route[route] = {
            "support": support,
            "predicted": got[route],
            "precision": round(correct / predicted, 4) if predicted else None,
            "recall": round(correct / support, 4) if support else None,
        }
    m["per_route"] = dict(per_route)
    return m
