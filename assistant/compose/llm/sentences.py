"""Split generated text into cited sentences, also while it streams in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.text import sentence_spans

__all__ = ["CitedSentence", "SentenceBuffer", "parse_sentences"]

_LIST_MARK = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)+)\]")
_TRAILING = re.compile(r"([.!?…])((?:\s*\[\d+\])+)")
_MARK = re.compile(r"\s*\[(\d+)\]")
_MARKDOWN = re.compile(r"\*\*|__|`|^#+\s*", re.MULTILINE)
_END = re.compile(r"[.!?…]+$")


@dataclass(frozen=True)
class CitedSentence:
    """One generated sentence: its words without markers, and the passages it cites."""

    body: str
    marks: tuple[int, ...]

    @property
    def text(self) -> str:
        """Shown form, as the extractive answers write it: `Sentence. [1][2]`."""
        marks = "".join(f"[{m}]" for m in self.marks)
        return f"{self.body} {marks}" if marks else self.body

    @property
    def gate_form(self) -> str:
        """Form the output gate splits correctly: markers before the final punctuation."""
        if not self.marks:
            return self.body
        marks = "".join(f"[{m}]" for m in self.marks)
        end = _END.search(self.body)
        if end is None:
            return f"{self.body} {marks}."
        return f"{self.body[: end.start()]} {marks}{end.group(0)}"


def _normalize(text: str) -> str:
    """Plain text with markers as [n] before the punctuation that ends their sentence."""
    text = _MARKDOWN.sub("", text)
    text = _LIST_MARK.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m[1])), text)
    return _TRAILING.sub(lambda m: f"{m[2]}{m[1]}", text)


def _sentence(raw: str) -> CitedSentence | None:
    marks = tuple(dict.fromkeys(int(m) for m in _MARK.findall(raw)))
    body = " ".join(_MARK.sub("", raw).split())
    body = re.sub(r"\s+([.,;:!?…])", r"\1", body)
    if not re.search(r"[A-Za-z]", body):
        return None
    return CitedSentence(body, marks)


def parse_sentences(text: str) -> list[CitedSentence]:
    """Every sentence of a finished text."""
    norm = _normalize(text)
    out = [_sentence(norm[a:b]) for a, b in sentence_spans(norm)]
    return [s for s in out if s is not None]


class SentenceBuffer:
    """Collects streamed chunks and releases each sentence once it is complete."""

    def __init__(self) -> None:
        self._text = ""
        self._done = 0

    @property
    def text(self) -> str:
        """Everything received so far."""
        return self._text

    def feed(self, chunk: str) -> list[CitedSentence]:
        """Add a chunk; the sentences it completed."""
        self._text += chunk
        return self._release(final=False)

    def close(self) -> list[CitedSentence]:
        """The stream ended: the sentences still held."""
        return self._release(final=True)

    def _release(self, final: bool) -> list[CitedSentence]:
        norm = _normalize(self._text)
        spans = sentence_spans(norm)
        if not final:
            # A sentence is complete once the next one has begun; a following "[" may
            # still be its citation marker, so wait for real words.
            last = len(spans) - 1
            while last > 0 and not re.match(r"[A-Za-z0-9\"'(]", norm[spans[last][0]]):
                last -= 1
            spans = spans[:last] if last >= 0 else []
        out: list[CitedSentence] = []
        for a, b in spans[self._done :]:
            s = _sentence(norm[a:b])
            if s is not None:
                out.append(s)
        self._done = max(self._done, len(spans))
        return out
