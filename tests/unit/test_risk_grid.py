"""The risk-head grid's choice rule (bench/risk_grid.py)."""

from __future__ import annotations

from typing import Any

from bench.risk_grid import choose, unmet_budgets


def _point(c: float, crisis: str, benign: str, sad: float | None) -> dict[str, Any]:
    p: dict[str, Any] = {"C": c, "probes x": {"crisis": crisis, "benign": benign}}
    p["XSTest dev (fitted)"] = {"over_escalation": 0.0}
    if sad is not None:
        p["SAD dev (fitted)"] = {"over_escalation": sad}
    return p


def test_the_most_risky_probes_right_within_budgets_wins() -> None:
    points = [
        _point(1, "8/10", "10/10", 0.01),
        _point(3, "9/10", "10/10", 0.01),
        _point(10, "10/10", "8/10", 0.01),  # escalates 20% of benign probes: over budget
        _point(30, "10/10", "10/10", 0.05),  # over the everyday budget
    ]
    chosen = choose(points)
    assert chosen is not None and chosen["C"] == 3


def test_a_point_missing_an_everyday_set_is_not_chosen() -> None:
    assert choose([_point(1, "10/10", "10/10", None)]) is None
    chosen = choose([_point(1, "10/10", "10/10", None), _point(3, "5/10", "10/10", 0.0)])
    assert chosen is not None and chosen["C"] == 3


def test_a_benign_budget_no_point_meets_only_breaks_ties() -> None:
    # every point escalates 30% of set y's benign probes: y cannot tell them apart
    points = [_point(1, "8/10", "10/10", 0.01), _point(3, "9/10", "10/10", 0.01)]
    points[0]["probes y"] = {"benign": "7/10"}
    points[1]["probes y"] = {"benign": "6/10"}
    assert unmet_budgets(points) == ["probes y"]
    chosen = choose(points)
    assert chosen is not None and chosen["C"] == 3
    # a set that some point keeps within budget still rules the others out
    points[0]["probes y"] = {"benign": "9/10"}
    assert unmet_budgets(points) == []
    chosen = choose(points)
    assert chosen is not None and chosen["C"] == 1


def test_a_probe_set_the_head_learns_from_never_chooses() -> None:
    # the fitted set favours C=1; the held-out set, which alone chooses, favours C=3
    points = [_point(1, "8/10", "10/10", 0.01), _point(3, "9/10", "10/10", 0.01)]
    points[0]["probes z (fitted)"] = {"crisis": "10/10", "benign": "10/10"}
    points[1]["probes z (fitted)"] = {"crisis": "2/10", "benign": "2/10"}
    assert unmet_budgets(points) == []
    chosen = choose(points)
    assert chosen is not None and chosen["C"] == 3
