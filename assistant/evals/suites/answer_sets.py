"""Labelled in-corpus / out-of-corpus question sets for the answerability model (issue 14).

- PubMedQA-style: one abstract of MedHallu (pqa_labeled) per article; half of the abstracts
  (by an md5 of the pair id) are in the corpus. A question is in-corpus when its abstract is.
- MedQuAD with documents removed: some pages in the corpus, others left out; a question is
  in-corpus when its answer page is in, out-of-corpus when every answer page (and its topic)
  is out.
- The visitor set (eval/visitor) over corpus/.
Every row carries its split: `assistant/evals/splits.py` for the external sets, the YAML
`split` for the visitor set.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.evals.splits import split_of
from assistant.evals.suites.common import read_jsonl, write_medquad_articles

__all__ = ["LabelledQuestion", "medquad_set", "pubmedqa_set", "write_abstracts"]


@dataclass(frozen=True)
class LabelledQuestion:
    """A question, whether the corpus covers it, and where its answer lives."""

    messages: list[dict[str, str]]  # the question, as a one-turn conversation
    in_corpus: bool
    source: str  # the set and the row it comes from, and the row's split
    id: str
    split: str
    article: str = ""  # the article holding the answer (in-corpus questions)
    spans: list[tuple[int, int]] = field(default_factory=list)  # gold answer spans in it


def _md5_bit(key: str) -> int:
    return int(hashlib.md5(key.encode()).hexdigest(), 16) % 2


def write_abstracts(rows: list[dict[str, Any]], folder: Path) -> dict[str, str]:
    """One article per in-corpus abstract; returns pair id -> article id."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, str] = {}
    for r in rows:
        art = "pq-" + re.sub(r"[^a-z0-9]+", "-", r["pair_id"].lower())
        out[r["pair_id"]] = art
        title = json.dumps(" ".join(r["context"].split()[:8]))
        (folder / f"{art}.md").write_text(
            f"---\nid: {art}\ntitle: {title}\nauthors: [PubMedQA]\n"
            f"source: MedHallu/pqa_labeled {r['pair_id']}\nreviewed_on: 2026-01-01\n"
            f"version: 1\nstatus: published\n---\n\n{r['context']}\n",
            encoding="utf-8",
        )
    return out


def pubmedqa_set(data: Path, folder: Path) -> list[LabelledQuestion]:
    """Write the in-corpus abstracts to `folder`; every pair's question, labelled."""
    pairs: dict[str, dict[str, Any]] = {}
    for r in read_jsonl(data / "halluc_medhallu_calibration.jsonl"):
        pairs.setdefault(r["pair_id"], r)
    rows = sorted(pairs.values(), key=lambda r: r["pair_id"])
    inside = [r for r in rows if _md5_bit("pq\0" + r["pair_id"]) == 0]
    arts = write_abstracts(inside, folder)
    return [
        LabelledQuestion(
            messages=[{"role": "user", "content": r["question"]}],
            in_corpus=r["pair_id"] in arts,
            source="pubmedqa",
            id=r["pair_id"],
            split=split_of("halluc_medhallu_calibration", r),
            article=arts.get(r["pair_id"], ""),
        )
        for r in rows
    ]


def medquad_set(
    data: Path, folder: Path, n_docs: int = 240, per_doc: int = 3
) -> tuple[list[LabelledQuestion], dict[str, str]]:
    """Write half of `n_docs` MedQuAD pages to `folder`; labelled questions on all of them.

    Returns the questions and article id -> page text (to grade answer sentences by span).
    """
    docs = read_jsonl(data / "medquad_corpus.jsonl")
    questions = [q for q in read_jsonl(data / "medquad_questions.jsonl") if not q["generic_answer"]]
    asked = {d for q in questions for d in q["answer_doc_ids"]}
    pool = sorted(
        (d for d in docs if d["id"] in asked and len(d["text"]) < 20000),
        key=lambda d: hashlib.md5(d["id"].encode()).hexdigest(),
    )[:n_docs]
    kept = pool[::2]
    kept_ids = {d["id"] for d in kept}
    kept_titles = {d["title"].strip().lower() for d in kept}
    removed_ids = {d["id"] for d in pool[1::2] if d["title"].strip().lower() not in kept_titles}
    ids = write_medquad_articles(kept, folder)
    art_of = {v: k for k, v in ids.items()}
    text_of = {art_of[d["id"]]: d["text"] for d in kept}
    out: list[LabelledQuestion] = []
    taken: dict[str, int] = {}
    for q in questions:
        answer = set(q["answer_doc_ids"])
        doc = q["answer_doc_ids"][0]
        if answer <= kept_ids:
            label = True
        elif answer <= removed_ids and str(q.get("focus", "")).strip().lower() not in kept_titles:
            label = False
        else:
            continue
        if taken.get(doc, 0) >= per_doc:
            continue
        taken[doc] = taken.get(doc, 0) + 1
        spans = [(s["start"], s["end"]) for s in q["answer_spans"] if s["doc_id"] == doc]
        out.append(
            LabelledQuestion(
                messages=[{"role": "user", "content": q["question"]}],
                in_corpus=label,
                source="medquad",
                id=q["id"],
                split=split_of("medquad_questions", q),
                article=art_of.get(doc, ""),
                spans=spans if label else [],
            )
        )
    return out, text_of
