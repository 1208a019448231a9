"""Run the default suite: answer every case, grade it, gate on thresholds, write reports."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.corpus.articles import load_corpus
from assistant.errors import AssistantError
from assistant.evals.cases import load_cases
from assistant.evals.evaluators import (
    CaseResult,
    CitationValid,
    Evaluator,
    FactsPresent,
    ForbiddenAbsent,
    Grounded,
    RetrievalHit,
    RouteCorrect,
    SupportFn,
    verbatim_support,
)
from assistant.evals.metrics import compute_metrics
from assistant.evals.report import write_reports
from assistant.pipeline.service import AnswerService

__all__ = ["EvalRun", "check_gate", "compare_baseline", "load_thresholds", "run_default_suite"]


@dataclass
class EvalRun:
    """A finished run: the report and where it was written."""

    report: dict[str, Any]
    json_path: Path
    html_path: Path
    failures: list[str] = field(default_factory=list)
    regressions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every threshold was met."""
        return not self.failures


def load_thresholds(path: Path | str) -> dict[str, dict[str, float]]:
    """{metric: {"min"|"max": value}} from YAML."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AssistantError(f"cannot read thresholds {path}: {exc}") from None
    for metric, rule in data.items():
        if not isinstance(rule, dict) or not set(rule) <= {"min", "max"} or not rule:
            raise AssistantError(f"{path}: '{metric}' needs {{min: x}} or {{max: x}}")
    return data


def check_gate(
    metrics: dict[str, Any], thresholds: dict[str, dict[str, float]]
) -> list[dict[str, Any]]:
    """One row per threshold: metric, value, op, threshold, ok."""
    rows = []
    for metric, rule in thresholds.items():
        value = metrics.get(metric)
        for op, limit in rule.items():
            ok = value is not None and (value >= limit if op == "min" else value <= limit)
            rows.append({"metric": metric, "value": value, "op": op, "threshold": limit, "ok": ok})
    return rows


def compare_baseline(report: dict[str, Any], baseline_path: Path | str) -> list[str]:
    """Every metric that got worse and every case that passed before and fails now."""
    path = Path(baseline_path)
    if path.is_dir():
        path = path / "report.json"
    try:
        base = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AssistantError(f"cannot read baseline {path}: {exc}") from None
    out: list[str] = []
    lower_is_better = {
        "hallucination_rate",
        "unsupported_sentence_rate",
        "latency_p50_ms",
        "latency_p95_ms",
    }
    for metric, now in report["metrics"].items():
        was = base.get("metrics", {}).get(metric)
        if (
            not isinstance(now, int | float)
            or not isinstance(was, int | float)
            or metric.startswith("latency")
        ):
            continue
        if metric in ("cases", "passed", "answers"):
            continue
        worse = now > was if metric in lower_is_better else now < was
        if worse and abs(now - was) > 1e-9:
            out.append(f"metric {metric}: {was} -> {now}")
    before = {c["id"]: c for c in base.get("cases", [])}
    for c in report["cases"]:
        b = before.get(c["id"])
        if b and b["passed"] and not c["passed"]:
            failed = ", ".join(k for k, v in c["checks"].items() if not v)
            out.append(
                f"case {c['id']}: passed -> failed ({failed}); route {b['route']} -> {c['route']}"
            )
    return out


def _sections(corpus: Path) -> dict[tuple[str, str], str]:
    return {
        (a.id, s.heading): s.text for a in load_corpus(corpus) if a.published for s in a.sections()
    }


def run_default_suite(
    service: AnswerService,
    cases_dir: Path | str = "eval/cases",
    thresholds_path: Path | str = "eval/thresholds.yaml",
    out_root: Path | str = "eval/reports",
    baseline: Path | str | None = None,
    support: SupportFn | None = None,
    progress: bool = False,
    k: int = 5,
) -> EvalRun:
    """Grade every case of the default suite against the configured backend."""
    t0 = time.perf_counter()
    cases = load_cases(cases_dir)
    thresholds = load_thresholds(thresholds_path)
    snap = service.snapshot()
    gate = getattr(service, "gate", None)
    gate_support: SupportFn | None = getattr(gate, "supports", None)
    support_fn: SupportFn = support or gate_support or verbatim_support
    evaluators: list[Evaluator] = [
        RouteCorrect(),
        CitationValid(_sections(service.settings.corpus.path)),
        FactsPresent(),
        ForbiddenAbsent(),
        Grounded(support_fn),
        RetrievalHit(k),
    ]
    iterator: Any = cases
    if progress:
        from tqdm import tqdm

        iterator = tqdm(cases, desc="eval", unit="case", file=sys.stderr)
    results: list[CaseResult] = []
    for case in iterator:
        answer = service.ask(case.conversation)
        result = CaseResult(case=case, answer=answer)
        if case.expect.sections:  # the same retrieval the answer was composed from
            result.ranked_sections = [
                h.passage.section for h in service.retrieve(case.conversation, k)
            ]
        for ev in evaluators:
            result.checks.update(ev(result))
        results.append(result)
    metrics = compute_metrics(results, k)
    rows = check_gate(metrics, thresholds)
    started = dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {
        "run": {
            "started": started.isoformat(timespec="seconds"),
            "backend": getattr(service, "backend_name", "extractive"),
            "generation": snap.generation,
            "seconds": round(time.perf_counter() - t0, 2),
            "cases_dir": str(cases_dir),
        },
        "metrics": metrics,
        "gate": rows,
        "cases": [
            {
                "id": r.case.id,
                "file": r.case.file,
                "kind": r.case.kind,
                "question": r.case.last_question,
                "expected_route": r.case.expect.route,
                "expected_sections": r.case.expect.sections,
                "route": r.answer.route,
                "backend": r.answer.backend,
                "answer": r.answer.answer,
                "citations": [c.model_dump() for c in r.answer.citations],
                "checks": r.checks,
                "passed": r.passed,
                "ms": r.answer.timings_ms.get("total"),
            }
            for r in results
        ],
    }
    regressions = compare_baseline(report, baseline) if baseline else []
    report["regressions"] = regressions
    out_dir = Path(out_root) / started.strftime("%Y%m%dT%H%M%SZ")
    json_path, html_path = write_reports(report, out_dir)
    failures = [
        f"{g['metric']} = {g['value']} "
        f"(needs {'>=' if g['op'] == 'min' else '<='} {g['threshold']})"
        for g in rows
        if not g["ok"]
    ]
    return EvalRun(report, json_path, html_path, failures, regressions)
