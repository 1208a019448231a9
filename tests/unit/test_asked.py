"""The asking sentence of a long message (assistant/retrieve/asked.py)."""

from __future__ import annotations

from assistant.retrieve.asked import asking_part

STORY = (
    "My neighbour has had shingles pain along her ribs for two years now and has tried creams, "
    "patches and three kinds of tablets without much luck."
)


def test_a_short_message_is_read_whole() -> None:
    text = "Does it work for nerve pain? Asking for my dad."
    assert asking_part(text, 25) == text


def test_a_long_message_is_read_by_its_last_question() -> None:
    text = f"{STORY} What is the infusion supposed to do for nerve pain? Thanks a lot."
    assert asking_part(text, 25) == "What is the infusion supposed to do for nerve pain?"


def test_a_short_question_takes_the_sentence_before_it() -> None:
    text = f"{STORY} She heard ketamine can help with nerve pain. Is that true?"
    assert asking_part(text, 25) == "She heard ketamine can help with nerve pain. Is that true?"


def test_without_a_question_mark_the_last_sentence_asks() -> None:
    text = f"{STORY} I would like to know what the infusion feels like for most patients"
    assert (
        asking_part(text, 25)
        == "I would like to know what the infusion feels like for most patients"
    )


def test_one_long_sentence_is_read_whole() -> None:
    text = STORY.replace(".", "") + " and now she wonders whether ketamine would do anything"
    assert asking_part(text, 25) == text
