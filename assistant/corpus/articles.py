"""Vetted articles: Markdown files with YAML front matter, parsed and validated."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import CorpusError

__all__ = [
    "Article",
    "Section",
    "check_article",
    "load_article",
    "load_corpus",
    "split_sections",
]

REQUIRED = ("id", "title", "authors", "source", "reviewed_on", "version", "status")
STATUSES = ("published", "retired")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")
_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
INTRO = "Introduction"


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text so we can validate them."""


_Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Section:
    """A heading and the body text under it; offsets index into the article body."""

    heading: str
    text: str
    start: int
    position: int


@dataclass(frozen=True)
class Article:
    """One validated article."""

    id: str
    title: str
    authors: tuple[str, ...]
    source: str
    reviewed_on: dt.date
    version: str
    status: str
    body: str
    path: str
    body_line: int
    sha: str
    extra: dict[str, Any] = field(default_factory=dict)
    url: str | None = None

    @property
    def published(self) -> bool:
        """True when the article may be served."""
        return self.status == "published"

    def sections(self) -> list[Section]:
        """The article's sections in reading order."""
        return split_sections(self.body, self.title)

    def line_of(self, offset: int) -> int:
        """The 1-based line in the file of a character offset in the body."""
        return self.body_line + self.body.count("\n", 0, offset)


def _clean_heading(raw: str) -> str:
    return raw.strip().rstrip(":").strip()


def split_sections(body: str, title: str = "") -> list[Section]:
    """Split a Markdown body at its headings; text before the first heading is the intro."""
    sections: list[Section] = []
    matches = list(_HEADING_RE.finditer(body))
    bounds = [(INTRO, 0, matches[0].start() if matches else len(body))]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        bounds.append((_clean_heading(m.group(2)), m.end(), end))
    for heading, start, end in bounds:
        text = body[start:end]
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        if heading.lower() == title.lower().strip():
            heading = INTRO
        sections.append(Section(heading, stripped, start + lead, len(sections)))
    return sections


def _fail(path: Path, field_name: str, message: str, line: int | None = None) -> CorpusError:
    return CorpusError(path, field_name, message, line)


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _split_front_matter(path: Path, raw: str) -> tuple[dict[str, Any], str, int, list[str]]:
    """(fields, body, first body line, front-matter lines); a broken block raises."""
    text = raw.lstrip("\ufeff")
    if not text.startswith("---"):
        raise _fail(path, "front matter", "missing: the file must start with a '---' YAML block", 1)
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise _fail(path, "front matter", "not closed: add a line '---' after the fields", 1)
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise _fail(path, "front matter", f"invalid YAML: {exc}".splitlines()[0], line) from None
    if not isinstance(meta, dict):
        raise _fail(path, "front matter", "must be a mapping of field: value", 2)
    body = "\n".join(lines[end + 1 :])
    lead = len(body) - len(body.lstrip("\n"))
    return meta, body.lstrip("\n"), end + 2 + lead, lines[: end + 1]


def _field_line(front: list[str], name: str) -> int | None:
    """The 1-based file line where a front-matter field is written, if it is."""
    pattern = re.compile(rf"^{re.escape(name)}\s*:")
    return next((i + 1 for i, ln in enumerate(front) if pattern.match(ln)), None)


