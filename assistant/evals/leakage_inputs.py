"""What the leakage check compares: tuning phrases (sources) and eval prompts (targets)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.evals.probes import probe_sets
from assistant.evals.regex_phrases import expand_macros, pattern_phrases, top_alternatives
from assistant.evals.splits import DATASETS, split_of

__all__ = ["ROOT", "Text", "sources", "targets"]

ROOT = Path(__file__).resolve().parents[2]
_TEXT_KEYS = ("question", "prompt", "text", "message", "content", "phrase")
_META_KEYS = {"version", "about", "description", "notes", "note", "source", "split", "id",
              "category", "label", "licence", "license", "author", "tags", "route", "intent",
              "expect", "expected", "expected_route", "accept"}  # fmt: skip


@dataclass(frozen=True)
class Text:
    """One phrase or prompt and where it comes from."""

    text: str
    where: str  # file and position, e.g. "prompts/guardrails/exemplars.yaml: crisis[3]"
    kind: str  # exemplar, rule, training, visitor-dev | case, visitor-test, probe, <dataset>


def _strings(node: Any, path: str) -> list[tuple[str, str]]:
    """Every phrase string under a YAML node, with its path; metadata keys are skipped."""
    if isinstance(node, str):
        return [(node, path)]
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k) not in _META_KEYS:
                out += _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _strings(v, f"{path}[{i}]")
    return out


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _rule_texts(path: Path, root: Path) -> list[Text]:
    """Each rule alternative as literal phrases; an `all:` rule also as its parts joined."""
    data = _load(path)
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    out: list[Text] = []
    for route, entries in (data.get("routes") or {}).items():
        for i, entry in enumerate(entries or []):
            parts = entry["all"] if isinstance(entry, dict) else [entry]
            where = f"{_rel(path, root)}: {route}[{i}]"
            branches = [[expand_macros(b, macros) for b in top_alternatives(p)] for p in parts]
            for j, alts in enumerate(branches):
                for k, alt in enumerate(alts):
                    for phrase in pattern_phrases(alt):
                        out.append(Text(phrase, f"{where} part {j} alt {k}", "rule"))
            if len(parts) > 1:
                combos = [""]
                for alts in branches:
                    phrases = [ph for alt in alts for ph in pattern_phrases(alt, 20)]
                    combos = [f"{c} {a}" for c in combos for a in phrases][:400]
                out += [Text(c.strip(), f"{where} all parts", "rule") for c in combos]
    return out


def _pattern_lists(path: Path, root: Path) -> list[Text]:
    """Each alternative of the pattern lists in an answerability file (aspects, broad)."""
    out: list[Text] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{where}.{k}" if where else str(k))
        elif isinstance(node, list):
            for i, pattern in enumerate(node):
                for alt in top_alternatives(str(pattern)):
                    out.extend(
                        Text(ph, f"{_rel(path, root)}: {where}[{i}]", "rule")
                        for ph in pattern_phrases(alt)
                    )

    walk(_load(path), "")
    return out


def _visitor(path: Path, root: Path) -> tuple[list[Text], list[Text]]:
    """(dev rows, test rows) of an eval/visitor file."""
    dev: list[Text] = []
    test: list[Text] = []
    data = _load(path)
    rows = data.get("questions", data.get("cases", [])) if isinstance(data, dict) else data
    for i, row in enumerate(rows or []):
        if not isinstance(row, dict):
            continue
        where = f"{_rel(path, root)}: {row.get('id', f'#{i}')}"
        texts = [str(row[k]) for k in _TEXT_KEYS if isinstance(row.get(k), str)]
        if str(row.get("split", "")).startswith("dev"):  # dev, dev2: tuning may read them
            dev += [Text(t, where, "visitor-dev") for t in texts]
        else:  # test, or no split given: measured, so never tuned on
            test += [Text(t, where, "visitor-test") for t in texts]
    return dev, test


def sources(root: Path = ROOT) -> list[Text]:
    """Every phrase tuning reads: exemplars, rule alternatives, answerability patterns,
    training phrases, visitor dev, the dev probe sets the risk head learns from."""
    g = root / "prompts" / "guardrails"
    out: list[Text] = []
    if (g / "exemplars.yaml").exists():
        for text, where in _strings(_load(g / "exemplars.yaml"), ""):
            out.append(Text(text, f"{_rel(g / 'exemplars.yaml', root)}: {where}", "exemplar"))
    if (g / "rules.yaml").exists():
        out += _rule_texts(g / "rules.yaml", root)
    for path in sorted((g / "training").glob("*.y*ml")):
        out += [
            Text(t, f"{_rel(path, root)}: {w}", "training") for t, w in _strings(_load(path), "")
        ]
    for path in sorted((root / "prompts" / "answerability").glob("*.y*ml")):
        out += _pattern_lists(path, root)
    for path in sorted((root / "eval" / "visitor").glob("*.y*ml")):
        out += _visitor(path, root)[0]
    out += _trained_probes(root)
    return out


def _trained_probes(root: Path) -> list[Text]:
    """The dev probe sets the risk head learns from (fit_risk.trains_head)."""
    from assistant.guard.fit_risk import trains_head

    out: list[Text] = []
    for name, (split, rows) in probe_sets(root / "eval" / "probes").items():
        if split == "dev" and trains_head(name):
            out += [Text(r["prompt"], f"{_rel(r['file'], root)}: {r['id']}", "training")
                    for r in rows]  # fmt: skip
    return out


def _case_texts(path: Path, root: Path) -> list[Text]:
    """The user turns of every case in an eval/cases file."""
    doc = _load(path)
    out: list[Text] = []
    for i, case in enumerate(doc.get("cases", []) if isinstance(doc, dict) else doc):
        where = f"{_rel(path, root)}: {case.get('id', f'#{i}')}"
        turns = [m.get("content") for m in case.get("messages") or [] if m.get("role") == "user"]
        texts = [case.get("question"), *turns]
        out += [Text(t, where, "case") for t in texts if isinstance(t, str)]
    return out


def targets(root: Path = ROOT, data: Path | None = None) -> list[Text]:
    """Every prompt the eval measures: eval/cases, visitor test rows, eval/probes (test sets
    of the rails), ../shared/data prompts."""
    out: list[Text] = []
    for path in sorted((root / "eval" / "cases").glob("*.y*ml")):
        out += _case_texts(path, root)
    for path in sorted((root / "eval" / "visitor").glob("*.y*ml")):
        out += _visitor(path, root)[1]
    for split, rows in probe_sets(root / "eval" / "probes").values():
        if split != "test":
            continue  # a dev probe set is read while tuning; only test probes are targets
        out += [Text(r["prompt"], f"{_rel(r['file'], root)}: {r['id']}", "probe") for r in rows]
    for path in sorted(data.glob("*.jsonl")) if data and data.is_dir() else []:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line) if line.strip() else {}
                split = split_of(path.stem, row) if path.stem in DATASETS else "all"
                for key in ("prompt", "question"):
                    if isinstance(row.get(key), str):
                        where = f"{path.name}: {row.get('id')} ({split})"
                        out.append(Text(row[key], where, path.stem))
    return out
