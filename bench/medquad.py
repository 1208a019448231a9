"""MedQuAD (../shared/data) as a corpus of our Markdown articles, and its benchmark questions."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "CORPUS_FILE",
    "DATA",
    "QUESTIONS_FILE",
    "ROOT",
    "Question",
    "article_id",
    "eval_questions",
    "fixed_subset",
    "load_corpus_rows",
    "load_questions",
    "to_markdown",
    "write_corpus",
]

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPUS_FILE = "medquad_corpus.jsonl"
QUESTIONS_FILE = "medquad_questions.jsonl"
ATTRIBUTION = (
    "MedQuAD (Ben Abacha & Demner-Fushman 2019, abachaa/MedQuAD @ 577bd37b), CC BY 4.0; "
    "underlying pages are US-government works"
)
REVIEWED_ON = "2019-01-01"  # MedQuAD's publication year; the pages carry no review date
SOURCES = {
    "CancerGov": "National Cancer Institute (cancer.gov)",
    "CDC": "Centers for Disease Control and Prevention",
    "GARD": "Genetic and Rare Diseases Information Center (GARD)",
    "GHR": "Genetics Home Reference (NLM)",
    "MPlusHealthTopics": "MedlinePlus Health Topics (NLM)",
    "NHLBI": "National Heart, Lung, and Blood Institute",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases",
    "NIHSeniorHealth": "NIHSeniorHealth (NIA and NLM)",
    "NINDS": "National Institute of Neurological Disorders and Stroke",
}
HEADINGS = {"information": "Overview"}
_ID_OK = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class Question:
    """A MedQuAD question with its relevant documents (our lowercase article ids)."""

    id: str
    question: str
    qtype: str
    relevant: frozenset[str]


def article_id(medquad_id: str) -> str:
    """Our article id for a MedQuAD document id (lowercase, validated)."""
    aid = medquad_id.strip().lower()
    if not _ID_OK.match(aid):
        raise ValueError(f"MedQuAD id {medquad_id!r} cannot be an article id")
    return aid


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load_corpus_rows(data: Path = DATA) -> list[dict[str, Any]]:
    """All MedQuAD corpus rows, in file order."""
    return list(_jsonl(data / CORPUS_FILE))


def load_questions(data: Path = DATA) -> list[dict[str, Any]]:
    """All MedQuAD question rows, in file order."""
    return list(_jsonl(data / QUESTIONS_FILE))


def eval_questions(
    data: Path = DATA, max_bucket: int = 7, docs: Iterable[str] | None = None
) -> list[Question]:
    """Non-generic questions with bucket < max_bucket (optionally only about `docs`)."""
    keep = {article_id(d) for d in docs} if docs is not None else None
    out: list[Question] = []
    for q in load_questions(data):
        if q["generic_answer"] or q["bucket"] >= max_bucket:
            continue
        rel = frozenset(article_id(d) for d in q["answer_doc_ids"])
        if keep is not None and not rel & keep:
            continue
        out.append(Question(q["id"], q["question"].strip(), q["qtype"], rel))
    return out


def fixed_subset(rows: list[dict[str, Any]], n: int, salt: str = "bench") -> list[dict[str, Any]]:
    """A fixed, order-independent sample of n rows (by hash of the id)."""
    import hashlib

    def key(r: dict[str, Any]) -> str:
        return hashlib.md5(f"{salt}:{r['id']}".encode()).hexdigest()

    return sorted(rows, key=key)[:n]


def _title(row: dict[str, Any]) -> str:
    title = " ".join(str(row.get("title") or "").split())
    if title:
        return title
    first = next((ln.strip() for ln in row["text"].splitlines() if ln.strip()), row["id"])
    return first[:80]


def _heading(qtype: str) -> str:
    return HEADINGS.get(qtype, qtype[:1].upper() + qtype[1:])


def to_markdown(row: dict[str, Any]) -> str:
    """One Markdown article: front matter, then each section's verbatim text under `##`."""
    meta = {
        "id": article_id(row["id"]),
        "title": _title(row),
        "authors": [SOURCES.get(row["source"], row["source"])],
        "source": row.get("source_url") or row["source"],
        "reviewed_on": REVIEWED_ON,
        "version": "1",
        "status": "published",
        "attribution": ATTRIBUTION,
    }
    text: str = row["text"]
    parts: list[str] = []
    sections = sorted(row.get("sections") or [], key=lambda s: s["start"])
    pos = 0
    for sec in sections:
        start, end = max(sec["start"], pos), sec["end"]
        lead = text[pos:start].strip()
        if lead:
            parts.append(lead)
        body = text[start:end].strip()
        if body:
            parts.append(f"## {_heading(sec['qtype'])}\n\n{body}")
        pos = max(pos, end)
    tail = text[pos:].strip()
    if tail:
        parts.append(tail)
    if not parts:
        parts.append(text.strip())
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n" + "\n\n".join(parts) + "\n"


def write_corpus(rows: Iterable[dict[str, Any]], dest: Path) -> list[str]:
    """Write one Markdown file per row (unchanged files are left alone); return the ids."""
    dest.mkdir(parents=True, exist_ok=True)
    ids: list[str] = []
    wanted: set[str] = set()
    for row in rows:
        aid = article_id(row["id"])
        path = dest / f"{aid}.md"
        text = to_markdown(row)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        ids.append(aid)
        wanted.add(path.name)
    for old in dest.glob("*.md"):
        if old.name not in wanted:
            old.unlink()
    return ids
