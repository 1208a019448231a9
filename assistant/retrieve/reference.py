"""A first message that points at a thing it never names ("is it right for everyone?")."""

from __future__ import annotations

import re

__all__ = ["points_at_something"]

# Words that stand for a thing the reader is meant to know: on a one-topic site, its topic.
_POINTING = re.compile(
    r"\b(?:it|its|it's|this|they|them|their|"
    r"(?:the|this|that) (?:stuff|drug|medicine|medication|treatment|therapy|infusions?|drip))\b",
    re.IGNORECASE,
)


def points_at_something(text: str) -> bool:
    """True when the text uses a pointing word ("it", "this", "the drug") for its subject."""
    return _POINTING.search(text) is not None
