"""A first message that points at a thing it never names ("is it right for everyone?")."""

from __future__ import annotations

import re

__all__ = ["points_at_something", "points_at_topic"]

# Words that stand for a thing the reader is meant to know: on a one-topic site, its topic.
_POINTING = re.compile(
    r"\b(?:it|its|it's|this|they|them|their|"
    r"(?:the|this|that) (?:stuff|drug|medicine|medication|treatment|therapy|infusions?|drip))\b",
    re.IGNORECASE,
)


def points_at_something(text: str) -> bool:
    """True when the text uses a pointing word ("it", "this", "the drug") for its subject."""
    return _POINTING.search(text) is not None


# "It" that stands for nothing: the weather, the time, the day ("is it going to snow", "is it
# a good day for golf", "it's pouring").
_DUMMY_IT = re.compile(
    r"\b(?:is it|it's|it is|its|will it)(?: (?:going to|gonna|supposed to|meant to))?"
    r" (?:be )?(?:a )?(?:rain\w*|snow\w*|pour\w*|sunny|windy|cold|hot|warm|freezing|late|early|"
    r"(?:good|nice|bad|great|lovely) (?:day|time|weather|night|morning|evening))\b",
    re.IGNORECASE,
)


def points_at_topic(text: str) -> bool:
    """True when a pointing word remains once an "it" that stands for nothing (the weather,
    the time of day) is left out."""
    return points_at_something(_DUMMY_IT.sub(" ", text))
