"""The risk scorer's second look: the riskiest sentences of a long message, encoded alone."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.guard.risk import LABELS, SECOND_LOOK, RiskModel, RiskScorer, message_spans

# Unit vectors in 3 dimensions: axis 0 reads as "none", 1 as crisis, 2 as emergency.
CALM, CRISIS, URGENT = np.eye(3, dtype=np.float32)


class FakeEmbedder:
    """Pooled sentences come back diluted (mostly calm); a sentence alone reads as it is.
    Records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def _alone(self, text: str) -> np.ndarray:
        if "dark" in text:
            return CRISIS
        return URGENT + 0.8 * CRISIS if "fever" in text else CALM

    def embed_queries(self, texts: Sequence[str], cache: bool = True) -> np.ndarray:
        self.calls.append(("queries", list(texts)))
        return np.vstack([self._alone(t) for t in texts])

    def embed_passages(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        self.calls.append(("passages", list(texts)))
        sents = [
            np.vstack([0.5 * CALM + 0.5 * self._alone(t[a:b]) for a, b in sp])
            for t, sp in zip(texts, spans, strict=True)
        ]
        return np.vstack([CALM for _ in texts]), sents


def _model() -> RiskModel:
    w = np.zeros((len(LABELS), 3), np.float32)
    w[LABELS.index("none"), 0] = 6.0
    w[LABELS.index("crisis"), 1] = 6.0
    w[LABELS.index("emergency"), 2] = 6.0
    th = {"emergency_high": 0.6, "emergency_medium": 0.3, "crisis_high": 0.6,
          "crisis_medium": 0.3, "clinician": 0.5, "misuse": 0.9}  # fmt: skip
    return RiskModel(w, np.zeros(len(LABELS), np.float32), th)


TEXT = (
    "The week was long at work. Work was busy every day. Some nights it all feels dark and "
    "final. Anyway, hi there to you all."
)


def test_a_diluted_crisis_sentence_is_read_again_alone() -> None:
    """The pooled sentence scores low; its second look, encoded alone, carries the risk."""
    emb = FakeEmbedder()
    scorer = RiskScorer(emb, _model())
    ((_, owner),) = scorer.units([TEXT])
    spans = message_spans(TEXT)
    assert owner[: len(spans) + 1] == [-1, *range(len(spans))]
    second = owner[len(spans) + 1 :]
    assert 0 < len(second) <= SECOND_LOOK
    alone = [t for kind, texts in emb.calls if kind == "queries" for t in texts]
    assert "Some nights it all feels dark and final." in alone
    risk = scorer.score([TEXT])[0]
    assert risk["crisis"] > 0.6 and "dark" in risk.worst


def test_a_second_look_speaks_for_crisis_only() -> None:
    """A symptom sentence read alone does not make a long message an emergency."""
    text = "I was reading about infusions. My kid had a fever last week. Thanks for the info."
    emb = FakeEmbedder()
    scorer = RiskScorer(emb, _model())
    ((_, owner),) = scorer.units([text])
    assert len(owner) > len(set(owner))  # the fever sentence was read again alone...
    assert scorer.score([text])[0]["emergency"] < 0.6  # ...but only its crisis risk counts


def test_one_sentence_messages_get_no_second_look() -> None:
    """A single sentence is already encoded alone: one pass, one unit."""
    emb = FakeEmbedder()
    ((_, owner),) = RiskScorer(emb, _model()).units(["it all feels dark"])
    assert owner == [-1] and len(emb.calls) == 1


def test_a_short_fragment_is_read_with_its_neighbour() -> None:
    """'hate this.' alone says too little: the risk layer reads it with the sentence before
    it (or after it, when it comes first); lowercase chat sentences still split."""
    text = "ok. fibro flare day five and counting. hate this. going to rest now with tea."
    got = [text[a:b] for a, b in message_spans(text)]
    assert got == [
        "ok. fibro flare day five and counting. hate this.",
        "going to rest now with tea.",
    ]
