"""The answerability and topic-word fits: out-of-fold rates, the shared command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from assistant.evals.fitting.answerability import main as fit_answerability_main
from assistant.evals.fitting.answerability import rates
from assistant.evals.fitting.cli import parse
from assistant.evals.fitting.topic_words import main as fit_topic_words_main


def test_rates_count_each_sets_in_and_out_questions_per_threshold() -> None:
    probs = np.array([0.9, 0.6, 0.2, 0.7, 0.3, 0.1])
    gold = np.array([1.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    sets = np.array(["a", "a", "a", "b", "b", "b"])
    table = rates(probs, gold, sets)
    assert table["0.50"] == {"a_in": 1.0, "a_out": 0.0, "b_in": 1.0, "b_out": 0.0}
    assert table["0.25"] == {"a_in": 1.0, "a_out": 0.0, "b_in": 1.0, "b_out": 0.5}
    assert table["0.65"]["a_in"] == 0.5  # 0.6 falls below
    # A higher threshold never answers more.
    ins = [row["a_in"] for _, row in sorted(table.items())]
    assert ins == sorted(ins, reverse=True)


def test_the_fitting_command_line_reports_missing_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert parse("x", tmp_path / "out.json", "missing.jsonl", ["--data", str(tmp_path)]) is None
    assert "missing.jsonl not found" in capsys.readouterr().err
    (tmp_path / "here.jsonl").write_text("{}\n", encoding="utf-8")
    args = parse("x", tmp_path / "o.json", "here.jsonl", ["--data", str(tmp_path)], check=True)
    assert args is not None and args.out == tmp_path / "o.json" and args.check is False


@pytest.mark.parametrize("main", [fit_answerability_main, fit_topic_words_main])
def test_fitting_scripts_exit_2_without_their_data(
    main: Callable[[list[str] | None], int], tmp_path: Path
) -> None:
    assert main(["--data", str(tmp_path), "--out", str(tmp_path / "m.json")]) == 2
    assert not (tmp_path / "m.json").exists()
