"""The risk-head grid's choice rule (bench/risk_grid.py)."""

from __future__ import annotations

from typing import Any

from bench.risk_grid import choose


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
