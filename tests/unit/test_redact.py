"""Redaction of e-mail addresses and phone numbers before anything is stored."""

from __future__ import annotations

import pytest

from assistant.interfaces.redact import EMAIL_MASK, PHONE_MASK, redact


@pytest.mark.parametrize(
    "text",
    [
        "write to jane.doe+pain@example.co.uk please",
        "JOHN_SMITH@Clinic-Mail.org",
        "jane at example dot com",
        "jane (at) clinic (dot) org",
        "bob.lee at mail.example.com",
    ],
)
def test_emails_are_masked(text: str) -> None:
    out = redact(text)
    assert EMAIL_MASK in out
    assert "@" not in out and "jane" not in out.lower().replace(EMAIL_MASK, "")


@pytest.mark.parametrize(
    "phone",
    [
        "+1 (555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "(555) 123 4567",
        "020 7946 0958",
        "+44 20 7946 0958",
        "0049 30 1234567",
        "5551234567",
    ],
)
def test_phone_numbers_are_masked(phone: str) -> None:
    out = redact(f"call me on {phone} tonight")
    assert out == f"call me on {PHONE_MASK} tonight"


@pytest.mark.parametrize(
    "text",
    [
        "in an emergency call 911 or the 988 line",
        "on 2026-11-25 I had 3 infusions of 0.5 mg/kg",
        "I am 45 years old and have had pain since 1998",
        "I was at home and looked at the dot on the map",
        "between 2010 and 2015, 40% of patients",
        "version 1.2.3 of the article",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_mixed_text_keeps_the_question() -> None:
    out = redact("I'm Ann, ann@x.io, 555-867-5309. Does ketamine help fibromyalgia?")
    assert out == f"I'm Ann, {EMAIL_MASK}, {PHONE_MASK}. Does ketamine help fibromyalgia?"
