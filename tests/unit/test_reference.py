"""Pointing words: a message that refers to a thing without naming it."""

from __future__ import annotations

import pytest

from assistant.retrieve.reference import points_at_something, points_at_topic


@pytest.mark.parametrize(
    "text", ["is it safe", "does this stuff work", "can they give the drug at home", "Its effects?"]
)
def test_pointing_words_are_found(text: str) -> None:
    assert points_at_something(text)


@pytest.mark.parametrize(
    "text", ["what is ketamine", "side effects?", "who wrote the article", "italy", "why is that"]
)
def test_a_message_that_names_its_subject_does_not_point(text: str) -> None:
    assert not points_at_something(text)


@pytest.mark.parametrize(
    ("text", "topical"),
    [
        ("will it rain at the weekend", False),
        ("is it a nice day for a picnic", False),
        ("it's snowing again, ugh", False),
        ("is it worth the money", True),
        ("what's the gist of this", True),
        ("it's raining, but is it safe for older people?", True),
    ],
)
def test_an_it_that_stands_for_the_weather_points_at_nothing(text: str, topical: bool) -> None:
    assert points_at_topic(text) is topical
