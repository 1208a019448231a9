"""Sentence streaming of gated answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.models import Answer
from assistant.pipeline.streaming import Delta, Final, StreamEvent, split_sentences, stream_answer


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine modulates NMDA receptors. [1] It is given by infusion. [2]",
        "One sentence only [1].",
        "First! [1][2] Second? [3] Third without a marker",
        "",
    ],
)
def test_split_sentences_round_trips(text: str) -> None:
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    assert all(p.strip() for p in pieces)


def test_markers_stay_with_their_sentence() -> None:
    assert split_sentences("A b c. [1] D e f. [2]") == ["A b c. [1] ", "D e f. [2]"]


def _answer(text: str) -> Answer:
    return Answer(answer=text, route="answer", citations=[], disclaimer="d")


class _Extractive:
    def ask(self, messages: Any) -> Answer:
        return _answer("A. [1] B. [2]")


class _Streaming:
    """A backend that streams its own gated sentences (the future LLM path)."""

    def ask(self, messages: Any) -> Answer:  # pragma: no cover - must not be called
        raise AssertionError("ask_stream should be used")

    def ask_stream(self, messages: Any) -> Iterator[StreamEvent]:
        yield Delta("X. ")
        yield Final(_answer("X. "))


def test_extractive_service_is_streamed_after_gating() -> None:
    events = list(stream_answer(_Extractive(), []))
    assert events[:-1] == [Delta("A. [1] "), Delta("B. [2]")]
    assert isinstance(events[-1], Final) and events[-1].answer.answer == "A. [1] B. [2]"


def test_streaming_backend_is_passed_through() -> None:
    events = list(stream_answer(_Streaming(), []))
    assert events == [Delta("X. "), Final(_answer("X. "))]
