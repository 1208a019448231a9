"""Input rails: emergency, crisis, clinician, refused, off_topic, over the whole conversation."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.config.prompts import Prompts
from assistant.config.settings import GuardrailSettings
from assistant.guard.classifier import IntentClassifier
from assistant.guard.normalize import normalize_message
from assistant.guard.rules import RuleSet
from assistant.models import Route
from assistant.pipeline.contracts import RailDecision
from assistant.retrieve.followups import is_follow_up, user_turns

__all__ = ["Analysis", "Analyzer", "GuardRail", "TurnAnalysis", "build_rails"]

TopicsFn = Callable[[], list[str]]
VectorsFn = Callable[[], np.ndarray]


@dataclass(frozen=True)
class TurnAnalysis:
    """What the rules and the classifier found in one user turn."""

    text: str
    norm: str
    scores: dict[str, float]
    rules: dict[str, str]
    corpus_sim: float
    health_word: bool
    follow_up: bool
    gates: frozenset[str] = frozenset()

    def fires(self, route: str, g: GuardrailSettings) -> str | None:
        """Why a rail fires on this turn ("rule ..." or "similar ..."), or None."""
        if route == "clinician" and "refused" in self.rules:
            return None  # misuse ("without a prescription") is refused, not referred
        if route in self.rules:
            return f"rule {self.rules[route]}"
        if route not in self.gates:
            return None  # e.g. personal advice needs a person: "I", "my", "she", ...
        score = self.scores.get(route, 0.0)
        benign = max(self.scores.get("benign", 0.0), self.scores.get("health", 0.0))
        if route == "emergency" and score >= g.emergency_threshold:
            if "crisis" in self.rules:
                return None  # "how many pills to not wake up": the crisis rail, right after
            return f"similar {score:.2f}"
        if route == "crisis" and score >= g.crisis_threshold and score > benign:
            # No margin (recall first), but a question that reads more like one about the
            # articles ("how does pain affect quality of life") is not a disclosure.
            return f"similar {score:.2f}"
        thresholds = {"clinician": g.clinician_threshold, "refused": g.refused_threshold}
        if route in thresholds and score >= max(thresholds[route], benign + g.benign_margin):
            return f"similar {score:.2f}"
        return None

    def in_scope(self, g: GuardrailSettings) -> bool:
        """True when the turn is about health or the clinic's content."""
        near = max(self.scores.get("benign", 0.0), self.scores.get("health", 0.0))
        return self.health_word or max(near, self.corpus_sim) >= g.in_scope_threshold


@dataclass(frozen=True)
class Analysis:
    """Every user turn of a conversation, analysed; the last one is the current message."""

    turns: tuple[TurnAnalysis, ...]

    @property
    def current(self) -> TurnAnalysis:
        """The message being answered."""
        return self.turns[-1]


class Analyzer:
    """Normalises, matches rules and embeds each user turn once; cached per conversation."""

    def __init__(
        self,
        settings: GuardrailSettings,
        rules: RuleSet,
        classifier: IntentClassifier,
        corpus_vectors: VectorsFn | None = None,
        cache_size: int = 512,
    ) -> None:
        self.settings = settings
        self.rules = rules
        self.classifier = classifier
        self.corpus_vectors = corpus_vectors
        self._cache: OrderedDict[tuple[str, ...], Analysis] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def analyse(self, messages: Sequence[dict[str, Any]]) -> Analysis:
        """The analysis of every user turn (one forward pass for the new turn)."""
        turns = tuple(user_turns(messages)) or ("",)
        with self._lock:
            fresh = self.rules.reloaded()
            if fresh is not self.rules:
                self.rules = fresh
                self._cache.clear()
            hit = self._cache.get(turns)
            if hit is not None:
                self._cache.move_to_end(turns)
                return hit
        vecs = self.classifier.embed(turns)
        scores = self.classifier.scores(vecs)
        norms = [normalize_message(text, self.rules.fixer) for text in turns]
        health = [self.rules.mentions_health(n) for n in norms]
        near = [max(s.get("benign", 0.0), s.get("health", 0.0)) for s in scores]
        # Similarity to the corpus only decides scope when neither a health word nor the
        # exemplars already do: skip the (large-corpus) matrix product otherwise.
        need = [
            i for i in range(len(turns))
            if not health[i] and near[i] < self.settings.in_scope_threshold
        ]  # fmt: skip
        corpus_sims = np.array(near, dtype=np.float32)
        corpus = self.corpus_vectors() if (need and self.corpus_vectors) else None
        if corpus is not None and len(corpus):
            corpus_sims[need] = (vecs[need] @ corpus.T).max(axis=1)
        out = []
        for i, text in enumerate(turns):
            norm = norms[i]
            hits = {}
            for route in self.rules.rules:
                rule = self.rules.match(route, norm)
                if rule is not None:
                    hits[route] = rule.source
            out.append(
                TurnAnalysis(
                    text=text,
                    norm=norm,
                    scores=scores[i],
                    rules=hits,
                    corpus_sim=float(corpus_sims[i]),
                    health_word=health[i],
                    follow_up=i > 0 and is_follow_up(text),
                    gates=frozenset(r for r in self.rules.rules if self.rules.gate_open(r, norm)),
                )
            )
        analysis = Analysis(tuple(out))
        with self._lock:
            self._cache[turns] = analysis
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return analysis


