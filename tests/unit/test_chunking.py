"""Section-aware chunks: verbatim text, headings and versions in metadata, stable ids."""

from __future__ import annotations

import dataclasses

from assistant.corpus.articles import load_article
from assistant.corpus.chunking import chunk_article
from tests.conftest import CORPUS


def test_chunks_are_verbatim_slices_within_one_section() -> None:
    article = load_article(CORPUS / "ketamine-chronic-pain.md")
    chunks = chunk_article(article)
    sections = {s.heading: s for s in article.sections()}
    assert {c.section for c in chunks} == set(sections)
    for c in chunks:
        assert article.body[c.start : c.start + len(c.text)] == c.text
        assert c.text in sections[c.section].text
        assert c.version == "1" and c.title == article.title
        for s, e in c.sentences:
            assert c.text[s:e].strip() == c.text[s:e] and c.text[s:e]


def test_long_sections_split_on_sentence_boundaries() -> None:
    article = load_article(CORPUS / "ketamine-chronic-pain.md")
    small = chunk_article(article, max_words=40)
    assert len(small) > len(chunk_article(article))
    for c in small:
        assert c.text[-1] in ".!?:" and len(c.text.split()) <= 120


def test_chunk_ids_change_with_content_or_version_only() -> None:
    article = load_article(CORPUS / "ketamine-chronic-pain.md")
    ids = [c.id for c in chunk_article(article)]
    assert ids == [c.id for c in chunk_article(article)]
    assert len(set(ids)) == len(ids)
    bumped = dataclasses.replace(article, version="2")
    assert not set(ids) & {c.id for c in chunk_article(bumped)}
