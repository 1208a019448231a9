"""Redact IP addresses, e-mail addresses, phone numbers and long digit runs before storage."""

from __future__ import annotations

import ipaddress
import re

__all__ = ["EMAIL_MASK", "IP_MASK", "NUMBER_MASK", "PHONE_MASK", "redact", "redact_id"]

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
IP_MASK = "[ip]"
NUMBER_MASK = "[number]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# "jane at example dot com", "jane (at) example (dot) org"
_SPELLED_EMAIL = re.compile(
    r"\b[A-Za-z0-9._%+-]+\s*(?:\(at\)|\[at\]|\sat\s)\s*[A-Za-z0-9-]+"
    r"(?:\s*(?:\(dot\)|\[dot\]|\sdot\s|\.)\s*[A-Za-z0-9-]+)*"
    r"\s*(?:\(dot\)|\[dot\]|\sdot\s|\.)\s*(?:com|org|net|edu|gov|io|co|uk|us|ca|au|de|fr|info)\b",
    re.IGNORECASE,
)
# IPv4 and IPv6 candidates (hex, dots, colons, an optional %zone); ipaddress decides.
_IP = re.compile(r"(?<![\w:.%])[0-9A-Fa-f:.]*[0-9A-Fa-f][0-9A-Fa-f:.]*(?:%[\w.]+)?(?![\w:])")
# A run of digits with common separators: +1 (555) 123-4567, 020 7946 0958, 555.123.4567 ...
_PHONE = re.compile(r"(?<![\w/.-])(?:\+|00)?\(?\d[\d\s().-]{5,}\d(?![\w/-])")
_ISO_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_LONG_DIGITS = re.compile(r"\d{7,}")
# In ids: a digit run with separators, e.g. 555-123-4567 or 555.123.4567 inside "visit-555-...".
_ID_DIGITS = re.compile(r"\d[\d.:_-]*\d")
_ID_HEX = re.compile(r"[0-9A-Fa-f:.]{7,}")


def _ip(match: re.Match[str]) -> str:
    """Mask a token that is a valid IPv4 or IPv6 address (a trailing full stop is kept)."""
    token = match.group(0)
    tail = ""
    while token.endswith("."):
        token, tail = token[:-1], tail + "."
    core = token.split("%", 1)[0]
    if (":" not in core and core.count(".") != 3) or not core:
        return match.group(0)
    try:
        ipaddress.ip_address(core)
    except ValueError:
        return match.group(0)
    return IP_MASK + tail


def _phone(match: re.Match[str]) -> str:
    """Mask a digit run shaped like a phone number (7-15 digits) or longer, not a date."""
    text = match.group(0)
    digits = sum(c.isdigit() for c in text)
    if digits > 15:
        return NUMBER_MASK
    if digits < 7 or _ISO_DATE.match(text) or _DECIMAL.match(text):
        return text
    if text.count("(") != text.count(")"):
        return text
    return PHONE_MASK


def redact(text: str) -> str:
    """The text with IPs, e-mails, phone numbers and 7+ digit runs masked."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _SPELLED_EMAIL.sub(EMAIL_MASK, text)
    text = _IP.sub(_ip, text)
    text = _PHONE.sub(_phone, text)
    return _LONG_DIGITS.sub(NUMBER_MASK, text)


def _id_digits(match: re.Match[str]) -> str:
    text = match.group(0)
    return NUMBER_MASK if sum(c.isdigit() for c in text) >= 7 else text


def _id_ip(match: re.Match[str]) -> str:
    """Mask the longest valid IP inside a run of hex, dots and colons (ids have no spaces)."""
    text = match.group(0)
    for start in range(len(text)):
        if start and text[start - 1] not in ":.":
            continue
        for end in range(len(text), start, -1):
            core = text[start:end]
            if (":" in core or core.count(".") == 3) and _valid_ip(core):
                return text[:start] + IP_MASK + text[end:]
    return text


def _valid_ip(core: str) -> bool:
    try:
        ipaddress.ip_address(core)
    except ValueError:
        return False
    return True


def redact_id(value: str) -> str:
    """An id (session id, user field) with the same masks, also where no word boundary is."""
    parts = re.split(r"([_\-/])", value)
    joined = "".join(p if p in "_-/" else redact(p) for p in parts)
    joined = _ID_HEX.sub(_id_ip, joined)
    return _ID_DIGITS.sub(_id_digits, redact(joined))