def _parse_url(path: Path, value: Any) -> str | None:
    """The optional `url` of the article's web page: an absolute http(s) address."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    url = str(value).strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        raise _fail(path, "url", f"'{url}' must be an absolute http:// or https:// address")
    return url


def load_article(path: Path | str) -> Article:
    """Parse and validate one article file; CorpusError lists every problem (file, field, line)."""
    article, errors = check_article(path)
    if errors or article is None:
        raise CorpusError.many(errors)
    return article


def check_article(path: Path | str) -> tuple[Article | None, list[CorpusError]]:
    """(the article or None, every validation problem found in it)."""
    path = Path(path)
    try:
        data = path.read_bytes()
        raw = data.decode("utf-8")
        meta, body, body_line, front = _split_front_matter(path, raw)
    except UnicodeDecodeError:
        return None, [_fail(path, "encoding", "the file is not valid UTF-8")]
    except OSError as exc:
        return None, [_fail(path, "file", f"cannot be read: {exc.strerror}")]
    except CorpusError as exc:
        return None, [exc]
    errors: list[CorpusError] = []

    def bad(name: str, message: str) -> None:
        errors.append(_fail(path, name, message, _field_line(front, name) or len(front)))

    for name in REQUIRED:
        value = meta.get(name)
        if value is None or (isinstance(value, str | list) and not value):
            bad(name, "missing or empty in the front matter")
    art_id = str(meta.get("id") or "").strip()
    if art_id and not _ID_RE.match(art_id):
        bad("id", f"'{art_id}' must be lowercase letters, digits, '-', '_' or '.'")
    authors_raw = meta.get("authors") or []
    authors = (
        tuple(str(a).strip() for a in authors_raw)
        if isinstance(authors_raw, list)
        else (str(authors_raw).strip(),)
    )
    if authors and not all(authors):
        bad("authors", "every author needs a name")
    status = str(meta.get("status") or "").strip().lower()
    if meta.get("status") and status not in STATUSES:
        bad("status", f"'{meta['status']}' must be one of {', '.join(STATUSES)}")
    version = str(meta.get("version") or "").strip()
    title = str(meta.get("title") or "").strip()
    reviewed = _parse_date(meta["reviewed_on"]) if meta.get("reviewed_on") else None
    if meta.get("reviewed_on") and reviewed is None:
        bad("reviewed_on", f"'{meta['reviewed_on']}' is not a valid date (use YYYY-MM-DD)")
    if not split_sections(body, title) or not re.search(r"\w", _HEADING_RE.sub("", body)):
        errors.append(_fail(path, "body", "is empty: an article needs text below its front "
                            "matter", body_line))  # fmt: skip
    url: str | None = None
    try:
        url = _parse_url(path, meta.get("url"))
    except CorpusError as exc:
        errors.append(exc)
    if errors or reviewed is None:
        return None, errors
    extra = {k: v for k, v in meta.items() if k not in (*REQUIRED, "url")}
    return Article(
        id=art_id,
        title=title,
        authors=authors,
        source=str(meta["source"]).strip(),
        reviewed_on=reviewed,
        version=version,
        status=status,
        body=body,
        path=str(path),
        body_line=body_line,
        sha=hashlib.sha256(data).hexdigest(),
        extra=extra,
        url=url,
    ), []


def _article_files(root: Path) -> Iterable[Path]:
    if root.is_file():
        yield root
        return
    for p in sorted(root.rglob("*.md")):
        hidden = any(part.startswith(".") for part in p.relative_to(root).parts)
        if p.name.lower() == "readme.md" or hidden:
            continue
        yield p


def load_corpus(root: Path | str) -> list[Article]:
    """Load every article under a folder (README.md files are skipped); ids must be unique.

    Every problem in every article is reported in one CorpusError (`.errors` lists them).
    """
    root = Path(root)
    if not root.exists():
        raise CorpusError(root, "path", "does not exist")
    articles: list[Article] = []
    errors: list[CorpusError] = []
    seen: dict[str, str] = {}
    for path in _article_files(root):
        art, problems = check_article(path)
        errors.extend(problems)
        if art is None:
            continue
        if art.id in seen:
            line = _id_line(path)
            errors.append(CorpusError(path, "id", f"duplicate id '{art.id}': also used by "
                                      f"{seen[art.id]}", line))  # fmt: skip
            continue
        seen[art.id] = str(path)
        articles.append(art)
    if errors:
        raise CorpusError.many(errors)
    if not articles:
        raise CorpusError(root, "path", "holds no article (*.md files with front matter)")
    return articles


def _id_line(path: Path) -> int | None:
    lines = path.read_text(encoding="utf-8").lstrip("\ufeff").split("\n")
    return _field_line(lines, "id")
