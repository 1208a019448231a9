"""The faithfulness suite: the output gate's verifier on MedHallu pairs, test split first.

The verifier's model is fitted on the dev split (`python -m assistant.evals.fitting.verifier`),
so only the test figures are results; dev is shown beside them to expose over-fitting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.evals.fitting.verifier import DATASET, SOURCE, load_rows, row_features
from assistant.evals.splits import Split
from assistant.evals.suites.common import prf
from assistant.gate.verifier import FEATURES, SupportVerifier, VerifierModel, default_model_path
from assistant.pipeline.service import AnswerService

__all__ = ["faithfulness_split", "faithfulness_suite"]


def faithfulness_split(
    service: AnswerService, data: Path, split: Split, model: VerifierModel, limit: int = 0
) -> dict[str, Any]:
    """Model and rules-only P/R/F1 on one split, overall and by difficulty."""
    rows = load_rows(data, split)
    rows = rows[:limit] if limit else rows
    min_coverage = service.settings.guardrails.verifier_min_coverage
    x = row_features(service.embedder, rows, min_coverage)
    gold = [int(r["label"] == "hallucinated") for r in rows]
    pred = [int(model.probability(dict(zip(FEATURES, f, strict=True))) >= model.threshold)
            for f in x.tolist()]  # fmt: skip
    verifier = SupportVerifier(min_coverage)
    rules = [int(not verifier.supported_answer(r["answer"], r["context"])) for r in rows]
    by_difficulty: dict[str, dict[str, float]] = {}
    levels = {r["pair_id"]: str(r.get("difficulty")) for r in rows if r.get("difficulty")}
    for level in sorted(set(levels.values())):
        idx = [i for i, r in enumerate(rows) if levels.get(r["pair_id"]) == level]
        by_difficulty[level] = prf([pred[i] for i in idx], [gold[i] for i in idx])
    return {
        "n": len(rows),
        "pairs": len({r["pair_id"] for r in rows}),
        "model": prf(pred, gold),
        "rules_only": prf(rules, gold),
        "by_difficulty": by_difficulty,
        "hallucinated_share": round(float(np.mean(gold)), 4) if gold else None,
    }


def faithfulness_suite(service: AnswerService, data: Path, limit: int = 0) -> dict[str, Any]:
    """Test figures (the result), dev beside them, and where they come from."""
    path = service.settings.guardrails.verifier_model_path or default_model_path()
    model = VerifierModel.load(path)
    return {
        "provenance": {
            "data": f"{data / (DATASET + '.jsonl')} ({SOURCE})",
            "split": "test = result; dev = what the model was fitted and its threshold picked "
            f"on (eval/splits.yaml, {DATASET}, grouped by pair_id)",
            "model": f"{path} (fitted by {model.meta.get('fitted_by', 'unknown')}, "
            f"split {model.meta.get('split', 'unknown')})",
            "limit": limit or "all rows",
        },
        "test": faithfulness_split(service, data, "test", model, limit),
        "dev": faithfulness_split(service, data, "dev", model, limit),
        "threshold": model.threshold,
        "reference_f1": {"general_llms_with_context": 0.78, "gpt4o_mini": 0.84},
    }
