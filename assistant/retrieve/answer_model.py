"""The calibrated answerability model: can the retrieved passages answer this question?

A logistic model over four features of one question's retrieval, fitted on labelled
in-corpus and out-of-corpus questions by `python -m assistant.evals.fitting.answerability`
(dev split only); the coefficients and their provenance are in `answerability_lr.json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.corpus.text import content_terms, stem
from assistant.errors import ConfigError
from assistant.index.snapshot import IndexSnapshot
from assistant.retrieve.followups import GENERIC_WORDS
from assistant.retrieve.hybrid import Hit

if TYPE_CHECKING:
    from assistant.compose.extractive import Picked
    from assistant.config.sections import RetrievalSettings
    from assistant.pipeline.contracts import Composer

__all__ = [
    "FEATURES",
    "AnswerabilityModel",
    "anchored",
    "article_pool",
    "default_model_path",
    "features",
    "ranked_pool",
    "read",
]

FEATURES = ("dense", "coverage", "sentence", "unknown")


def default_model_path() -> Path:
    """The shipped model beside this module."""
    return Path(__file__).with_name("answerability_lr.json")


def anchored(snap: IndexSnapshot, qvec: np.ndarray, weight: float, floor: float) -> np.ndarray:
    """The query read against the site's topic: q + weight * scope, when the scope is coherent.

    The scope counts in proportion to how far its coherence rises above `floor`, so a corpus
    of unrelated articles (coherence at or below the floor) leaves the query as it is.
    """
    vec, coherence = snap.scope
    share = max(0.0, (coherence - floor) / (1.0 - floor)) if floor < 1 else 0.0
    if share <= 0.0 or weight <= 0.0:
        return qvec
    out = qvec + weight * share * vec
    return (out / (np.linalg.norm(out) + 1e-12)).astype(np.float32)


def features(
    snap: IndexSnapshot,
    query: str,
    avec: np.ndarray,
    hits: list[Hit],
    best_sentence: float,
    n_unknown: int,
) -> dict[str, float]:
    """dense: best passage cosine to the (anchored) query; coverage: IDF share of the
    question's topic words in the top passage; sentence: best sentence cosine; unknown:
    share of topic words the corpus never uses."""
    words = content_terms(query, GENERIC_WORDS)
    idf = {w: snap.bm25.term_idf(stem(w)) for w in words}
    total = sum(idf.values()) or 1.0
    top = hits[0].passage.stems if hits else set()
    return {
        "dense": float((snap.vectors @ avec).max()) if len(snap.vectors) else 0.0,
        "coverage": sum(v for w, v in idf.items() if stem(w) in top) / total if words else 0.0,
        "sentence": float(best_sentence),
        "unknown": n_unknown / max(1, len(words)),
    }


def ranked_pool(
    snap: IndexSnapshot,
    composer: Composer,
    query: str,
    qvec: np.ndarray,
    avec: np.ndarray,
    hits: list[Hit],
) -> list[Hit] | None:
    """The passages to rank when not the top hits: every passage of the best article, for a
    question that asks a kind of answer on a one-topic site (`avec`, the anchored query, is
    then not `qvec`)."""
    types = getattr(composer, "types", None)
    if avec is not qvec and hits and types is not None and types.asked(query):
        return article_pool(snap, qvec, hits)
    return None


def read(
    snap: IndexSnapshot,
    composer: Composer,
    settings: RetrievalSettings,
    query: str,
    lexical: str,
    qvec: np.ndarray,
    hits: list[Hit],
    n_unknown: int,
) -> tuple[bool, list[Picked], dict[str, float]]:
    """(read against the site's scope?, candidate sentences, answerability features).

    On a one-topic site, a question that asks a kind of answer (how it is given, who it is
    for) ranks every passage of the best article: a short question retrieves passages
    poorly ("how is it given" shares no word with "administered intravenously"), and the
    kind of answer it asks picks the sentence."""
    avec = anchored(snap, qvec, settings.scope_weight, settings.scope_coherence)
    pool = ranked_pool(snap, composer, query, qvec, avec, hits)
    cands = composer.candidates(snap, lexical, qvec, hits, avec, question=query, pool=pool)
    best = cands[0].similarity if cands else 0.0
    return avec is not qvec, cands, features(snap, query, avec, hits, best, n_unknown)


def article_pool(snap: IndexSnapshot, qvec: np.ndarray, hits: list[Hit]) -> list[Hit]:
    """The retrieved passages, then every other passage of the best hit's article (dense
    score only), most similar first."""
    seen = {h.passage.id for h in hits}
    article = hits[0].passage.article_id
    rest = [p for p in snap.by_article.get(article, []) if p.id not in seen]
    more = [Hit(p, float(p.vector @ qvec), 0.0, 0.0) for p in rest]
    return [*hits, *sorted(more, key=lambda h: -h.dense)]


@dataclass(frozen=True)
class AnswerabilityModel:
    """Logistic weights over FEATURES, with the provenance of the fit."""

    weights: tuple[float, ...]
    bias: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, feats: dict[str, float]) -> float:
        """P(the corpus answers the question) for one question's features."""
        z = self.bias + sum(w * feats[f] for w, f in zip(self.weights, FEATURES, strict=True))
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))))

    @classmethod
    def load(cls, path: Path | str | None = None) -> AnswerabilityModel:
        """Read the model file, or fail with a clear message."""
        path = Path(path or default_model_path())
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if tuple(raw["features"]) != FEATURES:
                raise ValueError(f"features {raw['features']} != {list(FEATURES)}")
            return cls(tuple(float(w) for w in raw["weights"]), float(raw["bias"]), raw["meta"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read the answerability model {path}: {exc}") from None

    def dump(self, path: Path | str) -> None:
        """Write the model as JSON (no date: the same data gives the same file)."""
        body = {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "meta": self.meta,
        }
        Path(path).write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")
