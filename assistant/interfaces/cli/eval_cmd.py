"""`assistant eval`: the gate, the external suites and the leakage check."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.interfaces.cli.common import (
    service_for,
)

__all__ = ["cmd_eval"]


def _external_suite(service: Any, args: argparse.Namespace) -> int:
    """Run one external suite and write its JSON next to the default reports."""
    import datetime as dt

    from assistant.evals.suites import SUITES

    data = Path(args.data)
    if args.suite != "retrieval":
        service.ingest()
    result = SUITES[args.suite](service, data, args.limit)
    out = Path(args.out) / dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{args.suite}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    if "test" in result:  # test and dev side by side for the content team
        from assistant.evals.report import render_suite_html

        (out / "report.html").write_text(render_suite_html(args.suite, result), encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"report: {path}")
    return 0


def _leakage(args: argparse.Namespace) -> int:
    """The leakage check: every near-copy of an eval prompt in tuning data; 1 when any."""
    from assistant.evals.leakage import format_report, run_leakage
    from assistant.evals.leakage_inputs import ROOT

    data = Path(args.data)
    root = Path.cwd() if (Path.cwd() / "prompts").is_dir() else ROOT
    report = run_leakage(root, data if data.is_dir() else None)
    if not data.is_dir():
        print(f"note: --data {data} not found; compared with eval/ only", file=sys.stderr)
    print(format_report(report))
    return 0 if report["ok"] else 1


def cmd_eval(args: argparse.Namespace) -> int:
    """Run the evaluation suite; exit 1 when a threshold is missed."""
    _check_eval_args(args)
    from assistant.evals.runner import run_default_suite

    if args.suite == "leakage":
        return _leakage(args)
    # The default suite ingests the configured corpus: validate it first on a fresh machine.
    service = service_for(args, first_run=args.suite == "default")
    if args.suite != "default":
        return _external_suite(service, args)
    if not args.no_ingest:
        service.ingest()
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    run = run_default_suite(
        service,
        cases_dir=args.cases,
        thresholds_path=args.thresholds,
        out_root=args.out,
        baseline=args.baseline,
        progress=show,
    )
    m = run.report["metrics"]
    prov = run.report["provenance"]
    print(f"{m['cases']} cases, {m['passed']} passed ({run.report['run']['seconds']} s)")
    print(f"data: {prov['data']}; splits {prov['splits']}")
    if args.baseline:
        print(f"compared against baseline {_baseline_report(args.baseline)}")
    for g in run.report["gate"]:
        mark = "ok  " if g["ok"] else "MISS"
        op = ">=" if g["op"] == "min" else "<="
        value = "cannot fail on this backend" if g.get("cannot_fail") else g["value"]
        print(f"  {mark} {g['metric']:<28} {value!s:>8}  {op} {g['threshold']}")
    for split, part in run.report["by_split"].items():
        shown = ", ".join(
            f"{k} {v}" for k, v in part.items() if k not in m["cannot_fail"] and v is not None
        )
        print(f"  [{split}] {shown}")
    for metric, why in m["cannot_fail"].items():
        print(f"  {metric}: cannot fail on this backend ({why}); not a result")
    print(f"  latency p50 {m['latency_p50_ms']} ms, p95 {m['latency_p95_ms']} ms")
    for r in run.regressions:
        print(f"regression: {r}")
    print(f"report: {run.html_path}")
    if not run.ok:
        for f in run.failures:
            print(f"eval gate failed: {f}", file=sys.stderr)
        return 1
    return 0


def _baseline_report(baseline: str) -> Path:
    """The report.json a --baseline names (the file, or the file in that folder)."""
    path = Path(baseline)
    return path / "report.json" if path.is_dir() else path


def _check_eval_args(args: argparse.Namespace) -> None:
    """Every path and number `eval` needs, before the model loads."""
    if args.suite == "default":
        if not Path(args.cases).is_dir():
            raise AssistantError(f"--cases {args.cases} is not a folder of YAML cases")
        if not Path(args.thresholds).is_file():
            raise AssistantError(f"--thresholds {args.thresholds} does not exist")
        if args.baseline and not _baseline_report(args.baseline).is_file():
            raise AssistantError(
                f"--baseline {args.baseline}: no report.json there (a previous eval report)"
            )
    elif not Path(args.data).is_dir():
        raise AssistantError(f"--data {args.data} is not a folder (expected ../shared/data)")
    if args.limit < 0:
        raise AssistantError(f"--limit must be 0 (all) or more, not {args.limit}")
