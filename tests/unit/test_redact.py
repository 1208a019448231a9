"""Redaction of e-mail addresses and phone numbers before anything is stored."""

from __future__ import annotations

import pytest

from assistant.interfaces.redact import (
    EMAIL_MASK,
    IP_MASK,
    NUMBER_MASK,
    PHONE_MASK,
    redact,
    redact_id,
)


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


@pytest.mark.parametrize(
    "ip",
    [
        "192.168.1.20",
        "10.0.0.1",
        "2001:db8::1",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
        "fe80::1%eth0",
        "::ffff:10.0.0.1",
    ],
)
def test_ip_addresses_are_masked(ip: str) -> None:
    assert redact(f"my address is {ip}.") == f"my address is {IP_MASK}."
    assert redact(f"({ip}) says hi") == f"({IP_MASK}) says hi"


@pytest.mark.parametrize(
    "text", ["at 10:30:00 today", "ratio 1.2.3", "cafe and bed", "dose 12.5 mg", "ab:cd"]
)
def test_things_that_look_a_bit_like_ips_stay(text: str) -> None:
    assert redact(text) == text


def test_long_digit_runs_are_masked() -> None:
    assert redact("card 4111 1111 1111 1111 ok") == f"card {NUMBER_MASK} ok"
    assert redact("ref ABC123456789") == f"ref ABC{NUMBER_MASK}"


@pytest.mark.parametrize(
    ("sid", "survivor"),
    [
        ("visit-555-123-4567", "4567"),
        ("user_5551234567", "5551234567"),
        ("s:10.0.0.12", "10.0.0.12"),
        ("sess-2001:db8::7", "db8"),
        ("abc.555.123.4567", "4567"),
    ],
)
def test_session_ids_lose_phones_and_ips(sid: str, survivor: str) -> None:
    out = redact_id(sid)
    assert survivor not in out
    assert out.startswith(sid[:2])


def test_plain_session_ids_are_kept() -> None:
    for sid in ("abc-123", "widget:7f3a9c", "s_2026", "0b7e2c1d"):
        assert redact_id(sid) == sid
