"""Check a conversation at the edge: roles, sizes, and a last user turn."""

from __future__ import annotations

import re
from typing import Any

from assistant.errors import AssistantError

__all__ = [
    "MAX_MESSAGES",
    "MAX_MESSAGE_CHARS",
    "InvalidRequestError",
    "MessageTooLongError",
    "clean_text",
    "validate_messages",
]

MAX_MESSAGE_CHARS = 8000
MAX_MESSAGES = 50
_SURROGATE = re.compile("[\ud800-\udfff]")


class InvalidRequestError(AssistantError):
    """The messages are not a valid conversation."""


class MessageTooLongError(InvalidRequestError):
    """A message is over the limit; `messages` keeps the conversation for the risk scan."""

    def __init__(self, text: str, messages: list[dict[str, str]]) -> None:
        super().__init__(text)
        self.messages = messages


def clean_text(text: str) -> str:
    """The text with UTF-16 surrogates repaired: a pair ("\\ud83d\\ude00" from a JSON escape)
    becomes its character, a lone one becomes U+FFFD (the tokenizer cannot read either)."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def validate_messages(messages: Any, max_chars: int = MAX_MESSAGE_CHARS) -> list[dict[str, str]]:
    """A clean list of {role, content} dicts ending with a user turn, or a clear error."""
    if isinstance(messages, str):
        messages = [{"role": "user", "content": messages}]
    if not isinstance(messages, list) or not messages:
        raise InvalidRequestError("messages must be a non-empty list of {role, content} objects")
    if len(messages) > MAX_MESSAGES:
        raise InvalidRequestError(f"at most {MAX_MESSAGES} messages per conversation")
    clean: list[dict[str, str]] = []
    too_long: str | None = None
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get("content"), str):
            raise InvalidRequestError(f"messages[{i}] must be an object with a string 'content'")
        role = m.get("role")
        if role not in ("user", "assistant", "system"):
            raise InvalidRequestError(
                f"messages[{i}].role must be 'user', 'assistant' or 'system', not {role!r}"
            )
        if len(m["content"]) > max_chars and too_long is None:
            too_long = (
                f"messages[{i}].content is {len(m['content'])} characters; the limit is {max_chars}"
            )
        clean.append({"role": role, "content": clean_text(m["content"])})
    if clean[-1]["role"] != "user" or not clean[-1]["content"].strip():
        raise InvalidRequestError("the last message must be a non-empty user message")
    if too_long is not None:
        raise MessageTooLongError(too_long, clean)
    return clean
