"""The sentence of a long message that asks: a visitor's story describes, its question asks."""

from __future__ import annotations

import re

__all__ = ["asking_part", "message_sentences"]

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_MIN_ASKING_WORDS = 8  # a shorter asking sentence takes the one before it ("Is that normal?")


def message_sentences(message: str) -> list[str]:
    """The sentences of a chat message: split where ".", "?" or "!" meets a space."""
    return [s for s in _SENTENCE_END.split(message.strip()) if s.strip()]


def asking_part(message: str, min_words: int) -> str:
    """In a message of `min_words` words or more and several sentences, its last sentence
    with a question mark (else its last), joined to the ones before it while it is shorter
    than eight words; a shorter message whole."""
    if len(message.split()) < min_words:
        return message
    sentences = message_sentences(message)
    if len(sentences) < 2:
        return message
    asking = [i for i, s in enumerate(sentences) if "?" in s]
    i = asking[-1] if asking else len(sentences) - 1
    part = sentences[i]
    while len(part.split()) < _MIN_ASKING_WORDS and i > 0:
        i -= 1
        part = f"{sentences[i]} {part}"
    return part
