"""The corpus format: the real article, and every validation error naming file and field."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.corpus.articles import load_article, load_corpus, split_sections
from assistant.errors import CorpusError
from tests.conftest import CORPUS, SHARED

GOOD = """---
id: {id}
title: A Title
authors: [A. Author]
source: test
reviewed_on: 2026-01-02
version: 3
status: published
---

Intro text here.

## Section One:

Body of section one.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_real_article_keeps_the_clinic_wording_verbatim() -> None:
    article = load_article(CORPUS / "ketamine-chronic-pain.md")
    seed = (SHARED / "seed" / "ketamine-chronic-pain.txt").read_text(encoding="utf-8")
    # Only headings ("## ") and blank lines around them are ours.
    body = re.sub(r"^## ", "", article.body, flags=re.MULTILINE)
    assert [ln for ln in body.split("\n") if ln.strip()] == seed.strip().split("\n")
    assert article.id == "ketamine-chronic-pain"
    assert article.status == "published"
    assert article.reviewed_on == dt.date(2026, 11, 25)
    assert article.authors == ("Tanya Dall, MD", "Justin Yanuck, MD")


def test_sections_follow_headings_and_drop_the_trailing_colon() -> None:
    article = load_article(CORPUS / "ketamine-chronic-pain.md")
    headings = [s.heading for s in article.sections()]
    assert headings[0] == "Introduction"
    assert "Treating Fibromyalgia" in headings
    assert "Safety and Considerations" in headings
    for s in article.sections():
        assert article.body[s.start : s.start + len(s.text)] == s.text


def test_split_sections_without_headings_is_one_intro() -> None:
    sections = split_sections("Just text.\nMore text.")
    assert [(s.heading, s.text) for s in sections] == [("Introduction", "Just text.\nMore text.")]


def test_readme_is_not_an_article(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# How to add articles\n")
    write(tmp_path, "a.md", GOOD.format(id="a"))
    assert [a.id for a in load_corpus(tmp_path)] == ["a"]


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("No front matter at all.\n", "front matter", "missing"),
        ("---\nid: x\ntitle: t\n", "front matter", "not closed"),
        ("---\nid: [unclosed\n---\nbody\n", "front matter", "invalid YAML"),
        (GOOD.format(id="x").split("\nIntro")[0] + "\n\n   \n", "body", "empty"),
        (GOOD.format(id="x").replace("## Section One:\n\nBody of section one.\n", "")
         .replace("Intro text here.", "## Only a heading"), "body", "empty"),
        (GOOD.format(id="x").replace("2026-01-02", "2026-13-45"), "reviewed_on", "not a valid date"),
        (GOOD.format(id="x").replace("2026-01-02", "last tuesday"), "reviewed_on", "valid date"),
        (GOOD.format(id="x").replace("title: A Title\n", ""), "title", "missing"),
        (GOOD.format(id="x").replace("authors: [A. Author]\n", "authors: []\n"), "authors", "missing"),
        (GOOD.format(id="x").replace("version: 3\n", ""), "version", "missing"),
        (GOOD.format(id="x").replace("source: test\n", ""), "source", "missing"),
        (GOOD.format(id="x").replace("published", "draft"), "status", "must be one of"),
        (GOOD.format(id="Bad Id!"), "id", "lowercase"),
    ],
)  # fmt: skip
def test_bad_articles_name_the_file_and_field(
    tmp_path: Path, text: str, field: str, words: str
) -> None:
    path = write(tmp_path, "broken-article.md", text)
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    assert err.value.field == field
    assert err.value.path == str(path)
    assert "broken-article.md" in str(err.value)
    assert field in str(err.value)
    assert words in str(err.value)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "one.md", GOOD.format(id="same"))
    write(tmp_path, "two.md", GOOD.format(id="same"))
    with pytest.raises(CorpusError) as err:
        load_corpus(tmp_path)
    assert err.value.field == "id"
    assert "duplicate id 'same'" in str(err.value)
    assert "one.md" in str(err.value) and "two.md" in str(err.value)


def test_non_utf8_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "bin.md").write_bytes(b"---\xff\xfe\n")
    with pytest.raises(CorpusError, match="UTF-8"):
        load_corpus(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusError, match="no article"):
        load_corpus(empty)


def test_line_of_maps_body_offsets_to_file_lines() -> None:
    article = load_article(CORPUS / "ketamine-chronic-pain.md")
    lines = Path(article.path).read_text(encoding="utf-8").split("\n")
    offset = article.body.index("Neuropathic pain, characterized")
    assert lines[article.line_of(offset) - 1].startswith("Neuropathic pain, characterized")
