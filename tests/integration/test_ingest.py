"""Ingest with the real model and embedded Chroma: idempotent, edits, retirement, kill safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.corpus.articles import load_article
from assistant.evals.suites.common import read_jsonl, write_medquad_articles
from tests.conftest import ROOT, SHARED, make_settings


def _assistant(store: Path, corpus: Path) -> Assistant:
    return Assistant(make_settings(store, corpus))


def test_second_ingest_embeds_nothing(tmp_path: Path, corpus_copy: Path) -> None:
    a = _assistant(tmp_path / "store", corpus_copy)
    first = a.ingest(corpus_copy)
    assert first.embedded == first.chunks > 0 and first.changed and first.generation == 1
    calls = a.service.embedder.forward_calls  # type: ignore[attr-defined]
    second = a.ingest(corpus_copy)
    assert (second.embedded, second.reused, second.removed) == (0, 0, 0)
    assert not second.changed and second.generation == 1
    assert a.service.embedder.forward_calls == calls  # type: ignore[attr-defined]
    # A fresh process (new model instance) also re-embeds nothing.
    third = _assistant(tmp_path / "store", corpus_copy).ingest(corpus_copy)
    assert third.embedded == 0 and third.generation == 1


def test_editing_a_section_reembeds_only_that_chunk(tmp_path: Path, corpus_copy: Path) -> None:
    a = _assistant(tmp_path / "store", corpus_copy)
    a.ingest(corpus_copy)
    path = corpus_copy / "ketamine-chronic-pain.md"
    old_sentence = "Side effects such as disorientation and increased heart rate may occur"
    new_sentence = "Side effects such as nausea, disorientation and increased heart rate may occur"
    path.write_text(path.read_text(encoding="utf-8").replace(old_sentence, new_sentence))
    report = a.ingest(corpus_copy)
    assert report.changed and report.generation == 2
    assert report.embedded == 1, "only the edited section is embedded again"
    assert report.removed == 1, "the chunk of the old text leaves the index"
    answer = a.ask("What side effects can ketamine infusions have?")
    assert answer.route == "answer"
    quotes = " ".join(c.quote for c in answer.citations)
    assert "nausea" in quotes
    assert old_sentence not in quotes


def test_version_bump_reuses_vectors_instead_of_reembedding(
    tmp_path: Path, corpus_copy: Path
) -> None:
    a = _assistant(tmp_path / "store", corpus_copy)
    first = a.ingest(corpus_copy)
    path = corpus_copy / "ketamine-chronic-pain.md"
    path.write_text(path.read_text(encoding="utf-8").replace("version: 1", "version: 2"))
    report = a.ingest(corpus_copy)
    assert report.embedded == 0 and report.reused == first.chunks
    assert {c.version for c in a.ask("Does ketamine help fibromyalgia?").citations} == {"2"}


def test_retiring_an_article_removes_its_chunks(tmp_path: Path, corpus_copy: Path) -> None:
    a = _assistant(tmp_path / "store", corpus_copy)
    first = a.ingest(corpus_copy)
    assert a.ask("Does ketamine help fibromyalgia?").route == "answer"
    path = corpus_copy / "ketamine-chronic-pain.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: published", "status: retired")
    )
    report = a.ingest(corpus_copy)
    assert report.retired == 1 and report.chunks == 0 and report.removed == first.chunks
    assert a.service.store.all_ids() == set()
    answer = a.ask("Does ketamine help fibromyalgia?")
    assert answer.route == "no_answer" and answer.citations == []


def test_deleting_an_article_file_removes_it(tmp_path: Path, corpus_copy: Path) -> None:
    extra = corpus_copy / "other.md"
    extra.write_text(
        "---\nid: other\ntitle: Heat Therapy\nauthors: [Clinic]\nsource: test\n"
        "reviewed_on: 2026-01-01\nversion: 1\nstatus: published\n---\n\n"
        "## Heat packs\n\nWarm compresses relax stiff muscles after exercise.\n",
        encoding="utf-8",
    )
    a = _assistant(tmp_path / "store", corpus_copy)
    a.ingest(corpus_copy)
    assert a.ask("Do warm compresses relax stiff muscles?").citations[0].article_id == "other"
    extra.unlink()
    report = a.ingest(corpus_copy)
    assert report.removed == 1 and report.articles == 1
    ids = {c.article_id for c in a.ask("Do warm compresses relax stiff muscles?").citations}
    assert "other" not in ids


def test_a_bad_article_leaves_the_index_untouched(tmp_path: Path, corpus_copy: Path) -> None:
    a = _assistant(tmp_path / "store", corpus_copy)
    a.ingest(corpus_copy)
    before = a.service.store.read_manifest()
    (corpus_copy / "zz-bad.md").write_text("---\nid: zz\n---\n\ntext\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"zz-bad\.md: field 'title'"):
        a.ingest(corpus_copy)
    assert a.service.store.read_manifest() == before


def _medquad_corpus(folder: Path, n_docs: int) -> None:
    """Real MedQuAD pages as articles: enough text to take a few seconds to embed."""
    rows = read_jsonl(SHARED / "data" / "medquad_corpus.jsonl")[:n_docs]
    write_medquad_articles(rows, folder)


@pytest.mark.server
def test_kill_mid_ingest_leaves_the_previous_index_serving(
    tmp_path: Path, corpus_copy: Path
) -> None:
    store = tmp_path / "store"
    a = _assistant(store, corpus_copy)
    a.ingest(corpus_copy)
    before = a.service.store.read_manifest()
    baseline = a.ask("Does ketamine help fibromyalgia?")

    _medquad_corpus(corpus_copy, 20)
    env = {
        **os.environ,
        "VA_STORE__PATH": str(store),
        "VA_EMBEDDING__BATCH_SIZE": "2",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant.interfaces.cli",
            "ingest",
            str(corpus_copy),
            "--progress",
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        seen += proc.stderr.read(1) or ""
        if "embedding:" in seen and seen.rstrip().endswith("chunk/s]"):
            break
        if proc.poll() is not None:
            break
    assert proc.poll() is None, f"ingest ended before it could be killed: {seen[-500:]}"
    time.sleep(1.5)  # let it store a few batches
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    survivor = _assistant(store, corpus_copy)
    assert survivor.service.store.read_manifest() == before
    after = survivor.ask("Does ketamine help fibromyalgia?")
    assert after.route == "answer"
    assert [c.quote for c in after.citations] == [c.quote for c in baseline.citations]
    assert len(survivor.service.snapshot().passages) == sum(
        len(e["chunks"]) for e in before["articles"].values()
    )

    report = survivor.ingest(corpus_copy)
    assert report.generation == before["generation"] + 1
    assert report.articles == 21 and report.chunks > 40
    assert survivor.service.store.all_ids() == {
        cid for e in survivor.service.store.read_manifest()["articles"].values()
        for cid in e["chunks"]
    }  # fmt: skip


def test_article_text_survives_ingest_verbatim(assistant: Assistant) -> None:
    article = load_article(Path(assistant.settings.corpus.path) / "ketamine-chronic-pain.md")
    for passage in assistant.service.snapshot().passages:
        assert passage.text in article.body
