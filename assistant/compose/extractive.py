"""The extractive composer: the best one to four retrieved sentences, each cited as [n]."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.config.settings import ComposerSettings, RetrievalSettings
from assistant.corpus.text import content_terms, stem
from assistant.index.snapshot import IndexSnapshot, Passage
from assistant.models import Citation
from assistant.retrieve.followups import GENERIC_WORDS
from assistant.retrieve.hybrid import Hit

__all__ = ["Composition", "ExtractiveComposer", "Picked", "cite"]


@dataclass(frozen=True)
class Picked:
    """One chosen sentence."""

    passage: Passage
    index: int
    score: float
    similarity: float

    @property
    def text(self) -> str:
        """The sentence, verbatim."""
        return self.passage.sentence(self.index)


@dataclass(frozen=True)
class Composition:
    """An answer text with its numbered citations."""

    text: str
    citations: list[Citation]
    picked: list[Picked]


def cite(picked: list[Picked]) -> Composition:
    """Number contiguous runs of sentences of one passage; each run is one verbatim quote."""
    runs: list[list[Picked]] = []
    for p in picked:
        last = runs[-1][-1] if runs else None
        if last and last.passage is p.passage and p.index == last.index + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    citations: list[Citation] = []
    parts: list[str] = []
    for n, run in enumerate(runs, start=1):
        passage = run[0].passage
        start = passage.sentences[run[0].index][0]
        end = passage.sentences[run[-1].index][1]
        citations.append(
            Citation(
                n=n,
                quote=passage.text[start:end],
                score=round(max(p.similarity for p in run), 4),
                **passage.source(),
            )
        )
        parts.extend(f"{p.text} [{n}]" for p in run)
    return Composition(" ".join(parts), citations, picked)


def _matches(word: str, stems: set[str]) -> bool:
    """A query word matches a sentence stem by stem, or by a shared prefix of 4+ letters."""
    s = stem(word)
    if s in stems:
        return True
    if len(s) < 4:
        return False
    return any(len(t) >= 4 and (t.startswith(s) or s.startswith(t)) for t in stems)


class ExtractiveComposer:
    """Scores every sentence of the top passages against the question; no LLM."""

    def __init__(self, composer: ComposerSettings, retrieval: RetrievalSettings) -> None:
        self.settings = composer
        self.floor = retrieval.sentence_floor

    def candidates(
        self, snapshot: IndexSnapshot, query: str, qvec: np.ndarray, hits: list[Hit]
    ) -> list[Picked]:
        """Every usable sentence of the top passages, best first."""
        q_words = set(content_terms(query, GENERIC_WORDS))
        weights = {w: snapshot.bm25.term_idf(stem(w)) for w in q_words}
        total = sum(weights.values()) or 1.0
        out: list[Picked] = []
        for rank, hit in enumerate(hits[: self.settings.max_passages + 2]):
            p = hit.passage
            if not len(p.sentences):
                continue
            sims = p.sentence_vectors @ qvec
            for i, stems in enumerate(p.sentence_stems):
                if len(stems) < 3:
                    continue
                lex = sum(wt for w, wt in weights.items() if _matches(w, stems)) / total
                score = float(sims[i]) + 0.2 * lex + 0.1 * hit.dense - 0.01 * rank
                out.append(Picked(p, i, score, float(sims[i])))
        out.sort(key=lambda c: -c.score)
        return out

    def select(self, cands: list[Picked]) -> list[Picked]:
        """Keep sentences near the best one, from few passages, without near-duplicates."""
        if not cands or cands[0].similarity < self.floor:
            return []
        best = cands[0].score
        chosen: list[Picked] = []
        passages: list[str] = []  # reading order within an article, best article first
        for c in cands:
            if len(chosen) >= self.settings.max_sentences:
                break
            if c.score < best - self.settings.margin or c.similarity < self.floor:
                break
            if c.passage.id not in passages and len(passages) >= self.settings.max_passages:
                continue
            vec = c.passage.sentence_vectors[c.index]
            if any(float(vec @ o.passage.sentence_vectors[o.index]) > 0.92 for o in chosen):
                continue
            chosen.append(c)
            if c.passage.id not in passages:
                passages.append(c.passage.id)
        if not chosen:
            return []
        articles = list(dict.fromkeys(c.passage.article_id for c in chosen))
        return sorted(
            chosen,
            key=lambda c: (articles.index(c.passage.article_id), c.passage.position, c.index),
        )

    def compose(
        self, snapshot: IndexSnapshot, query: str, qvec: np.ndarray, hits: list[Hit]
    ) -> Composition | None:
        """The answer, or None when no sentence is relevant enough."""
        chosen = self.select(self.candidates(snapshot, query, qvec, hits))
        return cite(chosen) if chosen else None
