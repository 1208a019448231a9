"""Remarks that ask nothing, told from questions however they are asked (asking.yaml)."""

from __future__ import annotations

import pytest

from assistant.errors import ConfigError
from assistant.retrieve.statements import Statements
from tests.conftest import ROOT

CUES = Statements.load(ROOT / "prompts" / "answerability" / "asking.yaml")


@pytest.mark.parametrize(
    "message",
    [
        "my cat woke me at five again",
        "I think my neighbour is moving out",
        "work has been rough this month",
        "she's been off sick since tuesday.",
        "so it basically works like a reset",
        "I can't do that anymore",
        "the problem is that it hurts",
        "i can't do it any more",  # a modal before "do it": no question
        "my knee is sore and was fine on monday",  # "was" after "and" opens no question
    ],
)
def test_remarks_and_stories_ask_nothing(message: str) -> None:
    assert CUES.remark(message)


@pytest.mark.parametrize(
    "message",
    [
        "is acupuncture painful",
        "so does it work for migraine",
        "besides the cost does it help at all",
        "acupuncture = which kind of therapy",
        "needle therapy meaning",
        "I'd like to know who runs the clinic",
        "not sure what a trigger point is",
        "curious whether it helps with sleep",
        "tell me about the risks",
        "tl;dr acupuncture is supposed to help",
        "after my knee surgery, can it help",
        "side effects of acupuncture",  # a search phrase, read like a question
        "anything on costs",
        "thanks. does insurance pay for it",  # "does" opens a question in any clause
        "my knee is bad, is stiffness a side effect",  # "is X a ..."
        "really does it help with sleep",
    ],
)
def test_questions_requests_and_search_phrases_ask(message: str) -> None:
    assert not CUES.remark(message)


def test_a_bad_cue_file_is_a_clear_error(tmp_path: pytest.TempPathFactory) -> None:
    bad = tmp_path / "asking.yaml"  # type: ignore[operator]
    keys = ("asking_verbs", "copula_complements", "adverbs", "helping_verbs", "subjects")
    more = ("openers", "question_words", "indirect", "inverted", "not_inverted_after", "speaking")
    lists = "".join(f"{k}: [x]\n" for k in (*keys, *more))
    bad.write_text("fillers: ['(']\n" + lists)
    with pytest.raises(ConfigError, match="bad pattern"):
        Statements.load(bad)
    bad.write_text("fillers: []\n")
    with pytest.raises(ConfigError, match="cannot read"):
        Statements.load(bad)
