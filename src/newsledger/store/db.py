"""Open a ledger file: SQLite in WAL mode, with its schema brought up to date.

The schema lives in ``migrations/NNNN_name.sql`` files, applied in order, each in its own
transaction, and recorded in ``schema_version``. A file written by a newer newsledger, or a SQLite
file that is not a ledger, is refused rather than changed.

Several processes may use one ledger at once (two ``ingest`` runs and a server): readers never
wait in WAL mode, and a writer that finds the file locked waits (``busy_timeout``) and then
retries its transaction with a growing pause, for up to ``LOCK_PATIENCE`` seconds, instead of
failing with "database is locked". A write transaction is all or nothing, so a process killed at
any moment leaves the file as it was after its last commit.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from ..errors import Errors, LedgerError

MEMORY = ":memory:"
CACHE_KIB = 64 * 1024  # page cache of a connection
MMAP_BYTES = 256 * 1024 * 1024
BUSY_TIMEOUT_MS = 10_000  # SQLite's own wait for a lock, per statement
LOCK_PATIENCE = 300.0  # seconds a writer keeps retrying a locked ledger before giving up
_MIGRATION = re.compile(r"^(\d{4})_[\w-]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """The (version, name, sql) of every migration shipped with the package, in order."""
    folder = resources.files("newsledger.store").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def latest_version() -> int:
    return migrations()[-1][0]


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (or create) the ledger at ``path`` and migrate it to the current schema.

    readonly: open without write access; the schema must already be current.
    """
    path = str(path)
    try:
        if readonly and path != MEMORY:
            conn = _open_readonly(path)
        else:
            if path != MEMORY:
                try:
                    Path(path).parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise LedgerError(Errors.E207.format(path=path, detail=exc.strerror or exc)
                                      ) from None
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # keep the indexes in memory
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        if not readonly and path != MEMORY:
            retrying(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            conn.execute("PRAGMA synchronous = NORMAL")
        _check_and_migrate(conn, path, readonly=readonly)
    except sqlite3.DatabaseError as exc:
        raise LedgerError(Errors.E203.format(path=path, detail=exc)) from None
    except OSError as exc:
        raise LedgerError(Errors.E203.format(path=path, detail=exc.strerror or exc)) from None
    return conn


def _open_readonly(path: str) -> sqlite3.Connection:
    """Open an existing ledger read-only (``mode=ro``); on read-only storage, where SQLite
    cannot make the WAL index beside it, as an unchanging file (``immutable=1``)."""
    file = Path(path).resolve()
    if not file.is_file():
        raise LedgerError(Errors.E206.format(path=path))
    uri = file.as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        if os.access(file.parent, os.W_OK) and os.access(file, os.W_OK):
            raise
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None,
                               check_same_thread=False)
    return conn


def _check_and_migrate(conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
    if readonly:
        _check_ledger(conn, path, readonly=True)
        current = _current_version(conn)
    else:
        # Checked and created under the write lock: two processes opening a new ledger at once
        # must not both create it.
        with transaction(conn):
            _check_ledger(conn, path, readonly=False)
            current = _current_version(conn)
    known = latest_version()
    if current > known:
        raise LedgerError(Errors.E202.format(path=path, found=current, known=known))
    # Every shipped migration not yet applied, lower numbers too: a migration that lands after
    # a higher-numbered one was applied (numbers handed out ahead) is applied, not skipped.
    applied = {row[0] for row in conn.execute("SELECT version FROM schema_version")}
    pending = [(version, name, sql) for version, name, sql in migrations()
               if version not in applied]
    if pending and readonly:
        raise LedgerError(Errors.E203.format(
            path=path, detail=f"schema version {current} needs migrating; open it for writing once"))
    for version, name, sql in pending:
        with transaction(conn):
            if conn.execute("SELECT 1 FROM schema_version WHERE version = ?",
                            (version,)).fetchone():
                continue  # another process applied it meanwhile
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (version, name, now()))


