"""External suites for `assistant eval --suite NAME --data PATH` (../shared/data)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.evals.suites.agreement import agreement_suite
from assistant.evals.suites.answers import answer_suite
from assistant.evals.suites.faithfulness import faithfulness_suite
from assistant.evals.suites.guardrails import guardrails_suite
from assistant.evals.suites.retrieval import retrieval_suite
from assistant.pipeline.service import AnswerService

__all__ = [
    "SUITES",
    "agreement_suite",
    "answer_suite",
    "faithfulness_suite",
    "guardrails_suite",
    "retrieval_suite",
]

SUITES: dict[str, Callable[[AnswerService, Path, int], dict[str, Any]]] = {
    "agreement": agreement_suite,
    "answers": lambda service, data, limit: answer_suite(service, data),
    "faithfulness": faithfulness_suite,
    "guardrails": guardrails_suite,
    "retrieval": retrieval_suite,
}
