"""The extractive composer: the best one to four retrieved sentences, each cited as [n]."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.compose.question_types import QuestionTypes
from assistant.config.settings import ComposerSettings, RetrievalSettings
from assistant.corpus.text import content_terms, stem
from assistant.index.snapshot import IndexSnapshot, Passage
from assistant.models import Citation
from assistant.retrieve.followups import GENERIC_WORDS
from assistant.retrieve.hybrid import Hit

if TYPE_CHECKING:
    from assistant.compose.lead_bank import LeadBank

__all__ = ["Composition", "ExtractiveComposer", "Picked", "cite", "length_factor"]


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


_K1 = 1.2  # BM25's saturation constant; sentence stems are sets, so only its length part acts


def length_factor(n: int, mean: float, b: float) -> float:
    """BM25's length normalisation of a matched term (once per sentence): 1 at the pool's mean
    length or when `b` is 0, higher for shorter sentences, lower for longer ones."""
    return (_K1 + 1) / (1 + _K1 * (1 - b + b * n / mean)) if mean > 0 else 1.0


def _matches(word: str, stems: set[str]) -> bool:
    """A query word matches a sentence stem by stem, or by a shared prefix of 4+ letters."""
    s = stem(word)
    if s in stems:
        return True
    if len(s) < 4:
        return False
    return any(len(t) >= 4 and (t.startswith(s) or s.startswith(t)) for t in stems)


def _mean_length(hits: list[Hit]) -> float:
    """Mean stem count of the sentences the composer may quote from these passages."""
    sizes = [len(st) for h in hits for st in h.passage.sentence_stems if len(st) >= 3]
    return sum(sizes) / len(sizes) if sizes else 0.0


class ExtractiveComposer:
    """Scores every sentence of the top passages against the question; no LLM."""

    def __init__(
        self,
        composer: ComposerSettings,
        retrieval: RetrievalSettings,
        screen: Callable[[Picked], str | None] | None = None,
        question_types: QuestionTypes | None = None,
        bank: LeadBank | None = None,
    ) -> None:
        self.settings = composer
        self.types = question_types
        self.bank = bank  # earlier visitor questions with the sentence that answered each
        self.screen = screen  # the output gate's per-sentence check: never propose what it drops
        self.floor = retrieval.sentence_floor

    def candidates(
        self,
        snapshot: IndexSnapshot,
        query: str,
        qvec: np.ndarray,
        hits: list[Hit],
        read: np.ndarray | None = None,
        question: str | None = None,
        pool: list[Hit] | None = None,
    ) -> list[Picked]:
        """Every usable sentence of the top passages, best first.

        Sentences are ranked against the question itself; their `similarity` (the floor a
        sentence must clear) is measured against `read`, the question read against the
        site's topic when the service anchors it (a short question on a one-topic site).
        The IDF share of the question's topic words a sentence holds is normalised for the
        sentence's length as BM25 does (`length_norm`, against the mean of the pool), so a
        short sentence about the topic beats a long one that mentions it in passing.
        The rank also rewards the cues of the question's type (`cue_weight`) and sets back
        sentences that say what the whole article says (`centrality_weight`, cosine to the
        article's centroid). The type is read from `question`, the visitor's own words (the
        BM25 `query` may carry the topic words appended to them), else from `query`.
        `pool`: the passages to rank instead of the top few hits.
        """
        read = qvec if read is None else read
        q_words = set(content_terms(query, GENERIC_WORDS))
        weights = {w: snapshot.bm25.term_idf(stem(w)) for w in q_words}
        total = sum(weights.values()) or 1.0
        types = self.types
        asked = types.asked(question or query) if types is not None else []
        own = {stem(w) for w in q_words}  # the question's topic stems, for every sentence's cue
        out: list[Picked] = []
        cfg = self.settings
        pool = hits[: cfg.max_passages + 2] if pool is None else pool
        mean = _mean_length(pool)
        for rank, hit in enumerate(pool):
            p = hit.passage
            if not len(p.sentences):
                continue
            sims = p.sentence_vectors @ qvec
            floor_sims = sims if read is qvec else p.sentence_vectors @ read
            central = p.sentence_vectors @ snapshot.centroids[p.article_id]
            for i, stems in enumerate(p.sentence_stems):
                if len(stems) < 3:
                    continue
                lex = sum(wt for w, wt in weights.items() if _matches(w, stems)) / total
                lex *= length_factor(len(stems), mean, cfg.length_norm)
                score = float(sims[i]) + cfg.lexical_weight * lex + cfg.passage_weight * hit.dense
                score -= 0.01 * rank + cfg.centrality_weight * float(central[i])
                if types is not None and asked:
                    score += cfg.cue_weight * types.cue(asked, query, p.sentence(i), own)
                out.append(Picked(p, i, score, float(floor_sims[i])))
        return self._screened(out)

    def led(self, cands: list[Picked], qvec: np.ndarray) -> list[Picked]:
        """The candidates with the sentence that answered the nearest earlier visitor
        questions first (`LeadBank.lead`); unchanged without a bank."""
        return cands if self.bank is None else self.bank.lead(cands, qvec, self.floor)

    def _screened(self, cands: list[Picked]) -> list[Picked]:
        """Best first, without the sentences the output gate would drop."""
        cands.sort(key=lambda c: -c.score)
        return [c for c in cands if self.screen is None or self.screen(c) is None]

    def _near(self, lead: Picked, c: Picked) -> bool:
        """May a sentence join the lead? From its passage within `window` sentences, or from
        elsewhere when it scores nearly as well (within `other_passage_margin`)."""
        if c.passage.id == lead.passage.id and abs(c.index - lead.index) <= self.settings.window:
            return True
        return c.score >= lead.score - self.settings.other_passage_margin

    def select(self, cands: list[Picked]) -> list[Picked]:
        """The best sentence, then its close neighbours that score near it, without repeats."""
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
            if chosen and not self._near(chosen[0], c):
                continue
            vec = c.passage.sentence_vectors[c.index]
            if any(float(vec @ o.passage.sentence_vectors[o.index]) > 0.92 for o in chosen):
                continue
            chosen.append(c)
            if c.passage.id not in passages:
                passages.append(c.passage.id)
        if not chosen:
            return []
        # The best sentence leads; the rest follow in reading order, best article first.
        lead, rest = chosen[0], chosen[1:]
        articles = list(dict.fromkeys(c.passage.article_id for c in chosen))
        return [
            lead,
            *sorted(
                rest,
                key=lambda c: (articles.index(c.passage.article_id), c.passage.position, c.index),
            ),
        ]

    def compose(
        self, snapshot: IndexSnapshot, query: str, qvec: np.ndarray, hits: list[Hit]
    ) -> Composition | None:
        """The answer, or None when no sentence is relevant enough."""
        return self.compose_from(self.candidates(snapshot, query, qvec, hits))

    def summary(self, snapshot: IndexSnapshot, article_id: str) -> Composition | None:
        """A short summary of one article: its most central sentences (closest to the
        article's mean), one per passage, the most central first, the rest in reading order."""
        passages = [p for p in snapshot.by_article.get(article_id, []) if p.sentences]
        if not passages:
            return None
        centre = np.mean([p.vector for p in passages], axis=0)
        cands: list[Picked] = []
        for p in passages:
            sims = p.sentence_vectors @ centre
            cands += [
                Picked(p, i, float(sims[i]), float(sims[i]))
                for i, stems in enumerate(p.sentence_stems)
                if len(stems) >= 3
            ]
        chosen: list[Picked] = []
        for c in self._screened(cands):
            if len(chosen) < self.settings.summary_sentences and all(
                o.passage.id != c.passage.id for o in chosen
            ):
                chosen.append(c)
        if not chosen:
            return None
        rest = sorted(chosen[1:], key=lambda c: (c.passage.position, c.index))
        return cite([chosen[0], *rest])

    def compose_from(self, cands: list[Picked]) -> Composition | None:
        """The answer from scored candidates, or None when none is relevant enough."""
        chosen = self.select(cands)
        return cite(chosen) if chosen else None
