"""HTML for the chat UI: route banner, answer, numbered sources, disclaimer, safety area."""

from __future__ import annotations

import html
from importlib import resources

from assistant.interfaces.markdown import ESCALATION_ROUTES, alert_html, banner_html, sources_html
from assistant.models import Answer

__all__ = ["CSS", "JS", "escalations", "render_alerts", "render_answer", "render_partial"]


def _static(name: str) -> str:
    return (resources.files("assistant") / "interfaces" / "static" / name).read_text(
        encoding="utf-8"
    )


CSS = _static("ui.css")
JS = _static("ui.js")


def render_partial(text: str) -> str:
    """The answer so far, while it streams."""
    return html.escape(text, quote=False)


def render_answer(answer: Answer) -> str:
    """The finished reply: banner for non-answer routes, text, sources and disclaimer."""
    parts = []
    banner = banner_html(answer.route)
    if banner:
        parts.append(banner + "\n\n")
    parts.append(html.escape(answer.answer, quote=False))
    sources = sources_html(answer.citations)
    if sources:
        parts.append("\n\n" + sources)
    parts.append(f'\n\n<small class="va-disclaimer">{html.escape(answer.disclaimer)}</small>')
    return "".join(parts)


def escalations(alerts: dict[str, str] | None, answer: Answer) -> dict[str, str]:
    """The escalations shown so far (route -> reply text), with this answer's one added."""
    merged = dict(alerts or {})
    if answer.route in ESCALATION_ROUTES:
        merged[answer.route] = answer.answer
    return merged


def render_alerts(alerts: dict[str, str] | None) -> str:
    """The persistent safety area above the chat ('' until an escalation was shown)."""
    return alert_html(alerts or {}) or '<div class="va-empty"></div>'
