"""The log database: SQLite (embedded default) or PostgreSQL, with versioned migrations."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import SchemaItem
from sqlalchemy.types import TypeEngine

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


def _key(name: str, type_: type[TypeEngine[Any]]) -> sa.Column[Any]:
    """The primary-key column of a table."""
    return sa.Column(name, type_, primary_key=True)


def _required(name: str, type_: type[TypeEngine[Any]], *args: SchemaItem) -> sa.Column[Any]:
    """A NOT NULL column."""
    return sa.Column(name, type_, *args, nullable=False)


messages = sa.Table(
    "messages",
    meta,
    _key("message_id", sa.Text),
    sa.Column("session_id", sa.Text),
    _required("created_at", sa.Float),
    _required("channel", sa.Text),
    _required("question", sa.Text),
    _required("turns", sa.Integer),
    _required("answer", sa.Text),
    _required("route", sa.Text),
    _required("citations", sa.Text),
    sa.Column("top_score", sa.Float),
    sa.Column("total_ms", sa.Float),
    sa.Index("messages_route", "route", "created_at"),
)

feedback = sa.Table(
    "feedback",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _required("message_id", sa.Text, sa.ForeignKey("messages.message_id")),
    _required("created_at", sa.Float),
    _required("rating", sa.Text),
    sa.Column("comment", sa.Text),
    sa.CheckConstraint("rating IN ('up', 'down')", name="feedback_rating"),
    sa.Index("feedback_message", "message_id"),
)

schema_version = sa.Table(
    "schema_version", meta, _key("version", sa.Integer), _required("applied_at", sa.Float)
)

# Shared token buckets (one row per hashed client key) for rate limits across workers.
rate_limits = sa.Table(
    "rate_limits",
    meta,
    _key("key", sa.Text),
    _required("tokens", sa.Float),
    _required("updated_at", sa.Float),
    _required("allowed", sa.Boolean),
)

settings_kv = sa.Table("settings_kv", meta, _key("name", sa.Text), _required("value", sa.Text))


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
