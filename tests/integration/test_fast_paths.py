"""The fast paths behind the benchmarks give the same results as the plain computations."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from assistant.corpus.text import normalize, sentence_spans, terms, words
from assistant.index.bm25 import BM25Index
from assistant.index.snapshot import IndexSnapshot, Passage


def test_bm25_top_matches_a_full_scoring() -> None:
    """top() keeps the k best documents with the scores a full sparse sum gives."""
    rng = np.random.default_rng(0)
    vocab = [f"t{i}" for i in range(40)]
    docs = [list(rng.choice(vocab, size=int(rng.integers(3, 30)))) for _ in range(300)]
    index = BM25Index(docs)
    for query in (["t1"], ["t1", "t2", "t3"], ["t5", "t5", "t9"], ["nope"], ["t7", "nope"]):
        cols = [index.vocab[t] for t in query if t in index.vocab]
        full = np.asarray(index.matrix[:, cols].sum(axis=1)).ravel()
        top = index.top(query, 10)
        want = sorted(((float(s), -r) for r, s in enumerate(full) if s > 0), reverse=True)[:10]
        assert [(-r, pytest.approx(s, rel=1e-5)) for s, r in want] == [(r, s) for r, s in top]
        assert np.allclose(index.scores(query), full, rtol=1e-5)


def test_normalize_ascii_fast_path_matches_unicode_path() -> None:
    """ASCII text skips Unicode folding but normalises exactly as before."""
    assert normalize("  Hello\tWORLD\n\n x ") == "hello world x"
    assert normalize("Café ’quoted’") == "cafe 'quoted'"


def test_snapshot_tokenising_matches_words_and_terms() -> None:
    """The one-pass tokeniser gives words() of the passage and terms() of each sentence."""
    text = (
        "Pain can last for months. It's treated with well-known drugs (e.g. NSAIDs).\n- Rest helps"
    )
    spans = tuple(sentence_spans(text))
    assert len(spans) == 3
    p = Passage(
        id="c1", article_id="a", title="Chronic Pain", section="Overview", version="1",
        text=text, position=0, sentences=spans, vector=np.ones(3, np.float32), dim=3,
    )  # fmt: skip
    snap = IndexSnapshot({"generation": 1, "dim": 3}, [p])
    assert p.sentence_stems == [set(terms(text[s:e])) for s, e in spans]
    assert set(snap.vocabulary) == set(words(f"{p.title} {p.section} {text}"))
    assert snap.bm25.doc_freq("pain") == 1


def test_an_articles_passages_are_looked_up_in_reading_order() -> None:
    """`by_article` (used for an article's pool and its summary) holds each article's
    passages by position, without scanning the whole index per question."""

    def passage(pid: str, art: str, pos: int) -> Passage:
        return Passage(
            id=pid, article_id=art, title="T", section="S", version="1", text="Some words here.",
            position=pos, sentences=((0, 16),), vector=np.ones(3, np.float32), dim=3,
        )  # fmt: skip

    snap = IndexSnapshot(
        {"generation": 1, "dim": 3},
        [
            passage("b1", "b", 1),
            passage("a2", "a", 2),
            passage("a0", "a", 0),
            passage("b0", "b", 0),
        ],
    )
    assert {k: [p.id for p in v] for k, v in snap.by_article.items()} == {
        "a": ["a0", "a2"],
        "b": ["b0", "b1"],
    }
    assert snap.by_article.get("missing", []) == []


def test_query_vectors_equal_the_model_forward(embedder: Any) -> None:
    """Queries (traced encoder or not) embed exactly as the SentenceTransformer modules do."""
    import torch

    texts = ["What is ketamine infusion therapy?", "pain", "How long does the relief last?"]
    got = embedder.embed_queries(texts, cache=False)
    enc = embedder.tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    with torch.inference_mode():
        ref = embedder.model.forward(dict(enc))["sentence_embedding"].float().numpy()
    ref = ref / np.linalg.norm(ref, axis=1, keepdims=True)
    assert got.shape == (3, embedder.dim)
    assert np.allclose(got, ref, atol=1e-5)