def _check_ledger(conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
    """Refuse a SQLite file that is not a ledger; start the schema of an empty one."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "schema_version" in tables:
        return
    if tables:
        raise LedgerError(Errors.E201.format(path=path))
    if readonly:
        raise LedgerError(Errors.E203.format(path=path, detail="empty file, opened read-only"))
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )


def _current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]


def _statements(sql: str) -> Iterator[str]:
    """Split a migration into statements (``sqlite3.complete_statement`` knows where they end)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def is_locked(error: sqlite3.OperationalError) -> bool:
    """Whether ``error`` is SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED and their extended codes
    return "locked" in str(error) or "busy" in str(error)


T = typing.TypeVar("T")


def retrying(action: typing.Callable[[], T], patience: float = LOCK_PATIENCE) -> T:
    """``action()``, retried while the ledger is locked by another process, with a growing,
    jittered pause, for up to ``patience`` seconds."""
    deadline = time.monotonic() + patience
    pause = 0.05
    while True:
        try:
            return action()
        except sqlite3.OperationalError as error:
            if not is_locked(error) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause * (0.5 + random.random()))
        pause = min(pause * 2, 2.0)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it is stored, or none of it. The write lock is taken
    first (``BEGIN IMMEDIATE``), waiting and retrying while another process holds it."""
    retrying(lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Rows that must point to something: (table, column, referenced table, referenced column).
_LINKS = (
    ("article_sources", "article_id", "articles", "id"),
    ("fingerprints", "article_id", "articles", "id"),
    ("fingerprint_bands", "article_id", "articles", "id"),
    ("sentences", "article_id", "articles", "id"),
    ("mentions", "article_id", "articles", "id"),
    ("events", "article_id", "articles", "id"),
    ("events", "merged_id", "merged_events", "id"),
    ("claims", "article_id", "articles", "id"),
    ("claims", "event_id", "events", "id"),
    ("story_articles", "article_id", "articles", "id"),
    ("story_articles", "story_id", "stories", "id"),
    ("articles", "duplicate_of", "articles", "id"),
)


def health(conn: sqlite3.Connection) -> dict[str, typing.Any]:
    """What a ledger's consistency checks find: ``integrity`` ("ok" when SQLite's
    ``integrity_check`` passes), ``orphans`` (rows pointing to a missing row, by link),
    ``unanalysed`` (stored originals without their analysis), ``unplaced`` (articles in no
    story) and ``empty_merged`` (merged events no event belongs to); ``fts`` is "ok" when the
    full-text index matches the articles ("unchecked" on a read-only connection). All zero on a
    sound ledger."""
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    orphans = {}
    for table, column, target, key in _LINKS:
        count = conn.execute(
            f"SELECT COUNT(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS"
            f" (SELECT 1 FROM {target} r WHERE r.{key} = t.{column})").fetchone()[0]
        if count:
            orphans[f"{table}.{column}"] = count
    scalar = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "integrity": "ok" if integrity == ["ok"] else "; ".join(integrity[:5]),
        "fts": _fts_health(conn),
        "foreign_keys": len(conn.execute("PRAGMA foreign_key_check").fetchall()),
        "orphans": orphans,
        "unanalysed": scalar("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL"
                             " AND analysed = 0"),
        "unplaced": scalar("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS"
                           " (SELECT 1 FROM story_articles s WHERE s.article_id = a.id)"),
        "empty_merged": scalar("SELECT COUNT(*) FROM merged_events m WHERE NOT EXISTS"
                               " (SELECT 1 FROM events e WHERE e.merged_id = m.id)"),
    }


def _fts_health(conn: sqlite3.Connection) -> str:
    """FTS5's own check of the article index against the articles table."""
    try:
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.OperationalError as error:
        if "readonly" in str(error):
            return "unchecked"
        return str(error)
    except sqlite3.DatabaseError as error:  # SQLITE_CORRUPT_VTAB: index and articles differ
        return str(error)
    return "ok"


def stats(conn: sqlite3.Connection) -> dict[str, int]:
    """Counts of what the ledger holds: articles (of which duplicates, words, analysed),
    sources, outlets, mentions, events and claims."""
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(duplicate_of IS NOT NULL), 0), COALESCE(SUM(words), 0),"
        " COALESCE(SUM(analysed), 0), COUNT(DISTINCT outlet) FROM articles").fetchone()
    scalar = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {"articles": row[0], "duplicates": row[1], "words": row[2], "analysed": row[3],
            "sources": scalar("SELECT COUNT(*) FROM article_sources"), "outlets": row[4],
            "mentions": scalar("SELECT COUNT(*) FROM mentions"),
            "events": scalar("SELECT COUNT(*) FROM events"),
            "claims": scalar("SELECT COUNT(*) FROM claims")}


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in each table of the ledger (FTS shadow tables left out)."""
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%'"
        " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}
