"""Open a ledger file: SQLite in WAL mode, with its schema brought up to date.

The schema lives in ``migrations/NNNN_name.sql`` files, applied in order, each in its own
transaction, and recorded in ``schema_version``. A file written by a newer newsledger, or a SQLite
file that is not a ledger, is refused rather than changed.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from ..errors import Errors, LedgerError

MEMORY = ":memory:"
CACHE_KIB = 64 * 1024  # page cache of a connection
MMAP_BYTES = 256 * 1024 * 1024
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
            uri = Path(path).resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            if path != MEMORY:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # keep the indexes in memory
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        if not readonly and path != MEMORY:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        _check_and_migrate(conn, path, readonly=readonly)
    except sqlite3.DatabaseError as exc:
        raise LedgerError(Errors.E203.format(path=path, detail=exc)) from None
    return conn


def _check_and_migrate(conn: sqlite3.Connection, path: str, *, readonly: bool) -> None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "schema_version" not in tables:
        if tables:
            raise LedgerError(Errors.E201.format(path=path))
        if readonly:
            raise LedgerError(Errors.E203.format(path=path, detail="empty file, opened read-only"))
        conn.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TEXT NOT NULL)"
        )
    current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
    known = latest_version()
    if current > known:
        raise LedgerError(Errors.E202.format(path=path, found=current, known=known))
    pending = [(version, name, sql) for version, name, sql in migrations() if version > current]
    if pending and readonly:
        raise LedgerError(Errors.E203.format(
            path=path, detail=f"schema version {current} needs migrating; open it for writing once"))
    for version, name, sql in pending:
        with transaction(conn):
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (version, name, now()))


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


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it is stored, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