class GuardRail:
    """One input rail; decides from the shared analysis which turns it looks at."""

    def __init__(
        self,
        route: Route,
        analyzer: Analyzer,
        prompts: Prompts,
        topics: TopicsFn | None = None,
    ) -> None:
        self.route = route
        self.analyzer = analyzer
        self.prompts = prompts
        self.topics = topics or (lambda: [])

    @property
    def settings(self) -> GuardrailSettings:
        """The guardrail settings."""
        return self.analyzer.settings

    def _turns(self, a: Analysis) -> list[TurnAnalysis]:
        """Turns this rail looks at, newest first."""
        g = self.settings
        turns = list(reversed(a.turns))
        if self.route == "emergency":
            return turns[: g.history_turns]  # someone still in an emergency told us earlier
        leans_back = a.current.follow_up or not a.current.in_scope(g)
        if len(turns) > 1 and leans_back and self.route in ("crisis", "clinician"):
            return turns[:2]  # "what should I do?" right after a crisis or personal question
        return turns[:1]  # refusals and scope judge the new message only

    def reason(self, messages: Sequence[dict[str, Any]]) -> str | None:
        """Why this rail fires on the conversation, or None."""
        a = self.analyzer.analyse(messages)
        g = self.settings
        if self.route == "off_topic":
            cur = a.current
            if cur.in_scope(g) or any(cur.rules.values()):
                return None
            if cur.follow_up and len(a.turns) > 1 and a.turns[-2].in_scope(g):
                return None  # "and the cost?" leans on an in-scope question
            best = max(cur.scores.get("benign", 0), cur.scores.get("health", 0), cur.corpus_sim)
            return f"out of scope (best similarity {best:.2f})"
        for t in self._turns(a):
            why = t.fires(self.route, g)
            if why:
                return why
        return None

    def check(self, messages: Sequence[dict[str, Any]]) -> RailDecision | None:
        """A reply on this rail's route, or None to go on."""
        why = self.reason(messages)
        if why is None:
            return None
        topics = "; ".join(self.topics()) or "our published articles"
        return RailDecision(self.route, self.prompts.get(self.route, topics=topics), why)

    def notice(self, messages: Sequence[dict[str, Any]]) -> str | None:
        """Crisis rail: the crisis resources, when any earlier user turn was a crisis."""
        if self.route != "crisis":
            return None
        a = self.analyzer.analyse(messages)
        if any(t.fires("crisis", self.settings) for t in a.turns[:-1]):
            return self.prompts.get("crisis_notice")
        return None


def build_rails(
    settings: GuardrailSettings,
    analyzer: Analyzer,
    prompts: Prompts,
    topics: TopicsFn | None = None,
) -> list[GuardRail]:
    """The configured rails, in order."""
    return [GuardRail(r, analyzer, prompts, topics) for r in settings.rails]
