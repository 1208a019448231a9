"""Safety guardrails: input rails before retrieval, the output gate, the ingest scanner."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.config.prompts import Prompts
from assistant.config.settings import Settings
from assistant.gate.verifier import SupportVerifier, VerifierModel, default_model_path
from assistant.guard.classifier import IntentClassifier, load_exemplars
from assistant.guard.injection_scan import InjectionScanner, instruction_reason
from assistant.guard.normalize import normalize_message
from assistant.guard.rails import Analyzer, GuardRail, build_rails
from assistant.guard.risk import RiskModel, RiskScorer, default_risk_model_path
from assistant.guard.rules import RuleSet
from assistant.index.snapshot import IndexSnapshot
from assistant.pipeline.contracts import Embedder
from assistant.retrieve.everyday_typos import ENGLISH, TYPO_KNOWN_ZIPF

if TYPE_CHECKING:  # the gate imports guard.injection_scan: import it lazily, not at load
    from assistant.gate.output_gate import VerifyingGate

__all__ = [
    "GuardRail",
    "Guardrails",
    "InjectionScanner",
    "SupportVerifier",
    "build_guardrails",
    "instruction_reason",
    "load_rules",
]


@dataclass
class Guardrails:
    """Everything the answer service and ingest need from this package."""

    rails: list[GuardRail]
    gate: VerifyingGate
    scanner: InjectionScanner | None
    analyzer: Analyzer


@dataclass(frozen=True)
class _LiveIndex:
    """What the rails read from the live index: its vectors and its topic list."""

    snapshot: Callable[[], IndexSnapshot]

    def vectors(self) -> np.ndarray:
        """Every passage vector (for scope similarity)."""
        return self.snapshot().vectors

    def topics(self) -> list[str]:
        """Titles with their headings (for referral texts)."""
        return self.snapshot().described_topics


def _resolve(base: Path, path: Path) -> Path:
    return path if path.is_absolute() else base / path


def load_rules(path: Path, known: Iterable[str] = ()) -> RuleSet:
    """The rule set as the rails read messages: a real English word (Zipf >= TYPO_KNOWN_ZIPF)
    is typo-fixed only to a keyword's own form ("overdoses"), never to another word."""
    return RuleSet.load(path, known, ENGLISH.words(TYPO_KNOWN_ZIPF))


def build_guardrails(
    settings: Settings,
    embedder: Embedder,
    prompts: Prompts,
    snapshot: Callable[[], IndexSnapshot] | None = None,
) -> Guardrails:
    """Rails, gate and scanner from the settings, reusing the already-loaded embedder.

    `snapshot` gives the live index: the rails read its vectors (scope similarity) and its
    topic list (referral texts).
    """
    from assistant.gate.output_gate import VerifyingGate

    g = settings.guardrails
    tokenizer = getattr(embedder, "tokenizer", None)
    known = list(tokenizer.get_vocab()) if tokenizer is not None else []
    # this loads the shared English word list (answering's everyday typos read it too) at
    # start-up, not on a visitor's first question
    rules = load_rules(_resolve(settings.prompts_path, g.rules_path), known)
    exemplars = load_exemplars(_resolve(settings.prompts_path, g.exemplars_path))
    risk_model = RiskModel.load(g.risk_model_path or default_risk_model_path())
    overrides = {
        f"{k}_high": v
        for k, v in (("emergency", g.emergency_threshold), ("crisis", g.crisis_threshold))
        if v is not None
    }
    if overrides:
        th = {**risk_model.thresholds, **overrides}
        for k in ("emergency", "crisis"):
            th[f"{k}_medium"] = min(th[f"{k}_medium"], th[f"{k}_high"])
            th[f"{k}_cued"] = min(th.get(f"{k}_cued", 2.0), th[f"{k}_high"])
        risk_model = replace(risk_model, thresholds=th)

    def crisis_cue(sentence: str) -> bool:
        """True when a sentence names a crisis cue word (rules.yaml, as the content team last
        saved it), as the rails read it."""
        current = analyzer.rules
        return "crisis" in current.cued(normalize_message(sentence, current.fixer))

    risk = RiskScorer(embedder, risk_model, cue=crisis_cue)
    live = _LiveIndex(snapshot) if snapshot is not None else None
    analyzer = Analyzer(
        g, rules, IntentClassifier(embedder, exemplars), risk=risk,
        corpus_vectors=live.vectors if live else None,
    )  # fmt: skip
    model_path = g.verifier_model_path or default_model_path()
    model = VerifierModel.load(model_path) if Path(model_path).exists() else None
    verifier = SupportVerifier(g.verifier_min_coverage, model)
    scanner = InjectionScanner(embedder, g.sentence_topic_floor) if g.scan_ingest else None
    return Guardrails(
        rails=build_rails(g, analyzer, prompts, live.topics if live else None),
        gate=VerifyingGate(verifier, g.sentence_topic_floor),
        scanner=scanner,
        analyzer=analyzer,
    )
