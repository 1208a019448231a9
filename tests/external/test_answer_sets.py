"""The labelled in/out-of-corpus sets built from ../shared/data (skipped without it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evals.suites.answer_sets import medquad_set, pubmedqa_set
from assistant.evals.suites.answers import inside_spans
from tests.conftest import SHARED

DATA = SHARED / "data"
pytestmark = pytest.mark.skipif(
    not (DATA / "halluc_medhallu_calibration.jsonl").exists(), reason="no ../shared/data"
)


def test_pubmedqa_set_has_both_labels_and_both_splits(tmp_path: Path) -> None:
    rows = pubmedqa_set(DATA, tmp_path / "pq")
    written = {p.stem for p in (tmp_path / "pq").glob("*.md")}
    assert {q.split for q in rows} == {"dev", "test"}
    inside = [q for q in rows if q.in_corpus]
    assert 0.4 < len(inside) / len(rows) < 0.6
    assert {q.article for q in inside} == written
    assert all(not q.article for q in rows if not q.in_corpus)


def test_medquad_set_removes_pages_and_their_topics(tmp_path: Path) -> None:
    rows, texts = medquad_set(DATA, tmp_path / "mq", n_docs=40, per_doc=2)
    assert {q.in_corpus for q in rows} == {True, False}
    for q in rows:
        if q.in_corpus:
            assert q.article in texts and q.spans
    page = next(iter(texts.values()))
    assert inside_spans(page[:20], page, [(0, 50)])
    assert not inside_spans(page[:20], page, [(5, 50)])
