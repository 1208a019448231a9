"""Safety guardrails: input rails before retrieval, the output gate, the ingest scanner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.config.prompts import Prompts
from assistant.config.settings import Settings
from assistant.gate.verifier import SupportVerifier, VerifierModel, default_model_path
from assistant.guard.classifier import IntentClassifier, load_exemplars
from assistant.guard.injection_scan import InjectionScanner, instruction_reason
from assistant.guard.rails import Analyzer, GuardRail, build_rails
from assistant.guard.rules import RuleSet
from assistant.index.embeddings import Embedder
from assistant.index.snapshot import IndexSnapshot

if TYPE_CHECKING:  # the gate imports guard.injection_scan: import it lazily, not at load
    from assistant.gate.output_gate import VerifyingGate

__all__ = [
    "GuardRail",
    "Guardrails",
    "InjectionScanner",
    "SupportVerifier",
    "build_guardrails",
    "instruction_reason",
    "topics_of",
]


def topics_of(snap: IndexSnapshot, limit: int = 8) -> list[str]:
    """Published article titles with the headings they cover, for referral texts."""
    headings: dict[str, list[str]] = {}
    for p in sorted(snap.passages, key=lambda p: (p.article_id, p.position)):
        hs = headings.setdefault(p.title, [])
        h = p.section.strip().rstrip(":")
        if h and h not in hs and h.lower() not in ("introduction", "conclusion"):
            hs.append(h)
    out = []
    for title in snap.topics()[:limit]:
        hs = headings.get(title, [])
        out.append(f"{title} ({', '.join(hs[:8]).lower()})" if hs else title)
    return out


@dataclass
class Guardrails:
    """Everything the answer service and ingest need from this package."""

    rails: list[GuardRail]
    gate: VerifyingGate
    scanner: InjectionScanner | None
    analyzer: Analyzer

    def bind(self, snapshot: Callable[[], IndexSnapshot]) -> None:
        """Let the rails read the live corpus (scope similarity, topics)."""

        def vectors() -> np.ndarray:
            return snapshot().vectors

        def topics() -> list[str]:
            return topics_of(snapshot())

        self.analyzer.corpus_vectors = vectors
        for rail in self.rails:
            rail.topics = topics


def _resolve(base: Path, path: Path) -> Path:
    return path if path.is_absolute() else base / path


def build_guardrails(settings: Settings, embedder: Embedder, prompts: Prompts) -> Guardrails:
    """Rails, gate and scanner from the settings, reusing the already-loaded embedder."""
    from assistant.gate.output_gate import VerifyingGate

    g = settings.guardrails
    tokenizer = getattr(embedder, "tokenizer", None)
    known = list(tokenizer.get_vocab()) if tokenizer is not None else []
    rules = RuleSet.load(_resolve(settings.prompts_path, g.rules_path), known)
    exemplars = load_exemplars(_resolve(settings.prompts_path, g.exemplars_path))
    analyzer = Analyzer(g, rules, IntentClassifier(embedder, exemplars))
    model_path = g.verifier_model_path or default_model_path()
    model = VerifierModel.load(model_path) if Path(model_path).exists() else None
    verifier = SupportVerifier(g.verifier_min_coverage, model)
    scanner = InjectionScanner(embedder, g.sentence_topic_floor) if g.scan_ingest else None
    return Guardrails(
        rails=build_rails(g, analyzer, prompts),
        gate=VerifyingGate(verifier, g.sentence_topic_floor),
        scanner=scanner,
        analyzer=analyzer,
    )
