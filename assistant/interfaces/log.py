"""The conversation log and visitor feedback, in SQLite, redacted, with no IP addresses."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from assistant.errors import AssistantError
from assistant.interfaces.redact import redact
from assistant.models import Answer

__all__ = ["ConversationLog", "FeedbackError", "UnknownMessageError"]

Rating = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    message_id TEXT PRIMARY KEY,
    session_id TEXT,
    created_at REAL NOT NULL,
    channel TEXT NOT NULL,
    question TEXT NOT NULL,
    turns INTEGER NOT NULL,
    answer TEXT NOT NULL,
    route TEXT NOT NULL,
    citations TEXT NOT NULL,
    top_score REAL,
    total_ms REAL
);
CREATE INDEX IF NOT EXISTS messages_route ON messages(route, created_at);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL REFERENCES messages(message_id),
    created_at REAL NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT
);
CREATE INDEX IF NOT EXISTS feedback_message ON feedback(message_id);
"""


class FeedbackError(AssistantError):
    """Feedback could not be stored."""


class UnknownMessageError(FeedbackError):
    """No logged message has this id."""


class ConversationLog:
    """Stores each answered question and the feedback on it; text is redacted first."""

    def __init__(self, path: Path | str, enabled: bool = True) -> None:
        self.path = Path(path)
        self.enabled = enabled
        self._lock = threading.Lock()
        self._ids: set[str] = set()  # ids handed out while logging is off
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=5.0)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()

    def record(
        self,
        messages: Sequence[dict[str, Any]],
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
        question = next((m["content"] for m in reversed(messages) if m.get("role") == "user"), "")
        cites = [
            {"n": c.n, "article_id": c.article_id, "section": c.section, "version": c.version}
            for c in answer.citations
        ]
        top = max((c.score for c in answer.citations), default=None)
        row = (
            message_id,
            redact(session_id)[:100] if session_id else None,
            time.time(),
            channel,
            redact(question),
            len(messages),
            redact(answer.answer),
            answer.route,
            json.dumps(cites),
            top,
            answer.timings_ms.get("total"),
        )
        with self._lock:
            self._db.execute("INSERT INTO messages VALUES (?,?,?,?,?,?,?,?,?,?,?)", row)
            self._db.commit()
        return message_id

    def feedback(self, message_id: str, rating: Rating, comment: str | None = None) -> int:
        """Store a thumbs up/down (and a redacted comment) for a logged message."""
        if rating not in ("up", "down"):
            raise FeedbackError("rating must be 'up' or 'down'")
        with self._lock:
            known = (
                message_id in self._ids
                or self._db.execute(
                    "SELECT 1 FROM messages WHERE message_id = ?", (message_id,)
                ).fetchone()
            )
            if not known:
                raise UnknownMessageError(f"no message with id {message_id!r}")
            if not self.enabled:
                return 0
            cur = self._db.execute(
                "INSERT INTO feedback (message_id, created_at, rating, comment) VALUES (?,?,?,?)",
                (message_id, time.time(), rating, redact(comment) if comment else None),
            )
            self._db.commit()
            return int(cur.lastrowid or 0)

    def recent(
        self, limit: int = 50, route: str | None = None, failed: bool = False
    ) -> list[dict[str, Any]]:
        """The latest logged messages with their feedback, for the content team's review.

        `failed` keeps the replies that did not answer (any route but 'answer') or that got
        a thumbs down.
        """
        having = "HAVING m.route != 'answer' OR SUM(f.rating = 'down') > 0 " if failed else ""
        sql = (
            "SELECT m.*, "
            "COALESCE(SUM(f.rating = 'up'), 0) AS ups, "
            "COALESCE(SUM(f.rating = 'down'), 0) AS downs, "
            "GROUP_CONCAT(f.comment, ' | ') AS comments "
            "FROM messages m LEFT JOIN feedback f ON f.message_id = m.message_id "
            + ("WHERE m.route = ? " if route else "")
            + "GROUP BY m.message_id "
            + having
            + "ORDER BY m.created_at DESC LIMIT ?"
        )
        args: tuple[Any, ...] = (route, limit) if route else (limit,)
        with self._lock:
            cur = self._db.execute(sql, args)
            cols = [d[0] for d in cur.description]
            rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        for r in rows:
            r["citations"] = json.loads(r["citations"])
        return rows

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
