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
    answered = dna["test"]["confusion"]
    quoted = sum(v.get("answer", 0) for v in answered.values()) / 10
    assert dna["test"]["article_quoted"] == round(quoted, 4)
    assert "article quoted" in rails["table"][0]
    ret = retrieval_suite(assistant.service, DATA, limit=8)
    assert ret["docs"] == 8 and ret["questions"] > 0 and ret["recall_at_5"] >= 0.8
    precision = ret["answer_precision"]
    assert set(precision) == {"test", "dev"}
    assert sum(p["sentences"] for p in precision.values()) > 0
    assert all(
        p["inside_gold"] is None or 0.0 <= p["inside_gold"] <= 1.0 for p in precision.values()
    )
