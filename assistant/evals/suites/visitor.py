"""The visitor question set (eval/visitor/*.yaml): loading, asking, grading (issue 14)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from assistant.corpus.text import normalize

__all__ = [
    "HELD_OUT",
    "VISITOR_DIR",
    "VisitorQuestion",
    "VisitorResult",
    "dev_splits",
    "first_sentence",
    "grade",
    "load_visitor",
    "run_visitor",
    "summarise",
    "tuning_splits",
]

VISITOR_DIR = Path(__file__).resolve().parents[3] / "eval" / "visitor"
# Dev splits no tuning or fitting reads yet: the newest sets, written fresh to judge a round's
# changes (their misses are never printed). Move a split out of here when its round is over:
# dev28 and dev29 (both written at round 33's start) judge round 33. dev27, written to judge
# round 33, became tunable at that round's start instead: rows of it were printed while a file
# format was checked (disclosed in docs/EVAL.md).
HELD_OUT = ("dev28", "dev29")
_FIRST = re.compile(r"^(.*?)\s*\[\d+\]", re.S)


@dataclass(frozen=True)
class VisitorQuestion:
    """One graded visitor question, with the earlier user turns of its conversation."""

    id: str
    template: str
    category: str
    split: str
    route: str
    question: str
    turns: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()


@dataclass
class VisitorResult:
    """What the assistant did with one visitor question."""

    item: VisitorQuestion
    route: str
    answer: str
    first: str
    ok: bool
    lead_ok: bool
    extra: dict[str, Any] = field(default_factory=dict)


class _Asks(Protocol):
    def ask(self, messages: Any) -> Any: ...


def load_visitor(folder: Path = VISITOR_DIR, split: str | None = None) -> list[VisitorQuestion]:
    """Every visitor question in the folder (optionally one split), in file order."""
    out: list[VisitorQuestion] = []
    for path in sorted(folder.glob("*.yaml")):
        for q in yaml.safe_load(path.read_text(encoding="utf-8")).get("questions", []):
            item = VisitorQuestion(
                id=str(q["id"]),
                template=str(q["template"]),
                category=str(q["category"]),
                split=str(q["split"]),
                route=str(q["route"]),
                question=str(q["question"]),
                turns=tuple(q.get("turns") or ()),
                lead=tuple(q.get("lead") or ()),
            )
            if split is None or item.split == split:
                out.append(item)
    return out


def dev_splits(folder: Path = VISITOR_DIR) -> tuple[str, ...]:
    """The dev splits of the visitor files ("dev", "dev2", ...), in number order."""
    names = {q.split for q in load_visitor(folder) if q.split.startswith("dev")}
    return tuple(sorted(names, key=lambda s: int(s[3:] or 1)))


def tuning_splits(folder: Path = VISITOR_DIR) -> tuple[str, ...]:
    """The dev splits tuning and fitting may read: every dev split but those HELD_OUT."""
    return tuple(s for s in dev_splits(folder) if s not in HELD_OUT)


def first_sentence(answer: str) -> str:
    """The first cited sentence of an answer text ("... [1] ...")."""
    m = _FIRST.match(answer)
    return (m.group(1) if m else answer).strip()


def messages_of(service: _Asks, item: VisitorQuestion) -> list[dict[str, str]]:
    """The conversation: earlier turns asked for real, then the graded question."""
    msgs: list[dict[str, str]] = []
    for turn in item.turns:
        msgs.append({"role": "user", "content": turn})
        msgs.append({"role": "assistant", "content": service.ask(list(msgs)).answer})
    msgs.append({"role": "user", "content": item.question})
    return msgs


def grade(item: VisitorQuestion, route: str, answer: str) -> VisitorResult:
    """Covered: answered and the first sentence holds a lead phrase; otherwise: not answered."""
    first = first_sentence(answer) if route == "answer" else ""
    if item.route == "answer":
        lead_ok = route == "answer" and any(normalize(p) in normalize(first) for p in item.lead)
        return VisitorResult(item, route, answer, first, lead_ok, lead_ok)
    return VisitorResult(item, route, answer, first, route != "answer", route == "no_answer")


def run_visitor(service: _Asks, split: str | None = "test") -> list[VisitorResult]:
    """Ask every question of a split and grade it."""
    out = []
    for item in load_visitor(split=split):
        ans = service.ask(messages_of(service, item))
        out.append(grade(item, ans.route, ans.answer))
    return out


def _rate(xs: list[bool]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


def summarise(results: list[VisitorResult], wording: bool = True) -> dict[str, Any]:
    """Coverage and refusal figures, with the failures listed by id; `wording=False` (a test
    split) lists only each failure's id and route, so a report shows no held-out wording."""
    covered = [r for r in results if r.item.route == "answer"]
    out = [r for r in results if r.item.route != "answer"]
    return {
        "covered_n": len(covered),
        "answered": _rate([r.route == "answer" for r in covered]),
        "answered_lead_first": _rate([r.ok for r in covered]),
        "out_n": len(out),
        "out_not_answered": _rate([r.ok for r in out]),
        "out_no_answer_route": _rate([r.route == "no_answer" for r in out]),
        "out_routes": dict(Counter(r.route for r in out)),
        "failures": [
            f"{r.item.id} [{r.route}]"
            + (f" {r.item.question!r} -> {r.first[:90]!r}" if wording else "")
            for r in results
            if not r.ok
        ],
    }
