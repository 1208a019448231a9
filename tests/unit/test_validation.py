"""The edge check of a conversation: surrogates from JSON escapes are repaired."""

from __future__ import annotations

import pytest

from assistant.pipeline.validation import InvalidRequestError, clean_text, validate_messages


def test_a_surrogate_pair_becomes_its_character_and_a_lone_one_a_replacement() -> None:
    assert clean_text("so tired \ud83d\ude2b of this") == "so tired \U0001f62b of this"
    assert clean_text("cut off \ud83d") == "cut off \ufffd"
    assert clean_text("\udc00 at the start") == "\ufffd at the start"
    assert clean_text("plain text, café") == "plain text, café"


def test_every_turn_is_cleaned_and_a_message_of_only_a_surrogate_still_counts() -> None:
    msgs = validate_messages(
        [
            {"role": "user", "content": "hi \ud83d"},
            {"role": "assistant", "content": "ok"},
            {"role": "user", "content": "\ud83d\ude4f thanks"},
        ]
    )
    assert [m["content"] for m in msgs] == ["hi \ufffd", "ok", "\U0001f64f thanks"]
    assert validate_messages("\ud83d")[0]["content"] == "\ufffd"
    with pytest.raises(InvalidRequestError):
        validate_messages("   ")
