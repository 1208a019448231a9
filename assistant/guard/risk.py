"""The learned risk layer: a fitted head over MiniLM vectors of a message and each sentence."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.corpus.text import sentence_spans
from assistant.guard.word_features import hashed_words

__all__ = [
    "LABELS",
    "NO_RISK",
    "Risk",
    "RiskModel",
    "RiskScorer",
    "by_sentence",
    "combine",
    "default_risk_model_path",
    "message_spans",
    "unit_texts",
]

LABELS = ("none", "clinician", "misuse", "crisis", "emergency")
THRESHOLD_NAMES = (
    "emergency_high",
    "emergency_medium",
    "crisis_high",
    "crisis_medium",
    "clinician",
    "misuse",
    "emergency_cued",
    "crisis_cued",
)
MAX_SENTENCES = 400  # an 8,000-character post has well under this many sentences
MIN_WORDS = 4  # a shorter fragment is read with its neighbour


SECOND_WEIGHT = 1.4  # two risky units (sentences, or a sentence and the whole) add up
# A sentence pooled from a long message's pass is diluted by its neighbours ("...and be done
# with the whole thing" scores 0.2 in a work rant, 0.85 alone). The sentences of a message
# with the most crisis risk get a second look: encoded on their own, in one small batch. It
# counts for crisis only: a symptom sentence alone reads as an emergency far too easily (a
# clinician's write-up of a cold), while a crisis sentence alone reads as what it says.
SECOND_LOOK = 2  # sentences re-encoded alone, at most
SECOND_LOOK_FLOOR = 0.15  # ... only when their pooled crisis risk is this high (and, with a
# cue function, only when they name a crisis cue word: most long everyday messages need none)
_CRISIS = LABELS.index("crisis")


def combine(probs: np.ndarray) -> np.ndarray:
    """Per label, the risk of a message from its units' probabilities: the highest one, or
    the second highest times SECOND_WEIGHT when that is more (evidence in two places)."""
    s = np.sort(np.atleast_2d(probs), axis=0)[::-1]
    if len(s) < 2:
        return s[0]
    out: np.ndarray = np.maximum(s[0], np.minimum(1.0, SECOND_WEIGHT * s[1]))
    return out


def by_sentence(probs: np.ndarray, owner: Sequence[int]) -> np.ndarray:
    """One row per unit (the whole message, each sentence): a sentence and its second look
    are one unit, so evidence in two places means two different sentences."""
    own = np.asarray(owner)
    return np.vstack([probs[own == u].max(axis=0) for u in dict.fromkeys(owner)])


def default_risk_model_path() -> Path:
    """The packaged fitted head (written by `python -m assistant.guard.fit_risk`)."""
    return Path(__file__).with_name("risk_model.npz")


def message_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a message (lines always break; a sentence may start in lowercase),
    at most MAX_SENTENCES of them."""
    spans = sentence_spans(text, any_case=True) or ([(0, len(text))] if text.strip() else [])
    return _joined(text, spans)[:MAX_SENTENCES]


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A fragment of fewer than MIN_WORDS words ("hate this.", "ate cereal.") is read with
    the sentence before it (the one after, when it comes first): alone it says too little
    to judge, and the head reads too much into it."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        short = len(text[a:b].split()) < MIN_WORDS
        if out and (short or len(text[slice(*out[-1])].split()) < MIN_WORDS):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def unit_texts(text: str, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """The texts of a message's units, in the order `RiskScorer.unit_vectors` gives them: the
    whole message, then each sentence when it has several."""
    spans = message_spans(text) if spans is None else spans
    return [text] + ([text[slice(*sp)] for sp in spans] if len(spans) > 1 else [])


@dataclass(frozen=True)
class RiskModel:
    """Multinomial logistic regression over unit vectors and, when the model has word
    weights, the hashed words of each unit's text; with the calibrated cut-offs."""

    weights: np.ndarray
    bias: np.ndarray
    thresholds: dict[str, float]
    model_id: str = ""
    words: np.ndarray | None = None  # (labels, word_features.DIM), or None: vectors only

    def probs(self, vecs: np.ndarray, texts: Sequence[str] | None = None) -> np.ndarray:
        """Class probabilities, one row per vector (and its text), columns in LABELS order."""
        z = np.atleast_2d(vecs) @ self.weights.T + self.bias
        if self.words is not None and texts is not None:
            z = z + np.asarray(hashed_words(texts, self.words.shape[1]) @ self.words.T)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        out: np.ndarray = e / e.sum(axis=1, keepdims=True)
        return out

    def save(self, path: Path) -> None:
        """Write the model as a small .npz (weights rounded so a re-fit compares exactly)."""
        names = [n for n in THRESHOLD_NAMES if n in self.thresholds]
        arrays: dict[str, np.ndarray] = {
            "weights": np.round(self.weights, 5).astype(np.float32),
            "bias": np.round(self.bias, 5).astype(np.float32),
            "labels": np.array(LABELS),
            "threshold_names": np.array(names),
            "thresholds": np.array([self.thresholds[n] for n in names], np.float32),
            "model_id": np.array(self.model_id),
        }
        if self.words is not None:
            arrays["words"] = np.round(self.words, 5).astype(np.float32)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path | str) -> RiskModel:
        """Read a model written by `save`."""
        with np.load(Path(path), allow_pickle=False) as z:
            if tuple(str(x) for x in z["labels"]) != LABELS:
                raise ValueError(f"{path}: labels {list(z['labels'])} are not {list(LABELS)}")
            names = [str(x) for x in z["threshold_names"]]
            th = {n: float(v) for n, v in zip(names, z["thresholds"], strict=True)}
            return cls(
                weights=z["weights"].astype(np.float32),
                bias=z["bias"].astype(np.float32),
                thresholds=th,
                model_id=str(z["model_id"]),
                words=z["words"].astype(np.float32) if "words" in z.files else None,
            )


