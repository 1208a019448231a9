"""The output gate: only sentences their cited passage supports, never planted instructions."""

from __future__ import annotations

import re

import numpy as np

from assistant.compose.extractive import Composition, Picked, cite
from assistant.corpus.text import sentence_spans
from assistant.gate.verifier import SupportVerifier
from assistant.guard.injection_scan import instruction_reason, is_question
from assistant.index.snapshot import IndexSnapshot, Passage

__all__ = ["VerifyingGate", "sentence_topicality"]

_MARKER = re.compile(r"\s*\[(\d+)\]")
_TRAILING = re.compile(r"([.!?])((?:\s*\[\d+\])+)")


def sentence_topicality(passage: Passage, index: int) -> float:
    """Cosine of a sentence to the mean of the other sentences of its passage."""
    vecs = passage.sentence_vectors
    if len(vecs) < 3 or index >= len(vecs):
        return 1.0
    others = np.delete(vecs, index, axis=0).mean(axis=0)
    norm = float(np.linalg.norm(others))
    return float(vecs[index] @ others / norm) if norm else 1.0


class VerifyingGate:
    """Drops instruction-like, off-passage and unsupported sentences; None when none is left."""

    def __init__(self, verifier: SupportVerifier, topic_floor: float = 0.15) -> None:
        self.verifier = verifier
        self.topic_floor = topic_floor
        self.last_dropped: list[tuple[str, str]] = []

    def supports(self, sentence: str, passage: str) -> bool:
        """True when the passage supports the sentence (the eval's `grounded` check)."""
        return bool(sentence) and self.verifier.check(sentence, passage).supported

    def why_not(self, picked: Picked) -> str | None:
        """Why an extracted sentence may not be shown, or None when it may."""
        sent = picked.text
        if not sent or sent not in picked.passage.text:
            return "not verbatim in its passage"
        why = instruction_reason(sent)
        if why:
            return why
        if is_question(sent):
            return "a question, not an answer"
        if sentence_topicality(picked.passage, picked.index) < self.topic_floor:
            return "unrelated to the rest of its passage (planted text?)"
        # A verbatim sentence of its own passage holds every number, name and negation of
        # that passage's text and covers itself: the verifier cannot reject it, so skip it.
        return None

    def filter(
        self, composition: Composition, question: str, snapshot: IndexSnapshot
    ) -> Composition | None:
        """The supported part of the composition, or None when nothing is left."""
        extractive = composition.picked and cite(composition.picked).text == composition.text
        if not extractive:
            return self._filter_generated(composition, snapshot)
        kept: list[Picked] = []
        dropped: list[tuple[str, str]] = []
        for p in composition.picked:
            why = self.why_not(p)
            if why is None:
                kept.append(p)
            else:
                dropped.append((p.text, why))
        self.last_dropped = dropped
        if not kept:
            return None
        return composition if len(kept) == len(composition.picked) else cite(kept)

    def _filter_generated(
        self, composition: Composition, snapshot: IndexSnapshot
    ) -> Composition | None:
        """Generated text: each sentence must carry [n] and be supported by citation n."""
        sources: dict[int, str] = {}
        for c in composition.citations:
            passage = next(
                (
                    p
                    for p in snapshot.passages
                    if p.article_id == c.article_id and c.quote and c.quote in p.text
                ),
                None,
            )
            sources[c.n] = passage.text if passage is not None else c.quote
        # "Sentence. [1]" -> "Sentence [1]." so each marker stays with its sentence.
        text = _TRAILING.sub(lambda m: f"{m.group(2)}{m.group(1)}", composition.text)
        kept: list[str] = []
        used: set[int] = set()
        dropped: list[tuple[str, str]] = []
        for a, b in sentence_spans(text):
            sent = text[a:b]
            marks = [int(m) for m in _MARKER.findall(sent)]
            plain = _MARKER.sub("", sent).strip()
            if not re.search(r"[A-Za-z]{2}", plain):
                dropped.append((sent, "no words"))
                continue
            if not marks or not all(m in sources for m in marks):
                dropped.append((sent, "no valid citation"))
                continue
            why = instruction_reason(plain)
            if why is None:
                support = [self.verifier.check(plain, sources[m]) for m in marks]
                if not any(s.supported for s in support):
                    why = "; ".join(support[0].reasons)
            if why:
                dropped.append((sent, why))
                continue
            kept.append(sent)
            used.update(marks)
        self.last_dropped = dropped
        if not kept:
            return None
        cites = [c for c in composition.citations if c.n in used]
        return Composition(" ".join(kept), cites, composition.picked)
