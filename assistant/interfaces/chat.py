"""The chat service the web layer calls: validate, answer, log; shared by API and UI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assistant.errors import AssistantError
from assistant.interfaces.log import ConversationLog, Rating
from assistant.models import Answer
from assistant.pipeline.service import AnswerService
from assistant.pipeline.streaming import Delta, Final, StreamEvent, stream_answer
from assistant.pipeline.validation import (
    InvalidRequestError,
    MessageTooLongError,
    validate_messages,
)
from assistant.retrieve.hybrid import Hit

__all__ = ["ChatService", "LoggedAnswer"]

_SESSION = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


@dataclass(frozen=True)
class LoggedAnswer:
    """An answer and the id under which it was logged (for feedback)."""

    answer: Answer
    message_id: str


class ChatService:
    """Wraps the AnswerService for visitors: stricter limits, a log and feedback."""

    def __init__(self, service: AnswerService, log: ConversationLog, max_message_chars: int):
        self.service = service
        self.log = log
        self.max_message_chars = max_message_chars

    def validate(self, messages: Any, session_id: str | None = None) -> list[dict[str, str]]:
        """Clean messages, or InvalidRequestError naming what is wrong."""
        if session_id is not None and not _SESSION.match(session_id):
            raise InvalidRequestError(
                "session_id must be 1-100 characters of letters, digits, '_', '-', '.', ':'"
            )
        return validate_messages(messages, max_chars=self.max_message_chars)

    def ask(
        self, messages: Any, session_id: str | None = None, channel: str = "api"
    ) -> LoggedAnswer:
        """Answer and log one turn."""
        try:
            msgs = self.validate(messages, session_id)
        except MessageTooLongError as exc:
            return self._screened(exc, session_id, channel)
        answer = self.linked(self.service.ask(msgs))
        return LoggedAnswer(answer, self.log.record(msgs, answer, session_id, channel))

    def _screened(
        self, exc: MessageTooLongError, session_id: str | None, channel: str
    ) -> LoggedAnswer:
        """An over-long message is scanned whole first: risk gets its reply, not a 422."""
        answer = self.service.screen(exc.messages)
        if answer is None:
            raise exc
        return LoggedAnswer(answer, self.log.record(exc.messages, answer, session_id, channel))

    def stream(
        self, messages: Any, session_id: str | None = None, channel: str = "api"
    ) -> Iterator[StreamEvent]:
        """Gated deltas, then a Final carrying the message_id; validation errors raise early."""
        try:
            msgs = self.validate(messages, session_id)
        except MessageTooLongError as exc:
            logged = self._screened(exc, session_id, channel)
            return iter([Delta(logged.answer.answer), Final(logged.answer, logged.message_id)])
        return self._stream(msgs, session_id, channel)

    def _stream(
        self, msgs: list[dict[str, str]], session_id: str | None, channel: str
    ) -> Iterator[StreamEvent]:
        for event in stream_answer(self.service, msgs):
            if isinstance(event, Final):
                answer = self.linked(event.answer)
                mid = self.log.record(msgs, answer, session_id, channel)
                yield Final(answer, mid)
            else:
                yield event

    def linked(self, answer: Answer) -> Answer:
        """The answer with each citation's article `url` (front matter) from the live index."""
        if not answer.citations or all(c.url for c in answer.citations):
            return answer
        try:
            articles = self.service.snapshot().articles
        except AssistantError:
            return answer
        cites = [
            c if c.url else c.model_copy(update={"url": articles.get(c.article_id, {}).get("url")})
            for c in answer.citations
        ]
        return answer.model_copy(update={"citations": cites})

    def search(self, query: str, k: int) -> list[Hit]:
        """Ranked passages for integrators' own UIs."""
        if not query.strip():
            raise InvalidRequestError("q must not be empty")
        if len(query) > self.max_message_chars:
            raise InvalidRequestError(
                f"q is {len(query)} characters; the limit is {self.max_message_chars}"
            )
        return self.service.search(query, k)

    def feedback(self, message_id: str, rating: Rating, comment: str | None = None) -> int:
        """Store feedback on a logged answer."""
        return self.log.feedback(message_id, rating, comment)

    def readiness(self) -> tuple[bool, int]:
        """(vector store reachable, passages in the live index); loads the index if needed."""
        if not self.service.store.ping():
            return False, 0
        try:
            return True, len(self.service.snapshot().passages)
        except AssistantError:
            return True, 0
