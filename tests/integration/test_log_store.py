"""The conversation log on SQLite and on a real PostgreSQL: privacy, retention, migrations."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from assistant.interfaces.log import ConversationLog
from assistant.models import Answer, Citation

PII = {
    "ip4": "192.168.10.77",
    "ip6": "2001:db8:85a3::8a2e:370:7334",
    "email": "ann.lee@example.org",
    "phone": "555-867-5309",
    "digits": "123456789012",
}


def _answer(text: str = "Q. [1]") -> Answer:
    cite = Citation(n=1, article_id="a", title="T", section="S", version="1", quote="Q.", score=0.7)
    return Answer(
        answer=text, route="answer", citations=[cite], disclaimer="D", timings_ms={"total": 5.0}
    )  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An SQLite file, or a fresh database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "log.sqlite3")
    server: Any = request.getfixturevalue("postgres")
    return str(server.new_database())


def _all_text(log: ConversationLog, *, text_only: bool = False) -> str:
    """Every stored value of every table, as one string; text_only skips numbers and hex ids."""
    out = []
    with log.engine.connect() as conn:
        for table in ("messages", "feedback"):
            for row in conn.execute(sa.text(f"SELECT * FROM {table}")):
                for v in row:
                    if text_only and (not isinstance(v, str) or re.fullmatch(r"[0-9a-f]{32}", v)):
                        continue  # timestamps and random ids may hold any digits by chance
                    out.append(str(v))
    return " ".join(out)


def test_no_ip_email_or_phone_survives_in_any_field(target: str) -> None:
    log = ConversationLog(target)
    text = " ".join(f"my {k} is {v}," for k, v in PII.items())
    session = f"visit-{PII['phone']}"
    mid = log.record([{"role": "user", "content": text}], _answer(f"call {PII['phone']}"), session)
    log.record([{"role": "user", "content": "hi"}], _answer(), f"from-{PII['ip4']}")
    log.feedback(mid, "down", f"reach me at {PII['email']} or {PII['ip6']}")
    stored = _all_text(log)
    for value in PII.values():
        assert value not in stored
    words = _all_text(log, text_only=True)
    assert "5309" not in words and "8a2e" not in words
    assert "[ip]" in stored and "[email]" in stored and "[phone]" in stored
    log.close()


def test_purge_and_retention(target: str) -> None:
    log = ConversationLog(target, retention_days=30)
    old = log.record([{"role": "user", "content": "old one"}], _answer())
    new = log.record([{"role": "user", "content": "new one"}], _answer())
    log.feedback(old, "up")
    log.feedback(new, "up")
    with log.engine.begin() as conn:  # make the first one 40 days old
        conn.execute(
            sa.text("UPDATE messages SET created_at = :t WHERE message_id = :m"),
            {"t": time.time() - 40 * 86400, "m": old},
        )
    log.start_retention(interval_s=3600)  # enforced at once
    assert [r["message_id"] for r in log.recent()] == [new]
    assert log.recent()[0]["ups"] == 1
    assert log.purge(dt.date.today() + dt.timedelta(days=1)) == (1, 1)
    assert log.recent() == []
    log.close()


def test_migrations_are_versioned_and_keep_old_sqlite_logs(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    con = sqlite3.connect(db)  # the log as the previous release wrote it
    con.executescript(
        "CREATE TABLE messages (message_id TEXT PRIMARY KEY, session_id TEXT, created_at REAL "
        "NOT NULL, channel TEXT NOT NULL, question TEXT NOT NULL, turns INTEGER NOT NULL, "
        "answer TEXT NOT NULL, route TEXT NOT NULL, citations TEXT NOT NULL, top_score REAL, "
        "total_ms REAL);"
        "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, "
        "created_at REAL NOT NULL, rating TEXT NOT NULL, comment TEXT);"
        "INSERT INTO messages VALUES ('m1', NULL, 1.0, 'api', 'q', 1, 'a', 'answer', '[]', "
        "NULL, NULL);"
    )
    con.commit()
    con.close()
    log = ConversationLog(db)
    assert [r["message_id"] for r in log.recent()] == ["m1"]
    with log.engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version FROM schema_version")).scalars().all()
    assert sorted(versions) == [1, 2, 3]
    ConversationLog(db).close()  # a second start applies nothing twice
    log.close()


def test_cli_purge_before_a_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.interfaces.cli import main

    db = tmp_path / "log.sqlite3"
    log = ConversationLog(db)
    log.record([{"role": "user", "content": "q"}], _answer())
    log.close()
    monkeypatch.setenv("VA_SERVER__LOG_DB", str(db))
    assert main(["log", "--purge", "--before", "2000-01-01"]) == 0
    assert "deleted 0 messages" in capsys.readouterr().out
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert main(["log", "--purge", "--before", tomorrow]) == 0
    assert "deleted 1 messages" in capsys.readouterr().out
    assert main(["log", "--purge", "--before", "last tuesday"]) == 1
    assert "not a date" in capsys.readouterr().err
    assert main(["log", "--purge"]) == 1
