"""HTML/Markdown for the chat UI: route banner, answer, numbered sources, disclaimer."""

from __future__ import annotations

import html

from assistant.interfaces.markdown import ESCALATION_ROUTES, ROUTE_LABELS
from assistant.models import Answer

__all__ = ["CSS", "render_answer", "render_partial"]

CSS = """
.va-banner { border-radius: 8px; padding: 8px 12px; margin-bottom: 8px; font-weight: 700; }
.va-route-emergency { background: #b91c1c; color: #fff; }
.va-route-crisis { background: #6d28d9; color: #fff; }
.va-route-clinician { background: #b45309; color: #fff; }
.va-route-no_answer, .va-route-off_topic, .va-route-refused {
  background: #e5e7eb; color: #111827; font-weight: 600; }
.va-sources { margin-top: 10px; border-top: 1px solid #d1d5db; padding-top: 6px; }
.va-sources ol { margin: 4px 0 0 18px; padding: 0; }
.va-source-title { font-weight: 600; }
.va-quote { margin: 2px 0 6px 0; padding-left: 8px; border-left: 3px solid #9ca3af;
  color: #374151; font-style: italic; }
.va-disclaimer { display: block; margin-top: 8px; font-size: 0.85em; color: #4b5563; }
"""


def _banner(route: str) -> str:
    label = ROUTE_LABELS.get(route)
    if not label:
        return ""
    icon = "⚠ " if route in ESCALATION_ROUTES else ""
    return f'<div class="va-banner va-route-{route}">{icon}{html.escape(label)}</div>\n\n'


def render_partial(text: str) -> str:
    """The answer so far, while it streams."""
    return html.escape(text, quote=False)


def render_answer(answer: Answer) -> str:
    """The finished reply: banner for non-answer routes, text, sources and disclaimer."""
    parts = [_banner(answer.route), html.escape(answer.answer, quote=False)]
    if answer.citations:
        items = []
        for c in answer.citations:
            items.append(
                f'<li value="{c.n}"><span class="va-source-title">{html.escape(c.title)}</span>'
                f" — {html.escape(c.section)} (v{html.escape(c.version)})"
                f'<div class="va-quote">“{html.escape(c.quote)}”</div></li>'
            )
        parts.append(
            '\n\n<div class="va-sources"><strong>Sources</strong><ol>'
            + "".join(items)
            + "</ol></div>"
        )
    parts.append(f'\n\n<small class="va-disclaimer">{html.escape(answer.disclaimer)}</small>')
    return "".join(parts)
