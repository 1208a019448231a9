"""Stream an answer as gated sentences, then one final event with route and citations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from assistant.models import Answer

__all__ = ["Delta", "Final", "StreamEvent", "StreamingAnswerer", "split_sentences", "stream_answer"]

# A sentence ends at . ! ? (optionally followed by citation markers like [1] [2]) + whitespace.
_BOUNDARY = re.compile(r"(?<=[.!?])(?:\s*\[\d+\])*(?:\s+|$)|(?<=\])\s+(?=[A-Z\"'(])")


@dataclass(frozen=True)
class Delta:
    """A piece of the answer text that already passed the output gate."""

    text: str


@dataclass(frozen=True)
class Final:
    """The finished, gated answer: route, citations and disclaimer (and its log id)."""

    answer: Answer
    message_id: str | None = None


StreamEvent = Delta | Final


@runtime_checkable
class StreamingAnswerer(Protocol):
    """A backend that composes as it goes (e.g. an LLM) and gates each sentence itself.

    `ask_stream` must yield only `Delta`s whose text passed the output gate, then exactly one
    `Final` whose answer text equals the concatenated deltas.
    """

    def ask_stream(self, messages: Any) -> Iterator[StreamEvent]:
        """Gated deltas, then the final answer."""
        ...


def split_sentences(text: str) -> list[str]:
    """Pieces of `text` ending at sentence boundaries; joined, they give `text` back."""
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if end > start:
            pieces.append(text[start:end])
            start = end
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def stream_answer(service: Any, messages: Any) -> Iterator[StreamEvent]:
    """Gated answer events from any service.

    A service with `ask_stream` (a streaming backend) streams its own gated sentences. For
    the extractive backend the whole `Answer` is composed and gated first by `ask`, then its
    sentences are sent one by one, so nothing reaches the visitor that the gate did not pass.
    """
    if isinstance(service, StreamingAnswerer):
        yield from service.ask_stream(messages)
        return
    answer: Answer = service.ask(messages)
    for piece in split_sentences(answer.answer):
        yield Delta(piece)
    yield Final(answer)
