"""Plain Markdown renderings of an Answer for clients that show only text."""

from __future__ import annotations

from assistant.models import Answer, Citation

__all__ = ["ESCALATION_ROUTES", "ROUTE_LABELS", "sources_markdown", "trailer_markdown"]

ESCALATION_ROUTES = ("emergency", "crisis", "clinician")
ROUTE_LABELS = {
    "emergency": "Urgent: get emergency help now",
    "crisis": "You are not alone: crisis support",
    "clinician": "Please talk to a clinician",
    "refused": "Not something I can help with",
    "off_topic": "Outside what I can answer",
    "no_answer": "Not covered by our vetted articles",
}


def _source_line(c: Citation) -> str:
    return f"[{c.n}] {c.title} — {c.section} (v{c.version}): “{c.quote}”"


def sources_markdown(answer: Answer) -> str:
    """The numbered sources, one per line, or an empty string when there are none."""
    if not answer.citations:
        return ""
    return "Sources:\n" + "\n".join(_source_line(c) for c in answer.citations)


def trailer_markdown(answer: Answer) -> str:
    """What follows the answer text for a plain-text client: sources, then the disclaimer."""
    parts = [sources_markdown(answer), f"_{answer.disclaimer}_"]
    return "\n\n" + "\n\n".join(p for p in parts if p)
