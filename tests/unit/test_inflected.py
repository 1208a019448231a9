"""An inflected word is the word itself; a longer word built on one names something else."""

from __future__ import annotations

import pytest

from assistant.retrieve.answerability import _inflected


@pytest.mark.parametrize(
    ("word", "base"),
    [("doses", "dose"), ("infusions", "infusion"), ("treated", "treat"), ("dosing", "dos")],
)
def test_an_inflection_is_the_same_word(word: str, base: str) -> None:
    assert _inflected(word, base)


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("esketamine", "ketamine"),
        ("lower", "low"),
        ("painkillers", "pain"),
        ("nonopioid", "opioid"),
    ],
)
def test_a_longer_word_or_a_comparative_is_not(word: str, base: str) -> None:
    assert not _inflected(word, base)
