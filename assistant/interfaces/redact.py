"""Redact e-mail addresses and phone numbers from text before it is stored."""

from __future__ import annotations

import re

__all__ = ["EMAIL_MASK", "PHONE_MASK", "redact"]

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# "jane at example dot com", "jane (at) example (dot) org"
_SPELLED_EMAIL = re.compile(
    r"\b[A-Za-z0-9._%+-]+\s*(?:\(at\)|\[at\]|\sat\s)\s*[A-Za-z0-9-]+"
    r"(?:\s*(?:\(dot\)|\[dot\]|\sdot\s|\.)\s*[A-Za-z0-9-]+)*"
    r"\s*(?:\(dot\)|\[dot\]|\sdot\s|\.)\s*(?:com|org|net|edu|gov|io|co|uk|us|ca|au|de|fr|info)\b",
    re.IGNORECASE,
)
# A run of digits with common separators: +1 (555) 123-4567, 020 7946 0958, 555.123.4567 ...
_PHONE = re.compile(r"(?<![\w/.-])(?:\+|00)?\(?\d[\d\s().-]{5,}\d(?![\w/-])")
_ISO_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
_DECIMAL = re.compile(r"^\d+\.\d+$")


def _phone(match: re.Match[str]) -> str:
    """Mask a digit run shaped like a phone number: 7-15 digits, not a date or a decimal."""
    text = match.group(0)
    digits = sum(c.isdigit() for c in text)
    if not 7 <= digits <= 15 or _ISO_DATE.match(text) or _DECIMAL.match(text):
        return text
    if text.count("(") != text.count(")"):
        return text
    return PHONE_MASK


def redact(text: str) -> str:
    """The text with e-mail addresses and phone numbers replaced by [email] / [phone]."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _SPELLED_EMAIL.sub(EMAIL_MASK, text)
    return _PHONE.sub(_phone, text)
