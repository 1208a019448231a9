"""Hashed words beside the MiniLM vector in the risk head."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.guard.risk import LABELS, RiskModel
from assistant.guard.word_features import FUNCTION_WORDS, hashed_words, tokens


def test_tokens_fold_case_and_curly_apostrophes() -> None:
    """Words are lowercased; a typographic apostrophe reads as a plain one."""
    assert tokens("I Can\u2019t SLEEP, 3 nights!") == ["i", "can't", "sleep", "3", "nights"]


def test_rows_are_unit_length_and_repeatable() -> None:
    """Each row has unit length; the same text always hashes to the same row."""
    m = hashed_words(["the gutters need clearing", "the gutters need clearing", ""])
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    assert norms[:2] == pytest.approx([1.0, 1.0]) and norms[2] == 0.0
    assert (m[0] != m[1]).nnz == 0


def test_word_order_counts_through_word_pairs() -> None:
    """The same words in another order share the single words, not the pairs."""
    a, b = hashed_words(["lost for words", "words lost for"], dim=1 << 20).toarray()
    shared = int(((a > 0) & (b > 0)).sum())
    assert shared >= 3  # "lost", "words" + the pair "lost for" ("for" counts only in pairs)
    assert (a > 0).sum() == shared + 1 and (b > 0).sum() == shared + 1


def test_function_words_count_only_inside_pairs() -> None:
    """ "it" alone is no feature; "end it" is: a pronoun says nothing without its verb."""
    dim = 1 << 20
    (alone,) = hashed_words(["it"], dim).toarray()
    assert {"it", "myself", "be", "no"} <= FUNCTION_WORDS and (alone > 0).sum() == 0
    a, b = hashed_words(["end it", "end"], dim).toarray()
    assert (a > 0).sum() == 2 and (b > 0).sum() == 1  # "end" and "end it"; "end"


def _word_model(phrase: str, label: str, dim: int = 1 << 12) -> RiskModel:
    """A model whose vectors say nothing and whose words put `phrase` on `label`."""
    words = np.zeros((len(LABELS), dim), np.float32)
    cols = hashed_words([phrase], dim).indices
    words[LABELS.index(label), cols] = 2.0
    th = {"crisis_high": 0.6, "crisis_medium": 0.3}
    return RiskModel(np.zeros((len(LABELS), 3), np.float32), np.zeros(len(LABELS)), th, "w", words)


def test_word_weights_move_the_probabilities_only_with_texts() -> None:
    """The same vector scores higher on the words' label when its text has them; without
    texts the model reads vectors only."""
    model = _word_model("walk off the pier", "crisis")
    vecs = np.zeros((2, 3), np.float32)
    with_words = model.probs(vecs, ["thinking i might walk off the pier", "a walk by the sea"])
    c = LABELS.index("crisis")
    assert with_words[0, c] > 0.8 and with_words[1, c] < with_words[0, c] - 0.3
    assert model.probs(vecs)[:, c] == pytest.approx([0.2, 0.2])


def test_word_weights_survive_save_and_load(tmp_path: Path) -> None:
    """A model with word weights is written and read back with them; one without has none."""
    model = _word_model("walk off the pier", "crisis")
    model.save(tmp_path / "m.npz")
    back = RiskModel.load(tmp_path / "m.npz")
    assert back.words is not None and np.allclose(back.words, model.words)
    plain = RiskModel(model.weights, model.bias, model.thresholds, "v")
    plain.save(tmp_path / "v.npz")
    assert RiskModel.load(tmp_path / "v.npz").words is None
