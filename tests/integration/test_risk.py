"""The learned risk layer: model file, sentence units, tiers, and the shipped fit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.evals.suites.visitor import HELD_OUT
from assistant.guard.fit_risk import (
    TRAIN_PROBES,
    VISITOR_SHARE,
    load_probes,
    load_training,
    load_visitor_questions,
    trains_head,
)
from assistant.guard.risk import (
    LABELS,
    Risk,
    RiskModel,
    RiskScorer,
    default_risk_model_path,
    message_spans,
)


def test_model_file_round_trips(tmp_path: Path) -> None:
    """What `save` writes, `load` reads back (weights rounded to 5 decimals)."""
    rng = np.random.default_rng(0)
    th = {"emergency_high": 0.6, "emergency_medium": 0.3, "crisis_high": 0.55,
          "crisis_medium": 0.25, "clinician": 0.5, "misuse": 0.7}  # fmt: skip
    m = RiskModel(rng.normal(size=(5, 8)).astype(np.float32), np.zeros(5, np.float32), th, "x")
    m.save(tmp_path / "m.npz")
    back = RiskModel.load(tmp_path / "m.npz")
    assert back.thresholds == pytest.approx(th)
    assert np.allclose(back.weights, m.weights, atol=1e-5)
    p = back.probs(rng.normal(size=(3, 8)))
    assert p.shape == (3, len(LABELS)) and np.allclose(p.sum(axis=1), 1)


def test_tiers_follow_the_cut_offs() -> None:
    """high >= the high cut-off, medium between the two, low below."""
    th = {"crisis_high": 0.6, "crisis_medium": 0.3}
    assert Risk({"crisis": 0.7}).level("crisis", th) == "high"
    assert Risk({"crisis": 0.4}).level("crisis", th) == "medium"
    assert Risk({"crisis": 0.1}).level("crisis", th) == "low"


def test_message_spans_break_on_sentences_and_lines() -> None:
    """Each sentence and each line is its own unit (a chat sentence may start in lowercase)."""
    text = "I'm fine, thank you. mostly fine, I think!\nreally tired though today"
    assert [text[a:b] for a, b in message_spans(text)] == [
        "I'm fine, thank you.",
        "mostly fine, I think!",
        "really tired though today",
    ]


def test_training_data_has_every_label_in_quantity() -> None:
    """Several hundred phrases, every label present, no duplicates."""
    phrases = load_training()
    assert len(phrases) >= 600
    labels = {lab for _, lab, _ in phrases}
    assert labels == set(LABELS)
    texts = [p.lower() for p, _, _ in phrases]
    assert len(texts) == len(set(texts))


def test_dev_probe_sets_teach_their_routes_and_a_test_set_is_refused(tmp_path: Path) -> None:
    probes = load_probes()
    groups = {g.split(":")[1] for _, _, g in probes}
    held_out = {"risk_dev28", "risk_dev29"}  # they judge the fit
    assert groups == set(TRAIN_PROBES) and not groups & held_out
    assert trains_head("probes risk_dev8") and trains_head("probes risk_dev9")
    assert trains_head("probes risk_dev20") and not trains_head("probes risk_dev29")
    assert not trains_head("probes risk_dev28") and not trains_head("probes risk_blind")
    labels = {lab for _, lab, _ in probes}
    assert {"emergency", "crisis", "none", "clinician"} <= labels
    (tmp_path / "x.yaml").write_text(
        "split: dev\nprobes:\n  benign:\n  - {category: mild_symptoms, text: a sore knee}\n"
        "  crisis:\n  - {category: explicit, text: no reason to go on}\n",
        encoding="utf-8",
    )
    assert sorted(load_probes(("x",), tmp_path)) == [
        ("a sore knee", "clinician", "probe:x:mild_symptoms"),
        ("no reason to go on", "crisis", "probe:x:explicit"),
    ]
    (tmp_path / "x.yaml").write_text(
        "split: test\nprobes:\n  crisis:\n  - never read\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="only a dev probe set"):
        load_probes(("x",), tmp_path)


def test_visitor_questions_are_learned_only_from_tunable_splits_and_only_when_asked() -> None:
    """The `--visitor-share` option reads one in N tunable visitor dev questions as "none";
    the shipped fit reads none, and no held-out or test split is ever read."""
    assert VISITOR_SHARE == 0 and load_visitor_questions(0) == []
    rows = load_visitor_questions(3)
    splits = {g.removeprefix("visitor:") for _, _, g in rows}
    assert rows and {lab for _, lab, _ in rows} == {"none"}
    assert all(s.startswith("dev") for s in splits) and not splits & set(HELD_OUT)
    assert len(load_visitor_questions(1)) > 2 * len(rows)


def test_scorer_takes_the_riskiest_sentence(embedder: Any) -> None:
    """A long message is as risky as its riskiest sentence: one forward pass for the
    messages, and one small batch for the second look at their riskiest sentences."""
    scorer = RiskScorer(embedder, RiskModel.load(default_risk_model_path()))
    calm = "I have been reading about physiotherapy for my knee. The exercises are dull."
    risky = calm + " I have decided tonight is the night I end my life. Anyway, thanks."
    before = embedder.forward_calls
    r_calm, r_risky = scorer.score([calm, risky])
    assert embedder.forward_calls - before <= 2
    assert r_risky["crisis"] > 0.5 > r_calm["crisis"]
    assert "end my life" in r_risky.worst


def test_words_tell_a_figure_of_speech_from_a_plan(embedder: Any) -> None:
    """The shipped head reads words beside the vector: the same alarming verb, used loosely
    about a chore, stays below the crisis cut-off, while the literal use is high."""
    model = RiskModel.load(default_risk_model_path())
    assert model.words is not None
    scorer = RiskScorer(embedder, model)
    loose, literal = scorer.score(
        ["sorting my tax return is killing me, lol", "i am going to kill myself tonight"]
    )
    high = model.thresholds["crisis_high"]
    assert literal["crisis"] >= high > loose["crisis"]


def test_personal_situation_needs_a_person_in_the_message() -> None:
    """Medium risk rescues a no_answer into a referral only when a person is named."""
    from assistant.guard.rails import TurnAnalysis

    cuts = (("clinician", 0.35), ("crisis_high", 0.8), ("crisis_medium", 0.5),
            ("emergency_high", 0.6), ("emergency_medium", 0.3), ("misuse", 0.9))  # fmt: skip
    risk = Risk({"none": 0.5, "clinician": 0.1, "misuse": 0.0, "crisis": 0.0, "emergency": 0.4})

    def turn(gates: frozenset[str]) -> TurnAnalysis:
        return TurnAnalysis("t", "t", {}, {}, 0.0, False, False, gates, risk, cuts)

    assert turn(frozenset({"clinician"})).personal()  # "my dad has ...": someone's situation
    assert not turn(frozenset()).personal()  # a general question about a symptom


def test_a_long_message_is_scored_from_the_query_encoder_pass_without_torch() -> None:
    """Message and sentence vectors come from one ONNX pass; they match the torch pooling."""
    from assistant.config.settings import EmbeddingSettings
    from assistant.guard.risk import RiskScorer
    from assistant.index.query_encoder import SplitEmbedder, build_embedder

    embedder = build_embedder(EmbeddingSettings())
    assert isinstance(embedder, SplitEmbedder)
    text = "My back has hurt for years. I read about infusions. Is that something for me?"
    scorer = RiskScorer(embedder, RiskModel.load(default_risk_model_path()))
    (units,) = scorer.unit_vectors([text])
    assert units.shape == (4, embedder.dim) and not embedder.passages.loaded
    assert embedder.encoder.forward_calls == 1  # one pass for the message and its sentences
    whole, sents = embedder.passages.embed_passages([text], [message_spans(text)])
    torch_units = np.vstack([whole[0][None, :], sents[0]])
    assert float(np.min(np.sum(units * torch_units, axis=1))) > 0.99


def test_a_benign_training_message_teaches_with_each_sentence_a_risky_one_whole(
    embedder: Any,
) -> None:
    from assistant.guard.fit_risk import features

    phrases = [
        ("My back is bad today. The physio helps a little. Is heat good for it?", "none", "g"),
        ("I feel tired of everything. I have made a plan for tonight.", "crisis", "g"),
    ]
    fillers = ["Work was long", "The bus was late", "I made soup", "Rain again", "Busy week"]
    phrases += [(f, "none", "everyday_stress") for f in fillers]
    x, y, texts = features(embedder, phrases)
    assert len(x) == len(y) == len(texts)
    # each of the benign message's three sentences, pooled and alone, labelled none
    assert texts.count("The physio helps a little.") == 2
    sentence = "The physio helps a little."
    assert [int(v) for v, t in zip(y, texts, strict=True) if t == sentence] == [0, 0]
    # the crisis message's sentences never teach alone: which one carries the risk is unknown
    assert "I feel tired of everything." not in texts
