"""Input rails: emergency, crisis, clinician, refused, off_topic, over the whole conversation."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.config.prompts import Prompts
from assistant.config.settings import GuardrailSettings
from assistant.guard.classifier import IntentClassifier
from assistant.guard.normalize import normalize_message
from assistant.guard.risk import NO_RISK, Risk, RiskScorer
from assistant.guard.rules import RuleSet
from assistant.models import Route
from assistant.pipeline.contracts import RailDecision
from assistant.retrieve.followups import is_follow_up, user_turns

__all__ = ["Analysis", "Analyzer", "GuardRail", "TurnAnalysis", "build_rails"]

TopicsFn = Callable[[], list[str]]
_ASKS_WHAT_TO_DO = re.compile(
    r"\bwhat (?:should|do|can|could|shall|must) (?:i|we) do\b|\bwhat (?:now|next)\b"
    r"|\bwhat do i do\b|^\s*(?:please )?help\b|\bhow (?:can|do|should) (?:i|we) help\b"
)
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
    risk: Risk = NO_RISK
    cuts: tuple[tuple[str, float], ...] = ()
    cues: frozenset[str] = frozenset()
    # the head's risk of the turn without the history it says is over (RuleSet.remitted), its
    # figures of speech or its outright denial (RuleSet.unhistoried), or None when it tells
    # none of them; and the cue words that text still names
    unhistoried: Risk | None = None
    rest_cues: frozenset[str] = frozenset()

    def level(self, route: str) -> str:
        """'high', 'medium' or 'low' learned risk of emergency or crisis in this turn. When
        the turn tells a history it says is over ("overdosed in 2012, 11 years sober now"),
        high counts only if the rest of the message is high too: the head reads the
        history's words, the rules read them as past. The same for a figure of speech ("I'd
        kill for a nap") and an outright denial of intent ("I'm not suicidal, just sad")."""
        th = dict(self.cuts)
        if not th:
            return "low"
        level = self.risk.level(route, th, cued=route in self.cues)
        rest = self.unhistoried
        cued = route in self.rest_cues
        if level == "high" and rest is not None and rest.level(route, th, cued=cued) != "high":
            return "medium"
        return level

    def personal(self) -> bool:
        """True when the turn describes someone's own health or situation (learned layer):
        it names a person (the clinician gate) and the head reads personal care or risk in it
        (their probabilities together), or medium risk."""
        th = dict(self.cuts)
        if not th or "clinician" not in self.gates:
            return False
        care = self.risk["clinician"] + self.risk["emergency"] + self.risk["crisis"]
        return (
            care >= th["clinician"]
            or self.level("emergency") != "low"
            or self.level("crisis") != "low"
        )

    def fires(self, route: str, g: GuardrailSettings) -> str | None:
        """Why a rail fires on this turn ("rule ...", "risk ..." or "similar ..."), or None."""
        if route == "clinician" and "refused" in self.rules:
            return None  # misuse ("without a prescription") is refused, not referred
        if route in self.rules:
            if route == "emergency" and "crisis" in self.rules and self.level(route) != "high":
                return None  # "how many pills to not wake up": the crisis rail, right after
            return f"rule {self.rules[route]}"
        if route in ("emergency", "crisis"):
            if self.level(route) == "high":
                return f"risk {route} {self.risk[route]:.2f}: {self.risk.worst[:80]!r}"
            return None
        th = dict(self.cuts)
        if route == "refused" and th and self.risk["misuse"] >= th["misuse"]:
            return f"risk misuse {self.risk['misuse']:.2f}"
        if route not in self.gates:
            return None  # e.g. personal advice needs a person: "I", "my", "she", ...
        score = self.scores.get(route, 0.0)
        benign = max(self.scores.get("benign", 0.0), self.scores.get("health", 0.0))
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


