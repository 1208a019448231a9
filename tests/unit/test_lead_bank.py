"""The lead bank: a sentence that answered near earlier questions leads, within one article."""

from __future__ import annotations

import numpy as np

from assistant.compose.extractive import Picked
from assistant.compose.lead_bank import LeadBank
from assistant.evals.fitting.lead_bank import bank_rows
from assistant.evals.suites.visitor import HELD_OUT, load_visitor, tuning_splits
from assistant.index.snapshot import Passage

TEXT = "Infusions take about an hour. Dizziness may occur. Relief can last weeks."


def _passage(article: str = "a", text: str = TEXT) -> Passage:
    ends = [i + 1 for i, ch in enumerate(text) if ch == "."]
    spans = tuple(zip([0, *(e + 1 for e in ends[:-1])], ends, strict=True))
    return Passage("p-" + article, article, "T", "S", "1", text, 0, spans, np.zeros(3, np.float32))


def _cands(p: Passage, scores: tuple[float, ...] = (0.9, 0.7, 0.6)) -> list[Picked]:
    return [Picked(p, i, s, 0.5) for i, s in enumerate(scores)]


def _bank(vecs: list[list[float]], leads: list[list[int]], phrases: tuple[str, ...]) -> LeadBank:
    member = np.zeros((len(vecs), len(phrases)), np.float32)
    for r, ks in enumerate(leads):
        member[r, ks] = 1.0
    v = np.asarray(vecs, np.float32)
    return LeadBank(v / np.linalg.norm(v, axis=1, keepdims=True), phrases, member, 0.4, 8.0)


def test_a_near_earlier_question_moves_its_sentence_first_at_the_top_score() -> None:
    bank = _bank([[1, 0, 0]], [[0]], ("dizziness may occur",))
    out = LeadBank.lead(bank, _cands(_passage()), np.array([1.0, 0, 0]), 0.25)
    assert out[0].text == "Dizziness may occur."
    assert out[0].score == 0.9  # lifted to the top score: the rest is chosen as before
    assert [c.text for c in out[1:]] == ["Infusions take about an hour.", "Relief can last weeks."]


def test_no_near_question_leaves_the_ranking_alone() -> None:
    bank = _bank([[0, 1, 0]], [[0]], ("dizziness may occur",))
    cands = _cands(_passage())
    assert bank.lead(cands, np.array([1.0, 0, 0]), 0.25) is cands


def test_the_bank_never_moves_a_sentence_of_another_article_first() -> None:
    bank = _bank([[1, 0, 0]], [[0]], ("dizziness may occur",))
    top = Picked(
        _passage("b", "Another article speaks first here. More text follows on."), 0, 0.95, 0.6
    )
    cands = [top, *_cands(_passage("a"))]
    assert bank.lead(cands, np.array([1.0, 0, 0]), 0.25)[0] is top


def test_a_sentence_under_the_floor_is_not_raised() -> None:
    bank = _bank([[1, 0, 0]], [[0]], ("dizziness may occur",))
    cands = [Picked(_passage(), 0, 0.9, 0.5), Picked(_passage(), 1, 0.7, 0.1)]
    assert bank.lead(cands, np.array([1.0, 0, 0]), 0.25) is cands


def test_a_missing_bank_file_is_an_empty_bank(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bank = LeadBank.load(tmp_path / "none.npz")
    cands = _cands(_passage())
    assert bank.lead(cands, np.array([1.0, 0, 0]), 0.25) is cands


def test_the_bank_reads_only_tuning_splits_and_questions_asked_on_their_own() -> None:
    rows = bank_rows()
    assert rows and all(lead for _, _, lead in rows)
    split = {q.id: q.split for q in load_visitor()}
    used = {split[i] for i, _, _ in rows}
    assert used == set(tuning_splits()) and not used & set(HELD_OUT)
    assert not any(s.startswith("test") for s in used)


def test_every_phrase_of_the_shipped_bank_is_in_the_shipped_corpus() -> None:
    """An edited article would silently stop matching: refit the bank when it fails."""
    from assistant.corpus.text import normalize
    from tests.conftest import ROOT

    corpus = " ".join(
        normalize(p.read_text(encoding="utf-8")) for p in (ROOT / "corpus").glob("*.md")
    )
    bank = LeadBank.load()
    assert bank.phrases and all(p in corpus for p in bank.phrases)


def test_a_bank_of_another_model_is_no_bank() -> None:
    assert not LeadBank.load(None, model_id="some-other-model").phrases
    bank = _bank([[1, 0, 0]], [[0]], ("dizziness may occur",))
    cands = _cands(_passage())
    assert bank.lead(cands, np.ones(5, np.float32), 0.25) is cands  # another width: unchanged


def _model_bank(weights: list[list[float]], floor: float = 0.1) -> LeadBank:
    """A bank with a sentence model over two classes: 'dizziness' (phrase 0) and 'relief'."""
    phrases = ("dizziness may occur", "relief can last weeks")
    model = (np.asarray(weights, np.float32), np.zeros(2, np.float32), np.array([0, 1]))
    vecs = np.eye(3, dtype=np.float32)[:1]
    return LeadBank(vecs, phrases, np.ones((1, 2), np.float32), floor, 4.0, {}, model)


def test_the_sentence_model_moves_the_sentence_it_predicts_first() -> None:
    bank = _model_bank([[0, 0, 0], [5, 0, 0]])  # a question along x reads as 'relief'
    out = bank.lead(_cands(_passage()), np.array([1.0, 0, 0]), 0.25)
    assert out[0].text == "Relief can last weeks." and out[0].score == 0.9


def test_the_sentence_model_under_its_floor_leaves_the_ranking_alone() -> None:
    bank = _model_bank([[0, 0, 0], [5, 0, 0]], floor=0.999)
    cands = _cands(_passage())
    assert bank.lead(cands, np.array([1.0, 0, 0]), 0.25) is cands


def test_phrases_of_one_sentence_share_a_class(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.evals.fitting.lead_bank import phrase_classes

    (tmp_path / "a.md").write_text("Infusions take an hour. Dizziness may occur often.\n")
    classes = phrase_classes(["infusions take", "an hour", "dizziness may", "not there"], tmp_path)
    assert classes[0] == classes[1] != classes[2] and classes[3] not in classes[:3]


def test_the_shipped_bank_has_a_sentence_model_with_a_class_per_phrase() -> None:
    bank = LeadBank.load()
    assert bank.model is not None
    weights, bias, of_phrase = bank.model
    assert len(of_phrase) == len(bank.phrases) and weights.shape[0] == len(bias) > of_phrase.max()


def test_a_bank_file_without_the_model_reads_nearness_as_before(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An older bank file keeps the nearest-question reading and its own floor and weight,
    whatever the settings say for the model."""
    import json

    from assistant.compose.lead_bank import NEAREST_FLOOR, NEAREST_WEIGHT

    path = tmp_path / "old.npz"
    np.savez(
        path,
        vectors=np.eye(3, dtype=np.float16)[:1],
        phrases=np.array(json.dumps(["dizziness may occur"])),
        leads=np.array(json.dumps([[0]])),
        meta=np.array(json.dumps({"model_id": ""})),
    )
    bank = LeadBank.load(path, floor=0.1, weight=4.0)
    assert bank.model is None and (bank.floor, bank.weight) == (NEAREST_FLOOR, NEAREST_WEIGHT)
    assert bank.lead(_cands(_passage()), np.array([0.0, 1.0, 0.0]), 0.25)[0].text == (
        "Infusions take about an hour."
    )
