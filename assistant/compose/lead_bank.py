"""Visitor questions asked before, each with the sentence that answered it: a near one leads.

The bank (`lead_bank.npz`, written by `python -m assistant.evals.fitting.lead_bank` from the
visitor dev splits tuning may read) holds each question's vector and its lead phrases, verbatim
from the article, and a sentence model fitted on them: a multinomial logistic regression from a
question's vector to the article sentence that answered it (the phrases one sentence holds are
one class). A new question raises each sentence by how far the model's probability for it is
above `floor`; the best of the raised ranking leads the answer. A bank file without the model
(an older one) raises by the nearest earlier question's cosine above `NEAREST_FLOOR`, times
`NEAREST_WEIGHT`, instead (the settings' floor and weight are the model's). Only
sentences of the top candidate's article compete (the bank never changes which article
answers), and the answer/no-answer decision is made before the bank is read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.compose.extractive import Picked
from assistant.corpus.text import normalize

__all__ = ["NEAREST_FLOOR", "NEAREST_WEIGHT", "LeadBank", "default_lead_bank_path"]


# A bank file without the sentence model reads nearness as round 23 calibrated it: a cosine
# above 0.4 to the nearest earlier question, times 8 (config/calibration.yaml history).
NEAREST_FLOOR = 0.4
NEAREST_WEIGHT = 8.0


def default_lead_bank_path() -> Path:
    """The bank shipped with the package."""
    return Path(__file__).with_name("lead_bank.npz")


@dataclass(frozen=True, eq=False)
class LeadBank:
    """Question vectors and, per question, the indexes of its lead phrases."""

    vectors: np.ndarray  # (n, dim), normalised
    phrases: tuple[str, ...]  # distinct lead phrases, normalised
    member: np.ndarray  # (n, len(phrases)) 1.0 where a question's lead is that phrase
    floor: float = NEAREST_FLOOR
    weight: float = NEAREST_WEIGHT
    meta: dict[str, object] = field(default_factory=dict)
    # the sentence model: (classes, dim) weights, (classes,) bias, each phrase's class; or None
    model: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_held", lru_cache(maxsize=4096)(self._phrases_in))

    def _phrases_in(self, text: str) -> tuple[int, ...]:
        t = normalize(text)
        return tuple(i for i, p in enumerate(self.phrases) if p in t)

    def nearness(self, qvec: np.ndarray) -> np.ndarray:
        """Per phrase: how far above `floor` the sentence model's probability for its sentence
        is; without a model, how far above `floor` the nearest earlier question it answered is
        (0 if none is above it)."""
        if not len(self.vectors) or self.vectors.shape[1] != qvec.shape[-1]:
            return np.zeros(len(self.phrases))  # another model's vectors: no bank
        if self.model is not None:
            weights, bias, of_phrase = self.model
            z = weights @ qvec.astype(np.float32) + bias
            p = np.exp(z - z.max())
            out: np.ndarray = np.maximum(p[of_phrase] / p.sum() - self.floor, 0.0)
            return out
        over = self.vectors @ qvec.astype(np.float32) - self.floor
        rows = np.flatnonzero(over > 0)
        if not len(rows):
            return np.zeros(len(self.phrases))
        return (over[rows, None] * self.member[rows]).max(axis=0)

    def lead(self, cands: list[Picked], qvec: np.ndarray, sentence_floor: float) -> list[Picked]:
        """The candidates with the best bank-raised sentence of the top one's article first
        (its score lifted to the top score, so the other sentences are chosen by the same
        margins, now around the new lead); unchanged when no sentence is raised (no class
        probability above the floor, or no earlier question near) or the top already wins.
        With the model some sentence is usually raised: the bank is read only for a question
        that every answer check has already let through."""
        if not cands or not self.phrases:
            return cands
        near = self.nearness(qvec)
        if not near.any():
            return cands
        article = cands[0].passage.article_id
        best, best_score = 0, -np.inf
        for i, c in enumerate(cands):
            if i and (c.passage.article_id != article or c.similarity < sentence_floor):
                continue
            held = self._held(c.text)  # type: ignore[attr-defined]
            score = c.score + self.weight * max((float(near[k]) for k in held), default=0.0)
            if score > best_score:
                best, best_score = i, score
        if best == 0:
            return cands
        top = cands[best]
        rest = (c for j, c in enumerate(cands) if j != best)
        return [replace(top, score=max(top.score, cands[0].score)), *rest]

    @classmethod
    def load(
        cls,
        path: Path | str | None = None,
        floor: float = NEAREST_FLOOR,
        weight: float = NEAREST_WEIGHT,
        model_id: str | None = None,
    ) -> LeadBank:
        """Read a bank; a missing file, or one embedded by another model than `model_id`,
        gives an empty bank (the ranking is then unchanged)."""
        p = Path(path) if path else default_lead_bank_path()
        empty = cls(np.zeros((0, 0), np.float32), (), np.zeros((0, 0)), floor, weight)
        if not p.is_file():
            return empty
        with np.load(p, allow_pickle=False) as z:
            vectors = z["vectors"].astype(np.float32)
            phrases = tuple(json.loads(str(z["phrases"])))
            rows = json.loads(str(z["leads"]))
            meta = json.loads(str(z["meta"]))
            model = None
            if "class_weights" in z.files:
                model = (
                    z["class_weights"].astype(np.float32),
                    z["class_bias"].astype(np.float32),
                    np.asarray(json.loads(str(z["phrase_class"])), dtype=np.int64),
                )
        if model_id is not None and meta.get("model_id") != model_id:
            return empty
        member = np.zeros((len(rows), len(phrases)), np.float32)
        for r, ks in enumerate(rows):
            member[r, ks] = 1.0
        if model is None:
            floor, weight = NEAREST_FLOOR, NEAREST_WEIGHT
        return cls(vectors, phrases, member, floor, weight, meta, model)