@dataclass(frozen=True)
class Risk:
    """The highest probability of each label over a message and its sentences."""

    probs: dict[str, float]
    worst: str = ""

    def __getitem__(self, label: str) -> float:
        return self.probs.get(label, 0.0)

    def level(self, label: str, th: dict[str, float], cued: bool = False) -> str:
        """'high', 'medium' or 'low' for emergency and crisis. A message that also names a
        cue of its route (`risk_cues` in rules.yaml) is high from the lower cued cut-off."""
        p = self[label]
        if p >= th[f"{label}_high"] or (cued and p >= th.get(f"{label}_cued", 2.0)):
            return "high"
        return "medium" if p >= th[f"{label}_medium"] else "low"


NO_RISK = Risk({label: 0.0 for label in LABELS})


class RiskScorer:
    """Scores messages: one forward pass gives the message and every sentence vector."""

    def __init__(
        self,
        embedder: Any,
        model: RiskModel,
        cache_size: int = 2048,
        cue: Callable[[str], bool] | None = None,
    ) -> None:
        self.embedder = embedder
        self.model = model
        self.cue = cue  # when given, only a sentence naming a crisis cue word gets a second look
        self._cache: OrderedDict[str, Risk] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def unit_vectors(
        self, texts: Sequence[str], spans: Sequence[list[tuple[int, int]]] | None = None
    ) -> list[np.ndarray]:
        """Per text: its message vector, then one vector per sentence when it has several,
        all from one forward pass (what the head is fitted on)."""
        spans = [message_spans(t) for t in texts] if spans is None else spans
        single = [i for i, s in enumerate(spans) if len(s) <= 1]
        multi = [i for i, s in enumerate(spans) if len(s) > 1]
        out: list[np.ndarray] = [np.zeros((0, 0), np.float32)] * len(texts)
        if single:
            vecs = self.embedder.embed_queries([texts[i] for i in single])
            for i, v in zip(single, vecs, strict=True):
                out[i] = v[None, :]
        if multi:
            # The query encoder's own pass when it can pool sentences (ONNX: no torch at run
            # time); otherwise the passage path, which pools them the same way.
            pooled = getattr(self.embedder, "embed_message", None)
            batch, batch_spans = [texts[i] for i in multi], [spans[i] for i in multi]
            if callable(pooled):
                whole, sents = pooled(batch, batch_spans)
            else:
                whole, sents = self.embedder.embed_passages(batch, batch_spans)
            remember = getattr(self.embedder, "remember", None)
            for k, i in enumerate(multi):
                if callable(remember):
                    remember(texts[i], whole[k])  # retrieval's query vector, from this pass
                out[i] = np.vstack([whole[k][None, :], sents[k]])
        return out

    def units(
        self, texts: Sequence[str], spans: Sequence[list[tuple[int, int]]] | None = None
    ) -> list[tuple[np.ndarray, list[int]]]:
        """Per text: the unit vectors, then the second-look vectors of its riskiest sentences
        encoded alone; and, per row, the sentence it stands for (-1: the whole message)."""
        spans = [message_spans(t) for t in texts] if spans is None else spans
        out = self.unit_vectors(texts, spans)
        rows = [[-1, *range(len(m) - 1)] for m in out]
        picks: list[tuple[int, int]] = []
        for i, mat in enumerate(out):
            if len(mat) <= 2:
                continue  # one sentence: already encoded alone
            sents = unit_texts(texts[i], spans[i])[1:]
            risk = self.model.probs(mat[1:], sents)[:, _CRISIS]
            top = [int(j) for j in np.argsort(-risk) if risk[j] >= SECOND_LOOK_FLOOR]
            if self.cue is not None:
                top = [j for j in top if self.cue(sents[j])]
            picks += [(i, j) for j in top[:SECOND_LOOK]]
        if picks:
            alone = [texts[i][slice(*spans[i][j])] for i, j in picks]
            vecs = self.embedder.embed_queries(alone, cache=False)
            for (i, j), v in zip(picks, vecs, strict=True):
                out[i] = np.vstack([out[i], v[None, :]])
                rows[i].append(j)
        return list(zip(out, rows, strict=True))

    def score(self, texts: Sequence[str]) -> list[Risk]:
        """The risk of each text (cached by text)."""
        result: list[Risk | None] = [None] * len(texts)
        with self._lock:
            for i, t in enumerate(texts):
                if t in self._cache:
                    self._cache.move_to_end(t)
                    result[i] = self._cache[t]
        todo = [i for i, r in enumerate(result) if r is None and texts[i].strip()]
        if todo:
            all_spans = [message_spans(texts[i]) for i in todo]
            units = self.units([texts[i] for i in todo], all_spans)
            for i, spans, (mat, owner) in zip(todo, all_spans, units, strict=True):
                unit = unit_texts(texts[i], spans)
                p = self.model.probs(mat, [unit[j + 1] for j in owner])  # -1: the whole
                second = np.arange(len(owner)) >= len(set(owner))  # the second-look rows
                p[second, :_CRISIS] = 0.0  # they speak for crisis only
                p[second, _CRISIS + 1 :] = 0.0
                top = combine(by_sentence(p, owner))
                row = owner[int(np.argmax(p[:, 1:].max(axis=1)))]
                worst = unit[row + 1]
                result[i] = Risk({lab: float(top[j]) for j, lab in enumerate(LABELS)}, worst)
            with self._lock:
                for i in todo:
                    r = result[i]
                    if r is not None:
                        self._cache[texts[i]] = r
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return [r if r is not None else NO_RISK for r in result]
