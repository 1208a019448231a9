"""The verifier fit: a deterministic logistic regression and a threshold picked on dev."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.evals.fitting.verifier import GRID, fit_logistic, main, pick_threshold, same_model
from assistant.gate.verifier import VerifierModel, default_model_path


def _data(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    logit = 2.0 * x[:, 0] - 1.0 * x[:, 1] + 0.5
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return x, y


def test_logistic_fit_recovers_the_generating_signs_and_is_deterministic() -> None:
    x, y = _data()
    coef, intercept = fit_logistic(x, y)
    assert coef[0] > 1.0 and coef[1] < -0.4 and abs(coef[2]) < 0.4 and intercept > 0
    again = fit_logistic(x, y)
    assert np.array_equal(coef, again[0]) and intercept == again[1]


def test_a_stronger_penalty_shrinks_the_coefficients() -> None:
    x, y = _data()
    loose, _ = fit_logistic(x, y, c=1.0)
    tight, _ = fit_logistic(x, y, c=0.001)
    assert np.abs(tight).sum() < 0.5 * np.abs(loose).sum()


def test_threshold_is_the_grid_point_with_the_best_f1() -> None:
    probs = np.array([0.1, 0.3, 0.35, 0.62, 0.7, 0.9])
    gold = np.array([0, 0, 0, 1, 1, 1])
    t, f1 = pick_threshold(probs, gold)
    assert f1 == 1.0 and 0.35 < t <= 0.62 and t in GRID
    # Ties go to the threshold nearest 0.5.
    assert t == 0.5


def test_the_shipped_model_records_its_provenance_without_a_date() -> None:
    model = VerifierModel.load(default_model_path())
    meta = model.meta
    assert meta["fitted_by"] == "python -m assistant.evals.fitting.verifier"
    assert str(meta["split"]).startswith("dev only") and len(str(meta["data_sha256"])) == 64
    assert not any(k in meta for k in ("date", "fitted_on", "created"))
    assert same_model(model, model) == []
    moved = VerifierModel(**{**model.__dict__, "threshold": model.threshold + 0.02})
    assert same_model(model, moved) == ["threshold differs"]


def test_missing_data_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path)]) == 2
    assert "halluc_medhallu_calibration.jsonl not found" in capsys.readouterr().err


def test_the_statement_floor_is_the_lowest_within_slack_of_the_best_separation() -> None:
    from assistant.evals.fitting.statement_floor import floor_for

    covered = [0.45, 0.62, 0.7, 0.8, 0.9]
    everyday = [0.4, 0.5, 0.55, 0.58]
    # 0.59..0.62 keep 4 of 5 covered and none of the everyday: J = 0.8, the best; 0.56..0.58
    # keep the same covered with one everyday (J = 0.55), beyond the 0.05 slack
    assert floor_for(covered, everyday) == 0.59
    assert floor_for([0.7, 0.8], []) <= 0.7
