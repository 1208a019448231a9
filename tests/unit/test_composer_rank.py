"""The composer's lexical score, normalised for sentence length as BM25 does."""

from __future__ import annotations

import pytest

from assistant.compose.extractive import length_factor


def test_no_normalisation_leaves_the_score_alone() -> None:
    assert length_factor(5, 12.0, 0.0) == pytest.approx(1.0)
    assert length_factor(40, 12.0, 0.0) == pytest.approx(1.0)


def test_a_sentence_of_mean_length_keeps_its_score() -> None:
    assert length_factor(12, 12.0, 1.0) == pytest.approx(1.0)


def test_shorter_sentences_count_more_and_longer_ones_less() -> None:
    short, long_ = length_factor(6, 12.0, 1.0), length_factor(30, 12.0, 1.0)
    assert short > 1.0 > long_
    assert length_factor(6, 12.0, 0.5) < short  # a weaker normalisation moves it less


def test_an_empty_pool_is_no_error() -> None:
    assert length_factor(4, 0.0, 1.0) == 1.0
