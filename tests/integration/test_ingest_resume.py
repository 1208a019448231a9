"""A killed ingest keeps its work: the next run reuses every chunk stored before the kill."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.index.store import ChromaStore, make_chroma_client
from assistant.ingest.pipeline import IngestService
from tests.conftest import CORPUS, ROOT, make_settings

pytestmark = pytest.mark.server

COPIES = 36
_PROGRESS = re.compile(r"embedding:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+) \[")


def _big_corpus(folder: Path) -> None:
    """COPIES editions of the real article, each with its own id and title (distinct chunks)."""
    folder.mkdir()
    text = (CORPUS / "ketamine-chronic-pain.md").read_text(encoding="utf-8")
    for i in range(COPIES):
        edition = text.replace("id: ketamine-chronic-pain", f"id: ketamine-edition-{i}", 1)
        edition = edition.replace(
            "title: Ketamine Infusion Therapy for Chronic Pain",
            f"title: Ketamine Infusion Therapy for Chronic Pain, edition {i}",
            1,
        )
        (folder / f"ketamine-edition-{i}.md").write_text(edition, encoding="utf-8")


class _Counting:
    """Counts the chunks and forward passes that reach the real embedder."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.texts = 0
        self.calls = 0

    def embed_passages(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        progress: Callable[[int], None] | None = None,
    ) -> Any:
        self.texts += len(texts)
        before = self.inner.forward_calls
        out = self.inner.embed_passages(texts, spans, progress)
        self.calls += self.inner.forward_calls - before
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _kill_at_half(corpus: Path, store: Path) -> float:
    """Run `assistant ingest` in a subprocess; SIGKILL it once half the chunks are stored."""
    env = {**os.environ, "VA_STORE__PATH": str(store), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.interfaces.cli", "ingest", str(corpus), "--progress"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True,
    )  # fmt: skip
    assert proc.stderr is not None
    seen, done = "", 0.0
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        seen += proc.stderr.read(1) or ""
        found = _PROGRESS.findall(seen[-200:])
        if found:
            n, total = map(int, found[-1])
            done = n / total
            if done >= 0.5:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"not killed mid-ingest: {seen[-300:]}"
    return done


def test_rerun_after_a_kill_at_half_embeds_only_the_rest(tmp_path: Path, embedder: Any) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    _big_corpus(corpus)
    done = _kill_at_half(corpus, store)
    assert 0.5 <= done < 0.8, done

    settings = make_settings(store, corpus)
    chroma = ChromaStore(make_chroma_client(settings.store), settings.store.collection, embedder)
    assert chroma.read_manifest() is None, "the killed run never flipped the manifest"
    counting = _Counting(embedder)
    report = IngestService(chroma, counting).ingest(corpus)  # type: ignore[arg-type]
    print(f"killed at {done:.0%}; re-run embedded {report.embedded}/{report.chunks} chunks "
          f"in {counting.calls} forward passes, reused {report.reused}")  # fmt: skip
    assert report.chunks >= 300
    assert counting.texts == report.embedded
    assert report.embedded <= 0.55 * report.chunks
    assert report.embedded <= (1 - done) * report.chunks + embedder.batch_size
    assert report.reused + report.embedded == report.chunks
    assert chroma.all_ids() == {
        cid for e in chroma.read_manifest()["articles"].values() for cid in e["chunks"]
    }  # fmt: skip
