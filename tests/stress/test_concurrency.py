"""Several writers on one ledger: a locked ledger is waited for and retried, never a failure;
an article another ingest stored meanwhile is not stored twice; a new ledger opened by two
processes at once is created and migrated once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsledger import Ledger
from newsledger.store import db as store_db
from newsledger.store.db import connect, health, retrying, table_counts, transaction

from stressdata import article_texts, child_env, write_articles


def sound(conn: sqlite3.Connection) -> None:
    """The ledger passes every check of ``health``."""
    found = health(conn)
    assert found["integrity"] == "ok"
    assert found["fts"] == "ok"
    assert found["foreign_keys"] == 0
    assert found["orphans"] == {}
    assert (found["unanalysed"], found["unplaced"], found["empty_merged"]) == (0, 0, 0)


def hold_lock(path: Path, seconds: float, started: threading.Event) -> threading.Thread:
    def run() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_transaction_waits_past_the_busy_timeout_for_a_locked_ledger(tmp_path):
    path = tmp_path / "ledger.db"
    conn = connect(path)
    conn.execute("PRAGMA busy_timeout = 20")  # SQLite alone would give up after 20 ms
    started = threading.Event()
    holder = hold_lock(path, 0.6, started)
    started.wait()
    began = time.monotonic()
    with transaction(conn):
        conn.execute("INSERT INTO counters VALUES ('probe', 1)")
    waited = time.monotonic() - began
    holder.join()
    assert waited >= 0.5  # it did wait for the other writer …
    assert conn.execute("SELECT value FROM counters WHERE name = 'probe'").fetchone()[0] == 1


def test_retrying_gives_up_after_its_patience(tmp_path):
    path = tmp_path / "ledger.db"
    conn = connect(path)
    conn.execute("PRAGMA busy_timeout = 10")
    started = threading.Event()
    holder = hold_lock(path, 1.0, started)
    started.wait()
    with pytest.raises(sqlite3.OperationalError) as caught:
        retrying(lambda: conn.execute("BEGIN IMMEDIATE"), patience=0.2)
    holder.join()
    assert store_db.is_locked(caught.value)


def test_retrying_does_not_retry_other_errors():
    calls = []

    def broken():
        calls.append(1)
        raise sqlite3.OperationalError("no such table: nothing")

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        retrying(broken, patience=5)
    assert calls == [1]


def test_an_article_stored_meanwhile_by_another_ingest_is_not_stored_twice(tmp_path):
    path = tmp_path / "ledger.db"
    inputs = write_articles(tmp_path / "in", 6, seed=1)
    first, second = Ledger(path, coder="rules"), Ledger(path, coder="rules")
    done = []

    def other_ingest_meanwhile(report):
        # ``second`` has checked an article and not stored it yet: ``first`` stores them all
        if not done:
            done.append(first.ingest([str(p) for p in inputs]))

    report = second.ingest([str(p) for p in inputs], progress=other_ingest_meanwhile)
    assert done[0].added == 6
    assert report.added == 0 and report.failed == []
    assert report.unchanged + report.duplicates == 6
    counts = table_counts(second.conn)
    assert counts["articles"] == 6
    assert counts["story_articles"] == 6
    alone = Ledger(tmp_path / "alone.db", coder="rules")
    alone.ingest([str(p) for p in inputs])
    assert table_counts(alone.conn) == counts  # the same rows as one ingest alone
    sound(second.conn)


def test_a_near_copy_stored_meanwhile_makes_this_article_a_copy(tmp_path):
    path = tmp_path / "ledger.db"
    text = article_texts(1, seed=2)[0]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    original = tmp_path / "a" / "original.txt"
    original.write_text(text)
    edited = tmp_path / "b" / "edited.txt"
    edited.write_text(text + " Updated at noon.")
    first, second = Ledger(path, coder="rules"), Ledger(path, coder="rules")
    done = []

    def other_ingest_meanwhile(report):
        if not done:
            done.append(first.ingest([str(original)]))

    report = second.ingest([str(edited)], progress=other_ingest_meanwhile)
    assert done[0].added == 1
    assert (report.added, report.duplicates) == (0, 1)
    rows = second.conn.execute("SELECT id, duplicate_of, analysed FROM articles").fetchall()
    assert len(rows) == 2
    originals = [r for r in rows if r["duplicate_of"] is None]
    copies = [r for r in rows if r["duplicate_of"] is not None]
    assert len(originals) == 1 and len(copies) == 1
    assert copies[0]["duplicate_of"] == originals[0]["id"]
    # the copy's analysis was dropped: no events or sentences of its own
    assert second.conn.execute("SELECT COUNT(*) FROM events WHERE article_id = ?",
                               (copies[0]["id"],)).fetchone()[0] == 0
    sound(second.conn)


def test_health_finds_orphans_and_missing_analysis(tmp_path):
    path = tmp_path / "ledger.db"
    with Ledger(path, coder="rules") as ledger:
        ledger.ingest([str(p) for p in write_articles(tmp_path / "in", 3, seed=3)])
        sound(ledger.conn)
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("INSERT INTO story_articles VALUES ('no-such-story', 'no-such-article', NULL,"
                " NULL)")
    raw.execute("UPDATE articles SET analysed = 0 WHERE seq = 1")
    raw.close()
    found = health(connect(path))
    assert found["orphans"] == {"story_articles.article_id": 1, "story_articles.story_id": 1}
    assert found["unanalysed"] == 1
    assert found["integrity"] == "ok"


def test_a_new_ledger_opened_by_processes_at_once_is_migrated_once(tmp_path):
    path = tmp_path / "new.db"
    code = ("import sys; from newsledger.store.db import connect; "
            "connect(sys.argv[1]).close(); print('ok')")
    children = [subprocess.Popen([sys.executable, "-c", code, str(path)], env=child_env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(4)]
    results = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 4, results
    assert all(out.strip() == "ok" and "locked" not in err for out, err in results)
    conn = connect(path)
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == [version for version, _, _ in store_db.migrations()]  # each once
