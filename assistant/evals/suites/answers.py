"""Answer coverage figures for `assistant eval --suite retrieval` and bench (issue 14).

PubMedQA-style coverage, MedQuAD answer precision and the visitor set, through the full
pipeline (`AnswerService.ask`: rails, reading, search, answerability, composer, gate).
Reported on the TEST split, with dev beside it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.corpus.text import sentence_spans
from assistant.evals.suites.answer_sets import LabelledQuestion, medquad_set, pubmedqa_set
from assistant.evals.suites.visitor import HELD_OUT, dev_splits, run_visitor, summarise
from assistant.pipeline.service import AnswerService

__all__ = ["answer_suite", "coverage", "inside_spans", "quote_inside", "service_over"]


def service_over(base: AnswerService, root: Path, corpus: Path, name: str) -> AnswerService:
    """A service like `base` over its own embedded store of `corpus`, ingested."""
    from assistant.config.container import build_services

    s = base.settings
    settings = s.model_copy(
        update={
            "store": s.store.model_copy(
                update={"mode": "embedded", "path": root / name, "collection": name}
            ),
            "corpus": s.corpus.model_copy(update={"path": corpus, "auto_ingest": False}),
        }
    )
    svc = build_services(settings)
    svc.ingest(corpus)
    return svc


def _rate(xs: list[bool]) -> float | None:
    return round(sum(xs) / len(xs), 4) if xs else None


def inside_spans(sentence: str, text: str, spans: list[tuple[int, int]]) -> bool:
    """True when some occurrence of the sentence in the page lies inside a gold span."""
    start = text.find(sentence)
    while start >= 0:
        end = start + len(sentence)
        if any(a <= start and end <= b for a, b in spans):
            return True
        start = text.find(sentence, start + 1)
    return False


def quote_inside(quote: str, page: str, spans: list[tuple[int, int]]) -> list[bool]:
    """For each sentence of a cited quote: inside a gold span of the page (none: all False)?"""
    return [bool(spans) and inside_spans(quote[a:b], page, spans) for a, b in sentence_spans(quote)]


def coverage(
    svc: AnswerService,
    questions: list[LabelledQuestion],
    split: str,
    texts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """In-corpus answered (from the right article), out-of-corpus answered, span precision."""
    rows = [q for q in questions if q.split == split]
    right: list[bool] = []
    answered_in: list[bool] = []
    answered_out: list[bool] = []
    inside: list[bool] = []
    routes: dict[str, int] = {}
    for q in rows:
        ans = svc.ask(q.messages)
        routes[ans.route] = routes.get(ans.route, 0) + 1
        ok = ans.route == "answer"
        if not q.in_corpus:
            answered_out.append(ok)
            continue
        answered_in.append(ok)
        right.append(ok and bool(ans.citations) and ans.citations[0].article_id == q.article)
        if ok and texts is not None and q.article in texts:
            for c in ans.citations:
                cited_right = c.article_id == q.article
                inside += quote_inside(c.quote, texts[q.article], q.spans if cited_right else [])
    out: dict[str, Any] = {
        "in_n": len(answered_in),
        "in_answered": _rate(answered_in),
        "in_answered_right_article": _rate(right),
        "out_n": len(answered_out),
        "out_answered": _rate(answered_out),
        "routes": routes,
    }
    if texts is not None:
        out["answer_sentences"] = len(inside)
        out["answer_precision"] = _rate(inside)
    return out


def answer_suite(
    service: AnswerService, data: Path, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """PubMedQA-style coverage, MedQuAD precision and the visitor set: test, then dev."""
    say = progress or (lambda _m: None)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="va-eval-answers-") as tmp:
        root = Path(tmp)
        pq = pubmedqa_set(data, root / "pq-corpus")
        say(f"pubmedqa: {len(pq)} questions")
        svc = service_over(service, root, root / "pq-corpus", "pq")
        out["pubmedqa"] = {s: coverage(svc, pq, s) for s in ("test", "dev")}
        mq, texts = medquad_set(data, root / "mq-corpus")
        say(f"medquad: {len(mq)} questions")
        svc = service_over(service, root, root / "mq-corpus", "mq")
        out["medquad"] = {s: coverage(svc, mq, s, texts) for s in ("test", "dev")}
    # dev2 onwards: dev sets written by someone who read only the article (eval/visitor/dev*.yaml);
    # test2: a blind set written the same way, measured only (eval/visitor/test2.yaml).
    splits = ("test", "test2", *dev_splits())
    out["visitor"] = {
        s: summarise(run_visitor(service, s), wording=not (s.startswith("test") or s in HELD_OUT))
        for s in splits
    }
    out["note"] = (
        "full pipeline; test split first (dev beside it); an out-of-corpus question counts "
        "as refused when its route is not 'answer'; see docs/EVAL.md"
    )
    return out
