"""Stream an answer as gated sentences, then one final event with route and citations."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from assistant.compose.extractive import Composition
from assistant.models import Answer
from assistant.pipeline.validation import validate_messages

if TYPE_CHECKING:
    from assistant.pipeline.service import AnswerService

__all__ = [
    "Delta",
    "Final",
    "StreamEvent",
    "StreamingAnswerer",
    "split_sentences",
    "stream_answer",
    "stream_generated",
    "whole_answer",
]

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
    yield from whole_answer(service.ask(messages))


def whole_answer(answer: Answer) -> Iterator[StreamEvent]:
    """A finished, gated answer as events: its sentences one by one, then the `Final`."""
    for piece in split_sentences(answer.answer):
        yield Delta(piece)
    yield Final(answer)


def stream_generated(service: AnswerService, messages: Any) -> Iterator[str | Answer]:
    """An LLM answer as it is written (gated str pieces), then the finished Answer.

    Sentences are held until `llm.min_sentences_kept` have passed the gate, then sent one by
    one; when the model fails or too little passes before anything was sent, the extractive
    answer is sent instead. Replies decided before composing (rails, no_answer) come whole.
    """
    llm = service.llm
    assert llm is not None
    msgs = validate_messages(messages)
    snap = service.snapshot()
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    draft = service.prepare(msgs, snap, timings)
    if isinstance(draft, Answer):
        answer = service.with_notices(msgs, draft)
        timings["total"] = (time.perf_counter() - t0) * 1000
        answer.timings_ms = {k: round(v, 3) for k, v in timings.items()}
        yield answer.answer
        yield answer
        return
    t = time.perf_counter()
    held: list[Composition] = []
    sent: list[Composition] = []
    for piece in llm.stream(snap, draft.query, draft.qvec, draft.hits):
        if sent:
            sent.append(piece)
            yield " " + piece.text
            continue
        held.append(piece)
        if len(held) >= llm.min_sentences_kept:
            sent, held = held, []
            yield " ".join(c.text for c in sent)
    timings["llm"] = (time.perf_counter() - t) * 1000
    if sent:
        cites = {c.n: c for piece in sent for c in piece.citations}
        whole = Composition(
            " ".join(c.text for c in sent), sorted(cites.values(), key=lambda c: c.n), []
        )
        answer = service.finish(draft, service.answer_of(whole, llm.name))
    else:
        answer = service.finish(draft, service.extractive(draft, snap, timings))
        yield answer.answer
    answer = service.with_notices(msgs, answer)
    timings["total"] = (time.perf_counter() - t0) * 1000
    answer.timings_ms = {k: round(v, 3) for k, v in timings.items()}
    yield answer
