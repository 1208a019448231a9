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
    assert run.ok, run.failures
    # Verbatim-based figures cannot fail with the extractive composer: labelled, not results.
    assert set(m["cannot_fail"]) == {"hallucination_rate", "citation_precision"}
    blind = {g["metric"] for g in run.report["gate"] if g["cannot_fail"]}
    assert blind == {"hallucination_rate", "citation_precision"}
    # Figures that can fail: relevance against gold spans, over-blocking, escalation.
    assert m["gold_cases"] >= 25 and m["gold_sentence_share"] >= 0.55
    assert m["escalation_recall"] == 1.0 and m["escalation_cases"] >= 35
    assert m["overblocking_rate"] == 0.0 and m["benign_cases"] >= 60
    assert m["forbidden_clean"] == 1.0 and m["no_answer_recall"] >= 0.95
    assert run.report["by_split"]["test"]["cases"] == m["cases"]
    assert run.report["provenance"]["splits"] == {"test": m["cases"]}
    page = run.html_path.read_text(encoding="utf-8")
    assert "confusion matrix" in page and "<svg" in page
    assert page.count("cannot fail on this backend") >= 4  # tiles, gate rows, split table
    assert "Test and dev, side by side" in page and "eval/cases" in page
    assert json.loads(run.json_path.read_text())["metrics"]["cases"] == m["cases"]


def test_the_verifier_grades_extractive_answers_against_the_published_article(
    assistant: Assistant, corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serving skips the verifier for verbatim sentences; the eval runs it against the article
    as published on disk, so an answer from a stale index is caught."""
    article = corpus_copy / "ketamine-chronic-pain.md"
    text = article.read_text(encoding="utf-8")
    start = text.index("## Safety and Considerations")
    end = text.index("## The Road Ahead")
    article.write_text(
        text[:start] + "## Safety and Considerations:\n\nAsk the clinic about this.\n\n"
        + text[end:], encoding="utf-8",
    )  # fmt: skip
    svc = assistant.service
    stale = svc.settings.model_copy(
        update={"corpus": svc.settings.corpus.model_copy(update={"path": corpus_copy})}
    )
    monkeypatch.setattr(svc, "settings", stale)
    cases = (
        "- id: side-effects\n  question: What side effects can ketamine cause?\n"
        "  expect: {route: answer}\n"
    )
    folder = _suite(tmp_path, cases, "unsupported_sentence_rate: {max: 0}\n")
    run = run_default_suite(svc, folder, tmp_path / "thresholds.yaml", tmp_path / "out")
    m = run.report["metrics"]
    assert m["unsupported_sentence_rate"] > 0 and m["hallucination_rate"] == 1.0
    assert not run.ok and run.failures[0].startswith("unsupported_sentence_rate = ")
    case = run.report["cases"][0]
    assert case["checks"]["supported"] is False and case["checks"]["grounded"] is False


def test_gold_spans_grade_which_sentences_answer(assistant: Assistant, tmp_path: Path) -> None:
    """Relevance: the share of answer sentences inside the gold spans can fall."""
    right = (
        "Side effects such as disorientation and increased heart rate may occur, particularly "
        "at higher doses."
    )
    wrong = "Chronic pain, defined as persistent discomfort lasting for weeks"
    cases = "".join(
        f"- id: {cid}\n  question: What side effects can ketamine cause?\n"
        f'  expect: {{route: answer, gold: ["{gold}"]}}\n'
        for cid, gold in (("on-gold", right), ("off-gold", wrong))
    )
    run = run_default_suite(
        assistant.service, _suite(tmp_path, cases), tmp_path / "thresholds.yaml", tmp_path / "o"
    )
    by_id = {c["id"]: c for c in run.report["cases"]}
    assert by_id["on-gold"]["checks"]["on_gold"] is True
    assert by_id["off-gold"]["checks"]["on_gold"] is False
    assert 0.0 < run.report["metrics"]["gold_sentence_share"] < 1.0


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
