"""Questions about when an article was reviewed, and the lines that answer them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.retrieve.article_dates import ArticleDates, review_lines

DATES = ArticleDates.load(
    Path(__file__).resolve().parents[2] / "prompts" / "answerability" / "article_dates.yaml"
)


@pytest.mark.parametrize(
    "question",
    [
        "when were these articles put up",
        "is your information still current?",
        "how old is the info on this site",
        "last updated when?",
        "outdated?",
    ],
)
def test_questions_about_the_contents_date_are_recognised(question: str) -> None:
    assert DATES.asks(question)


@pytest.mark.parametrize(
    "question",
    [
        "when was the drug first approved",
        "is this treatment current practice in Europe",
        "how long ago were the trials published",
        "what is the publication date of that study",
    ],
)
def test_questions_about_research_or_the_treatment_are_not(question: str) -> None:
    assert not DATES.asks(question)


def test_lines_list_published_articles_most_recently_reviewed_first() -> None:
    articles = {
        "a": {"title": "A", "authors": ["X, MD"], "reviewed_on": "2025-03-01", "version": 2,
              "status": "published"},
        "b": {"title": "B", "authors": ["Y", "Z", "W"], "reviewed_on": "2026-01-09", "version": 1,
              "status": "published"},
        "c": {"title": "C", "authors": [], "reviewed_on": "2026-05-05", "version": 1,
              "status": "retired"},
    }  # fmt: skip
    lines = review_lines(articles)
    assert [x["title"] for x in lines] == ["B", "A"]
    assert lines[0]["authors"] == "Y, Z and W" and lines[0]["reviewed_on"] == "9 January 2026"
    assert lines[1]["authors"] == "X, MD" and lines[1]["version"] == "2"


def test_a_broken_pattern_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "dates.yaml"
    bad.write_text("patterns: ['when (was']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad pattern"):
        ArticleDates.load(bad)
    (tmp_path / "none.yaml").write_text("other: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        ArticleDates.load(tmp_path / "none.yaml")
