"""The log database: SQLite (embedded default) or PostgreSQL, with versioned migrations."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

__all__ = [
    "MIGRATIONS",
    "feedback",
    "make_engine",
    "messages",
    "meta",
    "migrate",
    "rate_limits",
    "schema_version",
    "settings_kv",
]

meta = sa.MetaData()

messages = sa.Table(
    "messages",
    meta,
    sa.Column("message_id", sa.Text, primary_key=True),
    sa.Column("session_id", sa.Text),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("turns", sa.Integer, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("route", sa.Text, nullable=False),
    sa.Column("citations", sa.Text, nullable=False),
    sa.Column("top_score", sa.Float),
    sa.Column("total_ms", sa.Float),
    sa.Index("messages_route", "route", "created_at"),
)

feedback = sa.Table(
    "feedback",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("message_id", sa.Text, sa.ForeignKey("messages.message_id"), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("rating", sa.Text, nullable=False),
    sa.Column("comment", sa.Text),
    sa.CheckConstraint("rating IN ('up', 'down')", name="feedback_rating"),
    sa.Index("feedback_message", "message_id"),
)

schema_version = sa.Table(
    "schema_version",
    meta,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.Float, nullable=False),
)

# Shared token buckets (one row per hashed client key) for rate limits across workers.
rate_limits = sa.Table(
    "rate_limits",
    meta,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("tokens", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("allowed", sa.Boolean, nullable=False),
)

settings_kv = sa.Table(
    "settings_kv",
    meta,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def _v1(conn: Connection) -> None:
    """The log as it was in SQLite (CREATE IF NOT EXISTS: old files keep their rows)."""
    meta.create_all(conn, tables=[messages, feedback], checkfirst=True)


def _v2(conn: Connection) -> None:
    """Shared rate-limit buckets and a random salt for their keys."""
    meta.create_all(conn, tables=[rate_limits, settings_kv], checkfirst=True)
    conn.execute(sa.insert(settings_kv).values(name="rate_limit_salt", value=secrets.token_hex(16)))


def _v3(conn: Connection) -> None:
    """An index for retention purges by age."""
    conn.execute(sa.text("CREATE INDEX IF NOT EXISTS messages_created ON messages (created_at)"))


MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3]


def make_engine(target: str | Path) -> Engine:
    """An engine for a database URL, or for an SQLite file path (WAL, 5 s busy timeout)."""
    text = str(target)
    if "://" not in text:
        Path(text).parent.mkdir(parents=True, exist_ok=True)
        text = f"sqlite:///{Path(text)}"
    if text.startswith("postgresql://") or text.startswith("postgres://"):
        text = "postgresql+psycopg://" + text.split("://", 1)[1]
    if text.startswith("sqlite"):
        engine = sa.create_engine(text, connect_args={"check_same_thread": False, "timeout": 5.0})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return sa.create_engine(text, pool_pre_ping=True, pool_size=5, max_overflow=10)


def migrate(engine: Engine) -> int:
    """Apply the migrations this database has not seen, in order; returns its version.

    On PostgreSQL an advisory lock makes workers that start together take turns; on SQLite
    a worker that loses the race retries once the other one is done.
    """
    for attempt in range(5):
        try:
            return _migrate(engine)
        except (sa.exc.OperationalError, sa.exc.IntegrityError):
            if attempt == 4 or engine.dialect.name != "sqlite":
                raise
            time.sleep(0.2 * (attempt + 1))
    return len(MIGRATIONS)


def _migrate(engine: Engine) -> int:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7216501)"))
        meta.create_all(conn, tables=[schema_version], checkfirst=True)
        done = set(conn.execute(sa.select(schema_version.c.version)).scalars())
        for number, step in enumerate(MIGRATIONS, 1):
            if number in done:
                continue
            step(conn)
            conn.execute(sa.insert(schema_version).values(version=number, applied_at=time.time()))
        return len(MIGRATIONS)
