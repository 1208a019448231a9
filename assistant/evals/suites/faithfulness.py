"""The faithfulness suite: the output gate's verifier on MedHallu pairs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.evals.suites.common import half, prf, read_jsonl, semantic_min
from assistant.pipeline.service import AnswerService

__all__ = ["faithfulness_suite"]


def faithfulness_suite(service: AnswerService, data: Path, limit: int = 0) -> dict[str, Any]:
    """The output gate's verifier on MedHallu pairs (held-out half: the model was fitted on
    the other half), overall and by difficulty."""
    from assistant.gate.verifier import SupportVerifier, VerifierModel, default_model_path

    rows = read_jsonl(data / "halluc_medhallu_calibration.jsonl")
    rows = [r for r in rows if half(str(r["pair_id"])) == "heldout"]
    rows = rows[:limit] if limit else rows
    verifier = SupportVerifier(service.settings.guardrails.verifier_min_coverage)
    model = VerifierModel.load(default_model_path())
    sem = semantic_min(service, rows)
    gold = [int(r["label"] == "hallucinated") for r in rows]
    pred = [
        int(model.probability(verifier.features(r["answer"], r["context"], s)) >= model.threshold)
        for r, s in zip(rows, sem, strict=True)
    ]
    rules = [int(not verifier.supported_answer(r["answer"], r["context"])) for r in rows]
    by_difficulty: dict[str, dict[str, float]] = {}
    pairs = {r["pair_id"] for r in rows}
    for level in sorted({str(r.get("difficulty")) for r in rows if r.get("difficulty")}):
        ids = {r["pair_id"] for r in rows if str(r.get("difficulty")) == level} & pairs
        idx = [i for i, r in enumerate(rows) if r["pair_id"] in ids]
        by_difficulty[level] = prf([pred[i] for i in idx], [gold[i] for i in idx])
    return {
        "model": prf(pred, gold),
        "rules_only": prf(rules, gold),
        "by_difficulty": by_difficulty,
        "threshold": model.threshold,
        "reference_f1": {"general_llms_with_context": 0.78, "gpt4o_mini": 0.84},
    }
