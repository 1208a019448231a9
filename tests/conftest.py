"""Shared fixtures: isolated env and disk, one model load, a real Chroma index per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
PROMPTS = ROOT / "prompts"


@pytest.fixture(autouse=True)
def env_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No VA_* settings leak in from the shell; offline hub settings always on."""
    for key in list(os.environ):
        if key.startswith("VA_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("VA_STORE__PATH", str(tmp_path / "default-store"))
    monkeypatch.setenv("VA_PROMPTS_PATH", str(PROMPTS))
    yield


def make_settings(store_path: Path, corpus: Path = CORPUS, **extra: object):
    """Settings pointing at a private store and corpus."""
    from assistant.config.settings import Settings

    return Settings(
        store={"path": store_path, "refresh_interval_s": 0},
        corpus={"path": corpus},
        prompts_path=PROMPTS,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def embedder():
    """The real packaged MiniLM, loaded once."""
    from assistant.index.embeddings import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded Chroma store with the real corpus ingested once for the session."""
    path = tmp_path_factory.mktemp("store")
    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS, corpus, dirs_exist_ok=True)
    from assistant import Assistant

    Assistant(make_settings(path, corpus)).ingest(corpus)
    return path


@pytest.fixture(scope="session")
def assistant(built_store: Path):
    """An Assistant over the session index."""
    from assistant import Assistant

    return Assistant(make_settings(built_store))


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A private, editable copy of the real corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


def write_broken_article(corpus: Path, article_id: str = "broken") -> Path:
    """Add an article whose `reviewed_on` is not a date (and, if asked, whose id is invalid)."""
    path = corpus / "broken.md"
    path.write_text(
        f"---\nid: {article_id}\ntitle: T\nauthors: [A]\nsource: s\nreviewed_on: 2026-02-30\n"
        "version: 1\nstatus: published\n---\n\nBody.\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A real PostgreSQL server (Debian's packages) for the session; skipped when absent."""
    from tests._pg import PostgresServer, pg_bin

    if pg_bin() is None:
        pytest.skip("PostgreSQL binaries are absent: apt-get install postgresql (make sysdeps)")
    server = PostgresServer()
    yield server
    server.stop()
