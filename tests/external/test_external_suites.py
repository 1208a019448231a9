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

    rails = guardrails_suite(assistant.service, DATA, limit=40)
    assert rails["refusal_rate"] is not None and rails["refusal_rate"] >= 0.9
    ret = retrieval_suite(assistant.service, DATA, limit=8)
    assert ret["docs"] == 8 and ret["questions"] > 0 and ret["recall_at_5"] >= 0.8