@dataclass(eq=False, repr=False)
class Analyzer:
    """Normalises, matches rules and embeds each user turn once; cached per conversation."""

    settings: GuardrailSettings
    rules: RuleSet
    classifier: IntentClassifier
    corpus_vectors: VectorsFn | None = None
    cache_size: int = 512  # conversations kept
    risk: RiskScorer | None = None
    _cache: OrderedDict[tuple[str, ...], Analysis] = field(default_factory=OrderedDict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def _unhistoried(self, norm: str) -> tuple[Risk | None, frozenset[str]]:
        """The head's risk of the message without the history it tells as over, its figures
        of speech or its outright denial (one more forward pass, only for such a message),
        and the cue words left in it; else None and no cue words."""
        if self.risk is None:
            return None, frozenset()
        said = self.rules.unhistoried(norm)
        if said is None:
            return None, frozenset()
        risk = self.risk.score([said])[0] if said.strip() else NO_RISK
        return risk, self.rules.cued(said)

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
        # The risk layer's one pass gives each message and sentence vector, and leaves the
        # message vector in the query cache: the classifier and retrieval reuse it.
        risks = self.risk.score(turns) if self.risk is not None else [NO_RISK] * len(turns)
        cuts = tuple(sorted(self.risk.model.thresholds.items())) if self.risk is not None else ()
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
            again, rest_cues = self._unhistoried(norm)
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
                    risk=risks[i],
                    cuts=cuts,
                    cues=self.rules.cued(norm),
                    unhistoried=again,
                    rest_cues=rest_cues,
                )
            )
        analysis = Analysis(tuple(out))
        with self._lock:
            self._cache[turns] = analysis
            while len(self._cache) > self.cache_size:
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
        """Turns this rail looks at, newest first: the new message, or the one before it too
        when the new one only leans on it ("what should I do now?")."""
        g = self.settings
        turns = list(reversed(a.turns))
        cur = a.current
        if len(turns) > 1 and self.route in ("emergency", "crisis"):
            # After an emergency or crisis reply the next message gets a real reply; only a
            # bare follow-up with nothing of its own is still about the emergency.
            asks = not cur.in_scope(g) and bool(_ASKS_WHAT_TO_DO.search(cur.norm))
            return turns[:2] if asks else turns[:1]
        leans_back = cur.follow_up or not cur.in_scope(g)
        if len(turns) > 1 and leans_back and self.route == "clinician":
            return turns[:2]  # "what should I do?" right after a personal question
        return turns[:1]  # refusals and scope judge the new message only

    def reason(self, messages: Sequence[dict[str, Any]]) -> str | None:
        """Why this rail fires on the conversation, or None."""
        a = self.analyzer.analyse(messages)
        g = self.settings
        cur = a.current
        if self.route == "off_topic":
            if cur.in_scope(g) or any(cur.rules.values()) or cur.personal():
                return None  # someone's own situation is never off topic
            if cur.follow_up and len(a.turns) > 1 and a.turns[-2].in_scope(g):
                return None  # "and the cost?" leans on an in-scope question
            best = max(cur.scores.get("benign", 0), cur.scores.get("health", 0), cur.corpus_sim)
            return f"out of scope (best similarity {best:.2f})"
        for t in self._turns(a):
            why = t.fires(self.route, g)
            if why:
                return why
        if self.route in ("emergency", "crisis") and cur.level(self.route) == "medium":
            # Signals add up: a medium-risk message after another risky one escalates.
            for t in a.turns[:-1][-g.history_turns :]:
                if t.level(self.route) != "low" or t.fires(self.route, g):
                    return f"risk {self.route} medium in this and an earlier turn"
        return None

    def check(self, messages: Sequence[dict[str, Any]]) -> RailDecision | None:
        """A reply on this rail's route, or None to go on."""
        why = self.reason(messages)
        if why is None:
            return None
        return self._decision(why)

    def _decision(self, why: str) -> RailDecision:
        topics = "; ".join(self.topics()) or "our published articles"
        return RailDecision(self.route, self.prompts.get(self.route, topics=topics), why)

    def rescue(self, messages: Sequence[dict[str, Any]]) -> RailDecision | None:
        """Clinician rail: a referral instead of `no_answer` when the message describes
        someone's own health or situation."""
        if self.route != "clinician":
            return None
        cur = self.analyzer.analyse(messages).current
        return self._decision("personal situation, not covered") if cur.personal() else None

    def notice(self, messages: Sequence[dict[str, Any]]) -> str | None:
        """Crisis rail: the standing resources line. After a crisis turn the crisis notice;
        after an emergency, or when this or an earlier turn carries medium risk, the
        emergency number and the crisis line."""
        if self.route != "crisis":
            return None
        a = self.analyzer.analyse(messages)
        g = self.settings
        earlier = a.turns[:-1]
        if any(t.fires("crisis", g) for t in earlier):
            return self.prompts.get("crisis_notice")
        risky = any(
            t.fires("emergency", g) or t.level("emergency") != "low" or t.level("crisis") != "low"
            for t in a.turns
        )
        return self.prompts.get("resources") if risky else None


def build_rails(
    settings: GuardrailSettings,
    analyzer: Analyzer,
    prompts: Prompts,
    topics: TopicsFn | None = None,
) -> list[GuardRail]:
    """The configured rails, in order."""
    return [GuardRail(r, analyzer, prompts, topics) for r in settings.rails]
