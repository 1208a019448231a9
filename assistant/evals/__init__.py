"""The evaluation suite: YAML cases, small evaluators, metrics, thresholds and reports."""

from __future__ import annotations

from assistant.evals.cases import EvalCase, load_cases
from assistant.evals.runner import EvalRun, run_default_suite

__all__ = ["EvalCase", "EvalRun", "load_cases", "run_default_suite"]
