"""Broad questions: an overview request that names nothing beyond the article's subject."""

from __future__ import annotations

import pytest

from assistant.retrieve.broad import BroadQuestions
from tests.conftest import ROOT

BROAD = BroadQuestions.load(ROOT / "prompts" / "answerability" / "broad.yaml")
TITLE = "Acupuncture for Migraine"


@pytest.mark.parametrize(
    "question",
    [
        "give me an overview",
        "a quick overview of acupuncture please",
        "tell me about this therapy",
        "could you sum it up",
        "summarise the page on migraine",
        "so what's the bottom line",
        "main message of the article?",
        "any takeaways on acupuncture",
    ],
)
def test_an_overview_of_the_subject_is_broad(question: str) -> None:
    assert BROAD.asks(question, TITLE)


@pytest.mark.parametrize(
    "question",
    [
        "tell me about the side effects",
        "overview of the costs",
        "what is acupuncture",
        "the bottom line on session prices",
    ],
)
def test_an_overview_that_names_something_else_is_not(question: str) -> None:
    assert not BROAD.asks(question, TITLE)


def test_the_words_of_an_overview_request_only_shape_it() -> None:
    """ "rundown" in "a rundown of the risks" asks for an overview of a topic, not about a
    rundown: it is no missing topic word, while the topic words are still read."""
    q = "could I get a quick rundown of the risks"
    assert BROAD.framing(q, ["rundown", "risks"]) == ["rundown"]
    assert BROAD.framing("what are the risks", ["risks"]) == []
