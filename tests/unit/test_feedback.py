"""The SQLite conversation log and feedback store."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.interfaces.log import ConversationLog, FeedbackError, UnknownMessageError
from assistant.models import Answer, Citation


def answer(route: str = "answer") -> Answer:
    """A small Answer with one citation."""
    cite = Citation(n=1, article_id="a", title="T", section="S", version="1", quote="Q.", score=0.7)
    return Answer(
        answer="Q. [1]", route=route, citations=[cite], disclaimer="D", timings_ms={"total": 5.0}
    )  # type: ignore[arg-type]


def msgs(text: str) -> list[dict[str, str]]:
    """One user turn."""
    return [{"role": "user", "content": text}]


def test_record_feedback_and_review(tmp_path: Path) -> None:
    log = ConversationLog(tmp_path / "log.db")
    a = log.record(msgs("does it help? mail me: a@b.com"), answer(), "s-1", "api")
    b = log.record(msgs("what about 555-123-4567"), answer("no_answer"), None, "ui")
    assert a != b and len(a) == 32
    log.feedback(a, "up")
    log.feedback(a, "down", "wrong, ring 020 7946 0958")
    rows = log.recent()
    assert [r["message_id"] for r in rows] == [b, a]
    ra = rows[1]
    assert ra["question"] == "does it help? mail me: [email]"
    assert ra["ups"] == 1 and ra["downs"] == 1 and ra["comments"] == "wrong, ring [phone]"
    assert ra["citations"] == [{"n": 1, "article_id": "a", "section": "S", "version": "1"}]
    assert ra["session_id"] == "s-1" and ra["channel"] == "api" and ra["top_score"] == 0.7
    assert [r["message_id"] for r in log.recent(route="no_answer")] == [b]
    log.close()


def test_unknown_ids_and_bad_ratings_are_refused(tmp_path: Path) -> None:
    log = ConversationLog(tmp_path / "log.db")
    with pytest.raises(UnknownMessageError):
        log.feedback("missing", "up")
    mid = log.record(msgs("q"), answer())
    with pytest.raises(FeedbackError):
        log.feedback(mid, "meh")  # type: ignore[arg-type]


def test_disabled_log_stores_nothing_but_accepts_feedback(tmp_path: Path) -> None:
    log = ConversationLog(tmp_path / "log.db", enabled=False)
    mid = log.record(msgs("secret question"), answer())
    assert log.feedback(mid, "up") == 0
    db = sqlite3.connect(tmp_path / "log.db")
    assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0


def test_concurrent_writers(tmp_path: Path) -> None:
    log = ConversationLog(tmp_path / "log.db")
    ids: list[str] = []

    def work(i: int) -> None:
        for j in range(25):
            mid = log.record(msgs(f"q{i}-{j}"), answer())
            log.feedback(mid, "up")
            ids.append(mid)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 200
    assert len(log.recent(limit=1000)) == 200
    # a second connection (the content team's) sees everything
    db = sqlite3.connect(tmp_path / "log.db")
    assert db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 200


def test_failed_filter_and_cli_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.interfaces.cli import main

    db = tmp_path / "log.db"
    log = ConversationLog(db)
    good = log.record(msgs("helpful one"), answer())
    bad = log.record(msgs("answered badly, mail x@y.org"), answer())
    miss = log.record(msgs("not covered"), answer("no_answer"))
    log.feedback(good, "up")
    log.feedback(bad, "down", "wrong section")
    assert {r["message_id"] for r in log.recent(failed=True)} == {bad, miss}
    log.close()
    monkeypatch.setenv("VA_SERVER__LOG_DB", str(db))
    assert main(["log", "--failed"]) == 0
    out = capsys.readouterr().out
    assert "[answer +0/-1] answered badly, mail [email]" in out
    assert "comments: wrong section" in out and "[no_answer] not covered" in out
    assert "helpful one" not in out
    monkeypatch.setenv("VA_SERVER__LOG_DB", str(tmp_path / "none.db"))
    assert main(["log"]) == 1
