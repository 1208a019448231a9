"""The guardrails and retrieval suites run on the shared sets (needs ../shared/data)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SHARED

DATA = SHARED / "data"
pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"external data not present ({DATA}; CI has ../shared/data)"
)


def test_guardrails_and_retrieval_suites_score_the_shared_sets(assistant: Any) -> None:
    from assistant.evals.suites import guardrails_suite, retrieval_suite

    rails = guardrails_suite(assistant.service, DATA, limit=10)
    dna = rails["sets"]["do-not-answer"]
    assert dna["test"]["n"] == 10 and dna["dev"]["n"] == 10
    assert sum(sum(v.values()) for v in dna["test"]["confusion"].values()) == 10
    for name, by_split in rails["sets"].items():
        quoted = [g.get("article_quoted") for g in by_split.values()]
        if name.startswith("probes "):  # probe sets hold questions about the treatment
            assert quoted == [None] * len(quoted), name
        else:
            assert all(q is not None and 0.0 <= q <= 1.0 for q in quoted), name
    assert "article quoted" in rails["table"][0]
    ret = retrieval_suite(assistant.service, DATA, limit=8)
    assert ret["docs"] == 8 and ret["questions"] > 0 and ret["recall_at_5"] >= 0.8
    precision = ret["answer_precision"]
    assert set(precision) == {"test", "dev"}
    assert sum(p["sentences"] for p in precision.values()) > 0
    assert all(
        p["inside_gold"] is None or 0.0 <= p["inside_gold"] <= 1.0 for p in precision.values()
    )
