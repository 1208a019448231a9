"""From retrieved passages to an answer or a refusal: answerability, then composing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from assistant.corpus.text import words
from assistant.retrieve.answer_model import read
from assistant.retrieve.asked import asking_part

if TYPE_CHECKING:
    from assistant.compose.extractive import Composition, Picked
    from assistant.index.snapshot import IndexSnapshot
    from assistant.pipeline.service import AnswerService
    from assistant.retrieve.hybrid import Hit

__all__ = ["Reading", "compose_answer", "with_own_words"]

TYPE_LEAD_POOL = 10  # candidates searched for a lead that meets the type a framing word asks


@dataclass(frozen=True)
class Reading:
    """One question as the service read it."""

    question: str  # the visitor's own words (typos corrected)
    query: str  # standalone: a follow-up resolved against earlier turns
    lexical: str  # the query plus typo-corrected words, for BM25
    unknown: list[str]  # topic words the corpus never uses
    qvec: np.ndarray
    remark: bool = False  # asks nothing (prompts/answerability/asking.yaml)


def with_own_words(cands: list[Picked], own: np.ndarray) -> list[Picked]:
    """Re-rank a follow-up's sentences by the visitor's own words as much as by the resolved
    query: "is that an IV thing?" is about how it is given, not about the earlier topic."""
    scored = (
        replace(c, score=c.score + float(c.passage.sentence_vectors[c.index] @ own)) for c in cands
    )
    return sorted(scored, key=lambda c: -c.score)


def compose_answer(
    svc: AnswerService, snap: IndexSnapshot, q: Reading, hits: list[Hit]
) -> Composition | None:
    """The composition, or None when the vetted passages do not answer the question.

    A broad question ("an overview, please") gets a summary of the best article. Otherwise:
    the relevance check (fitted model, or the anchored floor on a one-topic site), unknown
    words that carry the question (their probes cost one more forward pass, so only now),
    the composer, and a last check that the answer speaks to what was asked.
    """
    check, r = svc.answerability, svc.settings.retrieval
    title = hits[0].passage.title
    spelt = check.spelt_right(q.question, check.everyday_typos(q.unknown, q.question))
    if check.broad is not None and check.broad.asks(spelt, title):
        return svc.composer.summary(snap, hits[0].passage.article_id)
    scoped, cands, feats = read(
        snap, svc.composer, r, q.query, q.lexical, q.qvec, hits, len(q.unknown)
    )
    return _checked(svc, snap, q, cands, scoped, feats)


def _checked(
    svc: AnswerService,
    snap: IndexSnapshot,
    q: Reading,
    cands: list[Picked],
    scoped: bool,
    feats: dict[str, float],
) -> Composition | None:
    """The composition when every answer check passes, else None."""
    check, r = svc.answerability, svc.settings.retrieval
    if not check.answerable(feats, scoped, r):
        return None
    if q.remark and feats["dense"] < r.statement_floor:
        return None  # "i am not feeling well": too far from the articles for a sentence to speak to
    embed = svc.embedder.embed_queries
    # A long message's story describes and its last question asks: the checks below read the
    # asking sentence ("my mom has tried lyrica and cymbalta ... is it used for fibromyalgia?"
    # asks nothing about lyrica); retrieval and ranking above read the whole message.
    asked = asking_part(q.question, int(r.asked_min_words))
    unknown = q.unknown
    if asked != q.question:
        in_asked = set(words(asked))
        unknown = [w for w in unknown if w in in_asked]
    # misspelt everyday words, read as the words meant ("memry": memory) by every check below
    # (round 27: the framing and alternatives checks too, so that "is there evidance" frames
    # the kind of answer as "is there evidence" does); a misspelt aspect word ("how expensve")
    # only by the last check, that the answer says what was asked
    said_typos = check.everyday_typos(q.unknown, asked, aspects=True)
    aspects = check.aspects
    typos = {w: m for w, m in said_typos.items() if aspects is None or not aspects.asked(m)}
    spelt = check.spelt_right(asked, typos)
    read = [(w, typos.get(w, w)) for w in unknown]  # (as typed, as meant)
    # A word that only frames the kind of answer ("downsides", "adverse") is no missing topic,
    # but then the lead sentence must carry that kind of answer.
    types = check.types
    meant = [m for _, m in read]
    framing = types.framing(spelt, meant) if types is not None else []
    shaping = check.broad.framing(spelt, meant) if check.broad is not None else []
    read = [(w, m) for w, m in read if m not in framing and m not in shaping]
    if read:  # "IV or by mouth?": the articles answer which; "mouth" is no missing topic
        offered = check.alternatives(snap, spelt, [m for _, m in read], embed)
        read = [(w, m) for w, m in read if m not in offered]
    unknown = [w for w, _ in read]
    if unknown and check.unknown_carries(snap, asked, q.query, q.qvec, unknown, embed, typos):
        return None
    own = q.qvec
    if q.question != q.query and cands:
        own = embed([q.question])[0]
        cands = with_own_words(cands, own)
    elif asked != q.question and cands:
        own = embed([asked])[0]  # a story, then a question: the question is what is asked
        cands = with_own_words(cands, own)
    said = check.spelt_right(asked, said_typos)
    composition = _composed(svc, snap, cands, said, framing)
    if composition is None:
        return None
    # The sentence that answered the nearest earlier visitor questions leads (in the visitor's
    # own words) when that answer passes the same checks; the decision is made without it.
    led = svc.composer.led(cands, own)
    if led is not cands:
        return _composed(svc, snap, led, said, framing) or composition
    return composition


def _composed(
    svc: AnswerService,
    snap: IndexSnapshot,
    cands: list[Picked],
    asked: str,
    framing: list[str],
) -> Composition | None:
    """The composition from ranked candidates when it says what was asked (`asked`: the
    question spelt right), else None."""
    check, types = svc.answerability, svc.answerability.types
    composition = svc.composer.compose_from(cands)
    if composition is None:
        return None
    if types is not None and framing and not types.met(asked, composition.picked[0].text):
        # The lead must carry the kind of answer the framing word asks for: lead with the
        # best sentence that does, when it scores within `margin` of the best one.
        meeting = next((c for c in cands[:TYPE_LEAD_POOL] if types.met(asked, c.text)), None)
        if meeting is None or cands[0].score - meeting.score > svc.settings.composer.margin:
            return None
        composition = svc.composer.compose_from([meeting, *(c for c in cands if c is not meeting)])
        if composition is None:
            return None
    picked = composition.picked
    cited = list(dict.fromkeys(p.passage.text for p in picked))
    bm25 = snap.bm25
    common = (lambda t: bm25.doc_freq(t) > bm25.n_docs / 2) if bm25.n_docs >= 4 else None
    if check.misses(asked, [p.text for p in picked], snap.stem_vocabulary, cited, common):
        return None  # asked how much, the cost, approval...: the answer must say it
    return composition
