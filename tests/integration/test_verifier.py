"""The support verifier and the output gate: unsupported sentences never reach a visitor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.compose.extractive import Composition, Picked, cite
from assistant.gate.output_gate import VerifyingGate
from assistant.gate.verifier import (
    FEATURES,
    SupportVerifier,
    VerifierModel,
    default_model_path,
)
from assistant.models import Citation

PASSAGE = (
    "Administered intravenously at subanesthetic doses of 0.5 mg/kg over 40 minutes, ketamine "
    "induces a state of dissociation. Side effects such as disorientation and increased heart "
    "rate may occur. Ketamine is not suitable for everyone, and individualized assessment is "
    "paramount. About 30% of patients reported relief."
)


@pytest.fixture()
def verifier() -> SupportVerifier:
    """Rules only."""
    return SupportVerifier(min_coverage=0.75)


def test_verbatim_sentence_is_supported(verifier: SupportVerifier) -> None:
    """A sentence copied from its passage passes every check."""
    s = verifier.check(
        "Side effects such as disorientation and increased heart rate may occur.", PASSAGE
    )
    assert s.supported and s.coverage == 1.0


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("Ketamine is given at 1.5 mg/kg over 40 minutes.", "numbers not in passage: 1.5mg/kg"),
        ("Ketamine is given at 0.5 mg over 40 minutes.", "numbers not in passage: 0.5mg"),
        ("About 60% of patients reported relief.", "numbers not in passage: 60%"),
        ("Side effects such as disorientation and tachycardia may occur.", "names not in passage"),
        ("Ketamine is given together with Lidocaine for dissociation.", "names not in passage"),
        ("Side effects such as disorientation never occur.", "negation not in passage"),
        ("Ketamine cures arthritis permanently in elderly smokers.", "coverage"),
        ("The infusion takes twelve minutes.", "numbers not in passage"),
    ],
)
def test_unsupported_details_are_caught(
    verifier: SupportVerifier, sentence: str, reason: str
) -> None:
    """Numbers, doses, units, percentages, names and negations must be in the passage."""
    s = verifier.check(sentence, PASSAGE)
    assert not s.supported
    assert any(reason in r for r in s.reasons), s.reasons


def test_supported_negation_passes(verifier: SupportVerifier) -> None:
    """A negation the passage states is fine."""
    assert verifier.check("Ketamine is not suitable for everyone.", PASSAGE).supported


def test_packaged_model_is_plain_json_and_scores(verifier: SupportVerifier) -> None:
    """The calibrated model ships as coefficients (no pickle) and ranks a fabrication higher."""
    path = default_model_path()
    data = json.loads(path.read_text())
    assert data["features"] == list(FEATURES)
    model = VerifierModel.load(path)
    good = verifier.features(PASSAGE.split(". ")[1] + ".", PASSAGE, semantic_min=0.95)
    bad = verifier.features(
        "Ketamine permanently rewires serotonin transporters in 85% of fibromyalgia patients.",
        PASSAGE,
        semantic_min=0.3,
    )
    assert model.probability(bad) > model.probability(good)
    assert 0.0 <= model.probability(good) <= 1.0


def _picked(assistant: Any) -> list[Picked]:
    snap = assistant.service.snapshot()
    passage = next(p for p in snap.passages if "Side effects" in p.text)
    return [Picked(passage, i, 1.0, 0.9) for i in range(len(passage.sentences))]


def test_gate_keeps_extractive_answers(assistant: Any) -> None:
    """Verbatim sentences from the passage survive the gate unchanged."""
    gate = assistant.service.gate
    comp = cite(_picked(assistant)[:2])
    out = gate.filter(comp, "side effects", assistant.service.snapshot())
    assert out is comp


def test_gate_drops_unsupported_generated_sentences(assistant: Any) -> None:
    """Generated text: a sentence its citation does not support is removed."""
    snap = assistant.service.snapshot()
    comp = cite(_picked(assistant)[1:2])
    quote = comp.citations[0].quote
    text = (
        f"{quote} [1] Ketamine is given at 2 mg/kg every day for a month [1]. It cures arthritis."
    )
    gate: VerifyingGate = assistant.service.gate
    out = gate.filter(Composition(text, comp.citations, comp.picked), "side effects", snap)
    assert out is not None
    assert "2 mg/kg" not in out.text and "cures arthritis" not in out.text
    assert quote.rstrip(".") in out.text
    reasons = " ".join(why for _, why in gate.last_dropped)
    assert "numbers not in passage" in reasons and "no valid citation" in reasons


def test_gate_returns_none_when_nothing_is_supported(assistant: Any) -> None:
    """With nothing supported left, the service answers no_answer."""
    snap = assistant.service.snapshot()
    comp = cite(_picked(assistant)[1:2])
    cites = [Citation(**{**comp.citations[0].model_dump(), "quote": comp.citations[0].quote})]
    bad = Composition("Ketamine doses of 5 mg/kg are standard [1].", cites, comp.picked)
    assert assistant.service.gate.filter(bad, "dose", snap) is None


def test_medhallu_heldout_sample(assistant: Any, tmp_path: Path) -> None:
    """On held-out MedHallu pairs the packaged model flags hallucinations better than chance."""
    import hashlib

    shared = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    path = shared / "halluc_medhallu_calibration.jsonl"
    if not path.exists():
        pytest.skip("external data not present")
    rows = [json.loads(line) for line in path.open()]
    rows = [r for r in rows if int(hashlib.md5(str(r["pair_id"]).encode()).hexdigest(), 16) % 2][
        :80
    ]
    model = VerifierModel.load(default_model_path())
    v = SupportVerifier(0.75, model)
    emb = assistant.service.embedder
    from assistant.corpus.text import sentence_spans

    spans = [sentence_spans(r["answer"]) or [(0, len(r["answer"]))] for r in rows]
    _, ans = emb.embed_passages([r["answer"] for r in rows], spans)
    ctx_text = list(dict.fromkeys(r["context"] for r in rows))
    _, ctx = emb.embed_passages(ctx_text, [sentence_spans(c) for c in ctx_text])
    ctx_of = dict(zip(ctx_text, ctx, strict=True))
    correct = 0
    for r, av in zip(rows, ans, strict=True):
        sem = float((av @ ctx_of[r["context"]].T).max(axis=1).min())
        flagged = not v.supported_answer(r["answer"], r["context"], sem)
        correct += flagged == (r["label"] == "hallucinated")
    assert correct / len(rows) >= 0.6
