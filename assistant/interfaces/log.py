"""The conversation log and visitor feedback (SQLite or PostgreSQL), redacted, no IPs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa

from assistant.errors import AssistantError
from assistant.interfaces.logdb import feedback as fb
from assistant.interfaces.logdb import make_engine, messages, migrate
from assistant.interfaces.redact import redact, redact_id
from assistant.models import Answer

__all__ = ["ConversationLog", "FeedbackError", "UnknownMessageError", "open_log"]

Rating = Literal["up", "down"]
log = logging.getLogger("assistant.log")
DAY_S = 86400.0


class FeedbackError(AssistantError):
    """Feedback could not be stored."""


class UnknownMessageError(FeedbackError):
    """No logged message has this id."""


class ConversationLog:
    """Stores each answered question and the feedback on it; text is redacted first.

    `target` is an SQLite file path or a database URL (e.g. postgresql+psycopg://...), so
    several workers can share one log. `retention_days` > 0 deletes older rows now and
    then once a day (see `start_retention`).
    """

    def __init__(self, target: Path | str, enabled: bool = True, retention_days: int = 0) -> None:
        self.target = target
        self.enabled = enabled
        self.retention_days = retention_days
        self._ids: set[str] = set()  # ids handed out while logging is off
        self._lock = threading.Lock()
        self.engine = make_engine(target)
        migrate(self.engine)
        self._stop = threading.Event()
        self._sweeper: threading.Thread | None = None

    @property
    def shared(self) -> bool:
        """True when the log is a server database that several processes can share."""
        return self.engine.dialect.name != "sqlite"

    def record(
        self,
        messages_: Sequence[dict[str, Any]],
        answer: Answer,
        session_id: str | None = None,
        channel: str = "api",
    ) -> str:
        """Log one answered turn; returns its new message_id."""
        message_id = uuid.uuid4().hex
        if not self.enabled:
            with self._lock:
                self._ids.add(message_id)
            return message_id
        question = next((m["content"] for m in reversed(messages_) if m.get("role") == "user"), "")
        cites = [
            {"n": c.n, "article_id": c.article_id, "section": c.section, "version": c.version}
            for c in answer.citations
        ]
        row = {
            "message_id": message_id,
            "session_id": redact_id(session_id)[:100] if session_id else None,
            "created_at": time.time(),
            "channel": channel,
            "question": redact(question),
            "turns": len(messages_),
            "answer": redact(answer.answer),
            "route": answer.route,
            "citations": json.dumps(cites),
            "top_score": max((c.score for c in answer.citations), default=None),
            "total_ms": answer.timings_ms.get("total"),
        }
        with self.engine.begin() as conn:
            conn.execute(sa.insert(messages).values(**row))
        return message_id

    def feedback(self, message_id: str, rating: Rating, comment: str | None = None) -> int:
        """Store a thumbs up/down (and a redacted comment) for a logged message."""
        if rating not in ("up", "down"):
            raise FeedbackError("rating must be 'up' or 'down'")
        with self._lock:
            local = message_id in self._ids
        with self.engine.begin() as conn:
            known = (
                local
                or conn.execute(
                    sa.select(sa.literal(1)).where(messages.c.message_id == message_id)
                ).first()
            )
            if not known:
                raise UnknownMessageError(f"no message with id {message_id!r}")
            if not self.enabled:
                return 0
            res = conn.execute(
                sa.insert(fb)
                .values(
                    message_id=message_id,
                    created_at=time.time(),
                    rating=rating,
                    comment=redact(comment) if comment else None,
                )
                .returning(fb.c.id)
            )
            return int(res.scalar_one())

    def recent(
        self, limit: int = 50, route: str | None = None, failed: bool = False
    ) -> list[dict[str, Any]]:
        """The latest logged messages with their feedback, for the content team's review.

        `failed` keeps the replies that did not answer (any route but 'answer') or that got
        a thumbs down.
        """
        ups = sa.func.coalesce(sa.func.sum(sa.case((fb.c.rating == "up", 1), else_=0)), 0)
        downs = sa.func.coalesce(sa.func.sum(sa.case((fb.c.rating == "down", 1), else_=0)), 0)
        if self.engine.dialect.name == "postgresql":
            comments = sa.func.string_agg(fb.c.comment, sa.literal_column("' | '"))
        else:
            comments = sa.func.group_concat(fb.c.comment, " | ")
        q = (
            sa.select(messages, ups.label("ups"), downs.label("downs"), comments.label("comments"))
            .select_from(messages.outerjoin(fb, fb.c.message_id == messages.c.message_id))
            .group_by(messages.c.message_id)
            .order_by(messages.c.created_at.desc())
            .limit(limit)
        )
        if route:
            q = q.where(messages.c.route == route)
        if failed:
            q = q.having(sa.or_(messages.c.route != "answer", downs > 0))
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
        for r in rows:
            r["citations"] = json.loads(r["citations"])
            r["ups"], r["downs"] = int(r["ups"]), int(r["downs"])
        return rows

    def purge(self, before: float | dt.datetime | dt.date) -> tuple[int, int]:
        """Delete messages (and their feedback) and feedback older than `before`.

        Returns (messages deleted, feedback deleted).
        """
        cutoff = _epoch(before)
        old = sa.select(messages.c.message_id).where(messages.c.created_at < cutoff)
        with self.engine.begin() as conn:
            n_fb = conn.execute(
                sa.delete(fb).where(sa.or_(fb.c.created_at < cutoff, fb.c.message_id.in_(old)))
            ).rowcount
            n_msg = conn.execute(sa.delete(messages).where(messages.c.created_at < cutoff)).rowcount
        return int(n_msg or 0), int(n_fb or 0)

    def enforce_retention(self) -> tuple[int, int]:
        """Apply `retention_days` now (nothing when it is 0)."""
        if self.retention_days <= 0:
            return 0, 0
        return self.purge(time.time() - self.retention_days * DAY_S)

    def start_retention(self, interval_s: float = DAY_S) -> None:
        """Enforce retention now, then every `interval_s` in a daemon thread."""
        if self.retention_days <= 0 or self._sweeper is not None:
            return
        self._safe_retention()

        def loop() -> None:
            while not self._stop.wait(interval_s):
                self._safe_retention()

        self._sweeper = threading.Thread(target=loop, name="log-retention", daemon=True)
        self._sweeper.start()

    def _safe_retention(self) -> None:
        try:
            n_msg, n_fb = self.enforce_retention()
            if n_msg or n_fb:
                log.info("retention: deleted %d messages and %d feedback rows", n_msg, n_fb)
        except sa.exc.SQLAlchemyError as exc:  # the next round tries again
            log.warning("retention purge failed: %s", exc)

    def close(self) -> None:
        """Stop the retention thread and close the connections."""
        self._stop.set()
        self.engine.dispose()


def _epoch(when: float | dt.datetime | dt.date) -> float:
    """Seconds since the epoch; dates are midnight UTC, naive datetimes are UTC."""
    if isinstance(when, int | float):
        return float(when)
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.timestamp()


def open_log(server: Any) -> ConversationLog:
    """The log the server settings choose: `database_url` if set, else the SQLite `log_db`."""
    url = server.database_url.get_secret_value() if server.database_url else None
    return ConversationLog(
        url or server.log_db,
        enabled=server.log_conversations,
        retention_days=server.log_retention_days,
    )
