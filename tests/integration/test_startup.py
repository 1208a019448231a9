"""Start fast, fail fast: lean CLI checks, the ONNX query encoder, cached derived vectors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import CORPUS, PROMPTS, ROOT, make_settings, write_broken_article

HEAVY = ("torch", "chromadb", "onnxruntime", "sentence_transformers")


def cli(args: list[str], store: Path, corpus: Path = CORPUS, stdin: str = "") -> dict:
    """Run the CLI in a fresh interpreter; report exit code, output and heavy modules loaded."""
    code = (
        "import json, sys, contextlib, io\n"
        "from assistant.interfaces.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    rc = main({args!r})\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(json.dumps({'rc': rc, 'out': out.getvalue(), 'err': err.getvalue(), 'heavy': heavy}))\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("VA_")},
        "VA_STORE__PATH": str(store),
        "VA_PROMPTS_PATH": str(PROMPTS),
        "VA_CORPUS__PATH": str(corpus),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, text=True, env=env,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["ask", ""], "must not be empty"),
        (["ask", "   "], "must not be empty"),
        (["ingest", "/nonexistent"], "/nonexistent: field 'path': does not exist"),
        (["search", " "], "must not be empty"),
        (["eval", "--baseline", "/nonexistent"], "no report.json"),
        (["eval", "--suite", "retrieval", "--data", "/nonexistent"], "is not a folder"),
    ],
)
def test_bad_input_fails_before_loading_anything(
    tmp_path: Path, args: list[str], words: str
) -> None:
    """A clear one-line error and exit 1, with neither torch nor Chroma imported."""
    got = cli(args, tmp_path / "store")
    assert got["rc"] == 1 and words in got["err"] and got["err"].startswith("error: ")
    assert "Traceback" not in got["err"] and got["out"] == ""
    assert got["heavy"] == []
    assert not (tmp_path / "store").exists()


def test_status_reads_the_manifest_without_the_model(built_store: Path, tmp_path: Path) -> None:
    got = cli(["status"], built_store)
    assert got["rc"] == 0 and "ketamine-chronic-pain v1 [published]" in got["out"]
    assert got["heavy"] == []
    none = cli(["status"], tmp_path / "none")
    assert none["rc"] == 1 and "no index yet" in none["out"] and not (tmp_path / "none").exists()


def test_failed_validation_leaves_no_store_and_the_old_index_untouched(
    tmp_path: Path, corpus_copy: Path
) -> None:
    write_broken_article(corpus_copy, "Broken!")
    fresh = cli(["ingest", str(corpus_copy)], tmp_path / "new-store", corpus_copy)
    assert fresh["rc"] == 1 and not (tmp_path / "new-store").exists()
    assert "field 'id' (line 2)" in fresh["err"] and "field 'reviewed_on' (line 6)" in fresh["err"]
    assert fresh["heavy"] == []
    store = tmp_path / "store"
    (corpus_copy / "broken.md").rename(tmp_path / "broken.md")
    assert cli(["ingest", str(corpus_copy)], store, corpus_copy)["rc"] == 0
    before = cli(["status"], store)["out"]
    (tmp_path / "broken.md").rename(corpus_copy / "broken.md")
    (corpus_copy / "ketamine-chronic-pain.md").write_text("changed, no front matter\n")
    again = cli(["ingest", str(corpus_copy)], store, corpus_copy)
    assert again["rc"] == 1 and "3 problems in 2 article file(s)" in again["err"]
    assert cli(["status"], store)["out"] == before


def test_onnx_queries_match_the_torch_index(assistant, embedder) -> None:
    """Questions embedded by the int8 ONNX encoder: cosine >= 0.999 to torch, same rankings."""
    service = assistant.service
    assert type(service.embedder).__name__ == "SplitEmbedder"
    questions = [
        "Can ketamine help fibromyalgia?",
        "How long does relief from a ketamine infusion last?",
        "nerve damage pain",
        "What are the side effects?",
        "Is ketamine addictive when used for depression and chronic pain?",
    ]
    onnx = service.embedder.embed_queries(questions, cache=False)
    ref = embedder.embed_queries(questions, cache=False)
    assert np.min(np.sum(onnx * ref, axis=1)) >= 0.999
    snap = service.snapshot()
    for a, b in zip(onnx, ref, strict=True):
        assert (
            np.argsort(-(snap.vectors @ a))[:3].tolist()
            == np.argsort(-(snap.vectors @ b))[:3].tolist()
        )


def test_restart_reads_exemplar_and_vocabulary_vectors_from_disk(built_store: Path) -> None:
    from assistant import Assistant

    first = Assistant(make_settings(built_store))
    first.ask("What is chronic pain?")
    second = Assistant(make_settings(built_store))
    answer = second.ask("What is chronic pain?")
    cache = second.service.embedder.derived_cache
    assert cache.hits >= 2 and cache.misses == 0  # exemplars and vocabulary, nothing embedded
    assert answer.route == "answer"
    kinds = {p.parent.name for p in cache.root.rglob("*.npy")}
    assert kinds == {"exemplars", "vocabulary"}


def test_first_answer_total_is_that_answer_only(built_store: Path) -> None:
    """timings_ms.total covers the answer's own steps, not loading the index or the model."""
    from assistant import Assistant

    bot = Assistant(make_settings(built_store))
    answer = bot.ask("Does ketamine help neuropathic pain?")
    parts = {k: v for k, v in answer.timings_ms.items() if k != "total"}
    assert bot.service.load_ms is not None and bot.service.load_ms > 0
    assert answer.timings_ms["total"] <= sum(parts.values()) + 50
