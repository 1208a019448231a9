"""Questions about when the articles were reviewed: answered from their front matter."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import ConfigError
from assistant.retrieve.pattern_files import compile_words

__all__ = ["ArticleDates", "review_lines"]


@dataclass(frozen=True)
class ArticleDates:
    """Patterns of a question about an article's date, from `article_dates.yaml`."""

    pattern: re.Pattern[str]

    @classmethod
    def load(cls, path: Path | str) -> ArticleDates:
        """Read the YAML file, or fail with a clear message."""
        path = Path(path)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            content = str(raw.get("content", "(?:this|it)"))
            patterns = [str(p).replace("{content}", content) for p in raw["patterns"]]
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from None
        return cls(compile_words(patterns, str(path)))

    def asks(self, question: str) -> bool:
        """True when the question asks when an article was written, reviewed or updated."""
        return bool(self.pattern.search(question))


def _day(iso: str) -> str:
    """'2026-11-25' -> '25 November 2026' (the ISO text itself when it is not a date)."""
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d:%B %Y}"


def review_lines(articles: dict[str, dict[str, Any]], limit: int = 8) -> list[dict[str, str]]:
    """The published articles' title, authors, review date (as words, and `reviewed_iso` as
    the front matter writes it) and version, the most recently reviewed first, at most
    `limit`."""
    live = [(k, e) for k, e in articles.items() if e.get("status") == "published"]
    live.sort(key=lambda ke: (str(ke[1].get("reviewed_on", "")), ke[0]), reverse=True)
    out = []
    for art, e in live[:limit]:
        authors = [str(a) for a in e.get("authors") or []]
        names = " and ".join(
            [", ".join(authors[:-1]), authors[-1]] if len(authors) > 1 else authors
        )
        out.append({
            "article_id": art,
            "title": str(e.get("title", art)),
            "authors": names or "the clinic",
            "reviewed_on": _day(str(e.get("reviewed_on", ""))),
            "reviewed_iso": str(e.get("reviewed_on", "")),
            "version": str(e.get("version", "")),
            "url": str(e.get("url") or ""),
        })  # fmt: skip
    return out
