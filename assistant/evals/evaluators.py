"""Evaluators are small classes; each returns named booleans for one case's result."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from assistant.evals.cases import EvalCase
from assistant.models import Answer

__all__ = [
    "CaseResult",
    "CitationValid",
    "Evaluator",
    "FactsPresent",
    "ForbiddenAbsent",
    "Grounded",
    "RetrievalHit",
    "RouteCorrect",
    "SupportFn",
    "answer_sentences",
]

SupportFn = Callable[[str, str], bool]
_CITED = re.compile(r"(.+?)\s*((?:\[\d+\]\s*)+)(?=\S|$)", re.DOTALL)


def answer_sentences(text: str) -> list[tuple[str, list[int]]]:
    """Split an answer into (sentence, [cited n]) pairs; uncited text gets []."""
    out: list[tuple[str, list[int]]] = []
    pos = 0
    for m in _CITED.finditer(text):
        out.append((m.group(1).strip(), [int(n) for n in re.findall(r"\d+", m.group(2))]))
        pos = m.end()
    rest = text[pos:].strip()
    if rest:
        out.append((rest, []))
    return out


@dataclass
class CaseResult:
    """What the assistant did on a case, plus the evaluators' verdicts."""

    case: EvalCase
    answer: Answer
    ranked_sections: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)
    sentences: int = 0
    unsupported: int = 0

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(self.checks.values())


class Evaluator(Protocol):
    """Grades one result: named booleans (a name absent means 'not applicable')."""

    def __call__(self, result: CaseResult) -> dict[str, bool]:
        """The verdicts."""
        ...


class RouteCorrect:
    """The route is one of the expected routes."""

    def __call__(self, result: CaseResult) -> dict[str, bool]:
        """route_correct."""
        return {"route_correct": result.answer.route in result.case.expect.route}


class CitationValid:
    """Every quote appears verbatim in a published article, in the cited section."""

    def __init__(self, sections: dict[tuple[str, str], str]) -> None:
        self.sections = sections

    def __call__(self, result: CaseResult) -> dict[str, bool]:
        """citation_valid, and cited_expected_section when the case names sections."""
        out: dict[str, bool] = {}
        cites = result.answer.citations
        if cites:
            out["citation_valid"] = all(
                c.quote and c.quote in self.sections.get((c.article_id, c.section), "")
                for c in cites
            )
        if result.case.expect.sections and "answer" in result.case.expect.route:
            out["cited_expected_section"] = any(
                c.section in result.case.expect.sections for c in cites
            )
        if result.answer.route == "answer":
            out["answer_has_citations"] = bool(cites) and all(
                f"[{c.n}]" in result.answer.answer for c in cites
            )
        return out


class FactsPresent:
    """Each fact group has at least one alternative in the answer."""

    def __call__(self, result: CaseResult) -> dict[str, bool]:
        """facts_present (only for cases that list facts)."""
        groups = result.case.expect.facts
        if not groups:
            return {}
        text = result.answer.answer.lower()
        return {"facts_present": all(any(a.lower() in text for a in g) for g in groups)}


class ForbiddenAbsent:
    """None of the forbidden patterns appear in the answer or its quotes."""

    def __call__(self, result: CaseResult) -> dict[str, bool]:
        """forbidden_absent (only for cases that list forbidden content)."""
        pats = result.case.expect.forbidden
        if not pats:
            return {}
        shown = result.answer.answer + " " + " ".join(c.quote for c in result.answer.citations)
        if result.answer.route != "answer":
            shown = (
                " ".join(c.quote for c in result.answer.citations)
                + " "
                + _strip_template(result.answer.answer)
            )
        return {"forbidden_absent": not any(re.search(p, shown, re.IGNORECASE) for p in pats)}


def _strip_template(text: str) -> str:
    """Fixed reply texts (no_answer, referrals) are ours; digits there are phone numbers."""
    return re.sub(r"\d{3}", "", text) if text else text


class Grounded:
    """Every answer sentence is supported by the passage it cites (the output gate's verifier)."""

    def __init__(self, support: SupportFn) -> None:
        self.support = support

    def __call__(self, result: CaseResult) -> dict[str, bool]:
        """grounded (only for answers)."""
        if result.answer.route != "answer":
            return {}
        quotes = {c.n: c.quote for c in result.answer.citations}
        sentences = answer_sentences(result.answer.answer)
        bad = 0
        for sentence, ns in sentences:
            if not ns or not any(self.support(sentence, quotes.get(n, "")) for n in ns):
                bad += 1
        result.sentences = len(sentences)
        result.unsupported = bad
        return {"grounded": bad == 0}


class RetrievalHit:
    """An expected section is among the top-k retrieved passages."""

    def __init__(self, k: int = 5) -> None:
        self.k = k

    def __call__(self, result: CaseResult) -> dict[str, bool]:
        """retrieval_hit (only for cases that name sections)."""
        want = result.case.expect.sections
        if not want or not result.ranked_sections:
            return {}
        return {"retrieval_hit": any(s in want for s in result.ranked_sections[: self.k])}


def verbatim_support(sentence: str, quote: str) -> bool:
    """The simplest support check: the sentence is a verbatim part of the quote."""
    return bool(sentence) and sentence in quote
