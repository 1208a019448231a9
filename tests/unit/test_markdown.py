"""The one rendering of sources and banners (plain text, Markdown, HTML) and the article url."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus.articles import load_article
from assistant.errors import CorpusError
from assistant.interfaces.markdown import (
    alert_html,
    banner_html,
    source_html,
    source_line,
    sources_markdown,
)
from assistant.interfaces.ui.render import escalations, render_alerts, render_answer
from assistant.models import Answer, Citation

ARTICLE = """---
id: a
title: A Title
authors: [A. Author]
source: test
reviewed_on: 2026-01-02
version: 3
status: published
{url}---

Intro text here.
"""


def _cite(url: str | None = None) -> Citation:
    return Citation(
        n=2, article_id="a", title="Pain <Care>", section="Doses & more", version="3",
        quote='He said "no".', score=0.9, url=url,
    )  # fmt: skip


def _answer(route: str, cites: list[Citation] | None = None) -> Answer:
    return Answer(answer="Text [2]", route=route, citations=cites or [], disclaimer="Not advice.")  # type: ignore[arg-type]


def test_every_interface_names_a_source_the_same_way() -> None:
    c = _cite("https://clinic.example/a?x=1&y=2")
    line = source_line(c)
    assert line == "Pain <Care> — Doses & more (version 3)"
    md = sources_markdown(_answer("answer", [c]))
    assert md == (
        "Sources:\n[2] [Pain <Care>](https://clinic.example/a?x=1&y=2) — Doses & more "
        '(version 3): “He said "no".”'
    )
    html = source_html(c)
    assert 'href="https://clinic.example/a?x=1&amp;y=2"' in html and 'value="2"' in html
    assert "Pain &lt;Care&gt;" in html and "Doses &amp; more (version 3)" in html
    assert "“He said &quot;no&quot;.”" in html and "opens in a new tab" in html


def test_a_source_without_url_is_plain_text() -> None:
    html = source_html(_cite())
    assert "<a " not in html and '<span class="va-source-title">' in html
    assert "(version 3)" in sources_markdown(_answer("answer", [_cite()]))


def test_escalations_stay_in_the_safety_area_most_urgent_first() -> None:
    alerts = escalations(None, _answer("clinician"))
    alerts = escalations(alerts, _answer("answer"))  # a later answer keeps the alert
    alerts = escalations(alerts, Answer(answer="Call 911 <now>", route="emergency", disclaimer="d"))
    html = render_alerts(alerts)
    assert html.index("va-alert-emergency") < html.index("va-alert-clinician")
    assert "Call 911 &lt;now&gt;" in html and 'aria-label="Safety information"' in html
    assert '<details class="va-alert va-alert-emergency" open>' in html
    assert "va-alert" not in render_alerts({}) and alert_html({}) == ""
    assert banner_html("answer") == "" and 'aria-hidden="true">⚠' in banner_html("crisis")


def test_ui_reply_shows_banner_sources_and_disclaimer() -> None:
    html = render_answer(_answer("answer", [_cite("https://clinic.example/a")]))
    assert "va-banner" not in html and 'class="va-sources"' in html and "Not advice." in html
    assert 'class="va-banner va-route-no_answer"' in render_answer(_answer("no_answer"))


def test_article_url_is_optional_and_must_be_http(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(ARTICLE.format(url=""), encoding="utf-8")
    assert load_article(path).url is None
    path.write_text(ARTICLE.format(url="url: https://clinic.example/a\n"), encoding="utf-8")
    art = load_article(path)
    assert art.url == "https://clinic.example/a" and "url" not in art.extra
    for bad in ("javascript:alert(1)", "clinic.example/a", "https://exa mple.com"):
        path.write_text(ARTICLE.format(url=f"url: '{bad}'\n"), encoding="utf-8")
        with pytest.raises(CorpusError, match="url"):
            load_article(path)
