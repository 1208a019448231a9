"""The one rendering of sources and route banners, as plain text, Markdown and HTML.

Every interface shows a source the same way: the number, the article title (a link when the
article's front matter has a `url`), the section, the article version and the quoted passage.
The widget builds the same structure in JavaScript; a browser test compares its text with
`source_line`.
"""

from __future__ import annotations

import html

from assistant.models import Answer, Citation

__all__ = [
    "ESCALATION_ROUTES",
    "ROUTE_LABELS",
    "alert_html",
    "banner_html",
    "source_html",
    "source_line",
    "sources_html",
    "sources_markdown",
    "trailer_markdown",
]

# Most urgent first: the order in which persistent alerts are listed.
ESCALATION_ROUTES = ("emergency", "crisis", "clinician")
ROUTE_LABELS = {
    "emergency": "Urgent: get emergency help now",
    "crisis": "You are not alone: crisis support",
    "clinician": "Please talk to a clinician",
    "refused": "Not something I can help with",
    "off_topic": "Outside what I can answer",
    "no_answer": "Not covered by our vetted articles",
}


def source_line(c: Citation) -> str:
    """'Title — Section (version N)': how every interface names a source."""
    return f"{c.title} — {c.section} (version {c.version})"


def _source_markdown(c: Citation) -> str:
    title = f"[{c.title}]({c.url})" if c.url else c.title
    return f"[{c.n}] {title} — {c.section} (version {c.version}): “{c.quote}”"


def sources_markdown(answer: Answer) -> str:
    """The numbered sources, one per line, or an empty string when there are none."""
    if not answer.citations:
        return ""
    return "Sources:\n" + "\n".join(_source_markdown(c) for c in answer.citations)


def trailer_markdown(answer: Answer) -> str:
    """What follows the answer text for a plain-text client: sources, then the disclaimer."""
    parts = [sources_markdown(answer), f"_{answer.disclaimer}_"]
    return "\n\n" + "\n\n".join(p for p in parts if p)


def source_html(c: Citation) -> str:
    """One source as a list item: linked title, section, version, then the quote."""
    esc = html.escape
    title = f'<span class="va-source-title">{esc(c.title)}</span>'
    if c.url:
        title = (
            f'<a class="va-source-title" href="{esc(c.url, quote=True)}" target="_blank"'
            f' rel="noopener noreferrer">{esc(c.title)}'
            '<span class="va-sr-only"> (opens in a new tab)</span></a>'
        )
    return (
        f'<li class="va-citation" value="{c.n}">{title}'
        f'<span class="va-source-meta"> — {esc(c.section)} (version {esc(c.version)})</span>'
        f'<span class="va-quote">“{esc(c.quote)}”</span></li>'
    )


def sources_html(citations: list[Citation]) -> str:
    """The numbered sources block, or an empty string when there are none."""
    if not citations:
        return ""
    items = "".join(source_html(c) for c in citations)
    return f'<div class="va-sources"><strong>Sources</strong><ol>{items}</ol></div>'


def _label(route: str) -> str:
    icon = '<span aria-hidden="true">⚠ </span>' if route in ESCALATION_ROUTES else ""
    return icon + html.escape(ROUTE_LABELS[route])


def banner_html(route: str) -> str:
    """The coloured label of a non-answer route ('' for a plain answer)."""
    if route not in ROUTE_LABELS:
        return ""
    return f'<div class="va-banner va-route-{route}">{_label(route)}</div>'


def alert_html(alerts: dict[str, str]) -> str:
    """The persistent safety area: each escalation shown so far (route -> its reply text).

    Each is a disclosure, open at first: the banner stays visible and the visitor may fold
    the text away to give the conversation more room on a small screen.
    """
    items = []
    for route in ESCALATION_ROUTES:
        if route in alerts:
            items.append(
                f'<details class="va-alert va-alert-{route}" open>'
                f'<summary class="va-banner va-route-{route}">{_label(route)}</summary>'
                f'<p class="va-alert-text">{html.escape(alerts[route], quote=False)}</p></details>'
            )
    if not items:
        return ""
    body = "".join(items)
    return f'<section class="va-alerts" aria-label="Safety information">{body}</section>'
