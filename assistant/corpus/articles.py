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

__all__ = ["Article", "Section", "load_article", "load_corpus", "split_sections"]

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


def _fail(path: Path, field_name: str, message: str) -> CorpusError:
    return CorpusError(path, field_name, message)


def _parse_date(path: Path, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _fail(
            path, "reviewed_on", f"'{value}' is not a valid date (use YYYY-MM-DD)"
        ) from None


def _split_front_matter(path: Path, raw: str) -> tuple[dict[str, Any], str, int]:
    text = raw.lstrip("\ufeff")
    if not text.startswith("---"):
        raise _fail(path, "front matter", "missing: the file must start with a '---' YAML block")
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise _fail(path, "front matter", "not closed: add a line '---' after the fields")
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        raise _fail(path, "front matter", f"invalid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(meta, dict):
        raise _fail(path, "front matter", "must be a mapping of field: value")
    body = "\n".join(lines[end + 1 :])
    lead = len(body) - len(body.lstrip("\n"))
    return meta, body.lstrip("\n"), end + 2 + lead


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
    """Parse and validate one article file, raising CorpusError naming the file and field."""
    path = Path(path)
    try:
        data = path.read_bytes()
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(path, "encoding", "the file is not valid UTF-8") from None
    except OSError as exc:
        raise _fail(path, "file", f"cannot be read: {exc.strerror}") from None
    meta, body, body_line = _split_front_matter(path, raw)
    for name in REQUIRED:
        value = meta.get(name)
        if value is None or (isinstance(value, str | list) and not value):
            raise _fail(path, name, "missing or empty in the front matter")
    art_id = str(meta["id"]).strip()
    if not _ID_RE.match(art_id):
        raise _fail(path, "id", f"'{art_id}' must be lowercase letters, digits, '-', '_' or '.'")
    authors_raw = meta["authors"]
    authors = (
        tuple(str(a).strip() for a in authors_raw)
        if isinstance(authors_raw, list)
        else (str(authors_raw).strip(),)
    )
    if not all(authors):
        raise _fail(path, "authors", "every author needs a name")
    status = str(meta["status"]).strip().lower()
    if status not in STATUSES:
        raise _fail(path, "status", f"'{meta['status']}' must be one of {', '.join(STATUSES)}")
    version = str(meta["version"]).strip()
    if not version:
        raise _fail(path, "version", "missing or empty in the front matter")
    title = str(meta["title"]).strip()
    if not title:
        raise _fail(path, "title", "missing or empty in the front matter")
    reviewed = _parse_date(path, meta["reviewed_on"])
    if not split_sections(body, title) or not re.search(r"\w", _HEADING_RE.sub("", body)):
        raise _fail(path, "body", "is empty: an article needs text below its front matter")
    url = _parse_url(path, meta.get("url"))
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
    )


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
    """Load every article under a folder (README.md files are skipped); ids must be unique."""
    root = Path(root)
    if not root.exists():
        raise CorpusError(root, "path", "does not exist")
    articles: list[Article] = []
    seen: dict[str, str] = {}
    for path in _article_files(root):
        art = load_article(path)
        if art.id in seen:
            raise CorpusError(path, "id", f"duplicate id '{art.id}': also used by {seen[art.id]}")
        seen[art.id] = str(path)
        articles.append(art)
    if not articles:
        raise CorpusError(root, "path", "holds no article (*.md files with front matter)")
    return articles
