"""The eval suite: cases as data, evaluators, the threshold gate, reports and baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Assistant, AssistantError
from assistant.evals.cases import load_cases
from assistant.evals.evaluators import answer_sentences
from assistant.evals.runner import run_default_suite
from tests.conftest import ROOT

CASES = """
- id: good-fibro
  question: Can ketamine help fibromyalgia?
  expect: {route: answer, sections: ["Treating Fibromyalgia"], facts: [[fibromyalgia]]}
- id: trap-cost
  question: How much does a ketamine infusion cost?
  expect: {route: no_answer, forbidden: ['\\$', '\\d']}
"""


def _suite(tmp_path: Path, cases: str, thresholds: str = "route_accuracy: {min: 1.0}\n") -> Path:
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    (folder / "cases.yaml").write_text(cases, encoding="utf-8")
    (tmp_path / "thresholds.yaml").write_text(thresholds, encoding="utf-8")
    return folder


def test_the_project_cases_load_and_cover_every_kind() -> None:
    cases = load_cases(ROOT / "eval" / "cases")
    assert len(cases) >= 60
    kinds = {c.kind for c in cases}
    assert {"answerable", "trap", "conversation"} <= kinds
    assert len({c.id for c in cases}) == len(cases)


def test_default_suite_on_the_current_corpus(assistant: Assistant, tmp_path: Path) -> None:
    run = run_default_suite(
        assistant.service,
        cases_dir=ROOT / "eval" / "cases",
        thresholds_path=ROOT / "eval" / "thresholds.yaml",
        out_root=tmp_path,
    )
    m = run.report["metrics"]
    assert m["hallucination_rate"] == 0.0 and m["citation_precision"] == 1.0
    assert m["forbidden_clean"] == 1.0
    assert m["no_answer_recall"] >= 0.95 and m["facts_recall"] >= 0.85
    gate = {g["metric"]: g for g in run.report["gate"]}
    assert gate["hallucination_rate"]["ok"] and gate["citation_precision"]["ok"]
    page = run.html_path.read_text(encoding="utf-8")
    assert "confusion matrix" in page and "<svg" in page
    assert json.loads(run.json_path.read_text())["metrics"]["cases"] == m["cases"]


def test_a_missed_threshold_fails_and_names_metric_value_and_threshold(
    assistant: Assistant, tmp_path: Path
) -> None:
    wrong = CASES.replace("route: no_answer", "route: answer")
    folder = _suite(tmp_path, wrong, "route_accuracy: {min: 0.9}\nhallucination_rate: {max: 0}\n")
    run = run_default_suite(
        assistant.service, folder, tmp_path / "thresholds.yaml", tmp_path / "out"
    )
    assert not run.ok
    assert run.failures == ["route_accuracy = 0.5 (needs >= 0.9)"]
    failed = [c for c in run.report["cases"] if not c["passed"]]
    assert [c["id"] for c in failed] == ["trap-cost"]
    assert failed[0]["checks"]["route_correct"] is False
    assert "trap-cost" in run.html_path.read_text(encoding="utf-8")


def test_baseline_lists_every_regression(assistant: Assistant, tmp_path: Path) -> None:
    folder = _suite(tmp_path, CASES)
    first = run_default_suite(
        assistant.service, folder, tmp_path / "thresholds.yaml", tmp_path / "a"
    )
    assert first.ok and not first.regressions
    _suite(tmp_path, CASES.replace("facts: [[fibromyalgia]]", "facts: [[esketamine]]"))
    second = run_default_suite(
        assistant.service, folder, tmp_path / "thresholds.yaml", tmp_path / "b",
        baseline=first.json_path.parent,
    )  # fmt: skip
    assert any(
        r.startswith("case good-fibro: passed -> failed (facts_present)")
        for r in second.regressions
    )
    assert any(r.startswith("metric facts_recall: 1.0 -> 0.0") for r in second.regressions)
    assert second.ok, "regressions are listed; only thresholds fail the gate"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("- id: x\n  question: hi\n  expect: {route: maybe}\n", "unknown route"),
        ("- id: x\n  expect: {route: answer}\n", "exactly one of"),
        (
            "- id: x\n  question: a\n  expect: {route: answer}\n- id: x\n  question: b\n  expect: {route: answer}\n",
            "duplicate case id",
        ),
        ("- id: x\n  question: [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_case_files_are_clear_errors(tmp_path: Path, text: str, words: str) -> None:
    folder = _suite(tmp_path, text)
    with pytest.raises(AssistantError, match=words) as err:
        load_cases(folder)
    assert "cases.yaml" in str(err.value)


def test_answer_sentences_pairs_text_with_markers() -> None:
    got = answer_sentences("One thing. [1] Two things. [2][3] Trailing text")
    assert got == [("One thing.", [1]), ("Two things.", [2, 3]), ("Trailing text", [])]


def test_external_suites_score_the_shared_sets(assistant: Assistant) -> None:
    from assistant.evals.suites import faithfulness_suite, guardrails_suite, retrieval_suite
    from tests.conftest import SHARED

    data = SHARED / "data"
    faith = faithfulness_suite(assistant.service, data, limit=60)
    assert faith["model"]["n"] == 60 and 0.0 < faith["model"]["f1"] <= 1.0
    assert set(faith["by_difficulty"]) and "balanced_accuracy" in faith["rules_only"]
    rails = guardrails_suite(assistant.service, data, limit=40)
    assert rails["refusal_rate"] is not None and rails["refusal_rate"] >= 0.9
    ret = retrieval_suite(assistant.service, data, limit=8)
    assert ret["docs"] == 8 and ret["questions"] > 0 and ret["recall_at_5"] >= 0.8
