"""Reading whole tables out of the ledger for exports, in chunks, so memory stays flat.

Each table is read in a fixed order (events newest first, as ``Ledger.events`` lists them) with
the filters of an events query. Rows come from the views of migration 0007 (``events_flat``,
``claims_flat``) or from the tables themselves; docs/schema.md describes every column.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from .events import NEWEST, EventFilter, actor_condition

CHUNK = 5000  # rows fetched from SQLite at a time

# The filters each table understands (every one understands all of those of events it names).
EVENT_FILTERS = tuple(EventFilter.__dataclass_fields__)
TABLE_FILTERS: dict[str, tuple[str, ...]] = {
    "events": EVENT_FILTERS,
    "claims": EVENT_FILTERS,
    "articles": ("since", "until", "article", "story"),
    "mentions": ("actor", "since", "until", "article", "story"),
    "stories": ("since", "until", "story"),
}
TABLES = tuple(TABLE_FILTERS)


def _event_where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    return EventFilter(**filters).where()


def _article_where(filters: dict[str, Any], alias: str, article_column: str
                   ) -> tuple[list[str], list[Any]]:
    """Clauses on the article of a row: its publication date, id and story."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.get("since"):
        clauses.append(f"{alias}.published >= ?")
        params.append(filters["since"])
    if filters.get("until"):
        clauses.append(f"{alias}.published <= ?")
        params.append(filters["until"])
    if filters.get("article"):
        clauses.append(f"{article_column} = ?")
        params.append(filters["article"])
    if filters.get("story"):
        clauses.append(f"{article_column} IN (SELECT article_id FROM story_articles"
                       " WHERE story_id = ?)")
        params.append(filters["story"])
    return clauses, params


def _where(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def query(table: str, filters: dict[str, Any]) -> tuple[str, list[Any]]:
    """The SQL and parameters that read ``table`` with ``filters``, in export order."""
    if table == "events":
        where, params = _event_where(filters)
        return f"SELECT * FROM events_flat e{where} ORDER BY {NEWEST}", params
    if table == "claims":
        where, params = _event_where(filters)
        clause = f" WHERE c.event_id IN (SELECT e.id FROM events e{where})" if where else ""
        return ("SELECT c.* FROM claims_flat c" + clause +
                " ORDER BY c.date IS NULL, c.date DESC, c.article_id, c.id"), params
    if table == "articles":
        clauses, params = _article_where(filters, "a", "a.id")
        return ("SELECT a.id, a.title, a.url, a.outlet, a.outlet_country, a.outlet_code,"
                " a.published, a.date_source, a.dateline_place,"
                " a.dateline_country, a.words, a.duplicate_of, a.similarity, a.source,"
                " a.ingested_at, s.story_id, a.text FROM articles a"
                " LEFT JOIN story_articles s ON s.article_id = a.id" + _where(clauses) +
                " ORDER BY a.published IS NULL, a.published DESC, a.seq"), params
    if table == "mentions":
        clauses, params = _article_where(filters, "a", "m.article_id")
        if filters.get("actor"):
            clause, values = actor_condition("m.code", "m.country", filters["actor"])
            clauses.append(clause)
            params.extend(values)
        return ("SELECT m.article_id, m.start, m.end, m.text, m.code, m.name, m.country,"
                " m.sector, m.role, m.sentence, m.rule, a.published AS article_published"
                " FROM mentions m JOIN articles a ON a.id = m.article_id" + _where(clauses) +
                " ORDER BY a.published IS NULL, a.published DESC, a.seq, m.start, m.end,"
                " m.code"), params
    if table == "stories":
        clauses, params = [], []
        if filters.get("since"):  # active in the window: it ends on or after its start
            clauses.append("s.last_date >= ?")
            params.append(filters["since"])
        if filters.get("until"):
            clauses.append("s.first_date <= ?")
            params.append(filters["until"])
        if filters.get("story"):
            clauses.append("(s.id = ? OR s.id LIKE ?)")
            params += [filters["story"], filters["story"] + "%"]
        return ("SELECT s.id, s.label, s.first_date, s.last_date, s.articles,"
                " (SELECT json_group_array(outlet) FROM (SELECT DISTINCT a.outlet FROM"
                " story_articles x JOIN articles a ON a.id = x.article_id WHERE"
                " x.story_id = s.id AND a.outlet IS NOT NULL ORDER BY a.outlet)) AS outlets,"
                " s.event_codes FROM stories s" + _where(clauses) +
                " ORDER BY s.last_date IS NULL, s.last_date DESC, s.articles DESC,"
                " s.created_seq"), params
    raise ValueError(f"unknown table {table!r}")


def column_names(conn: sqlite3.Connection, table: str) -> set[str]:
    """The names of the columns a query of ``table`` returns."""
    sql, params = query(table, {})
    cursor = conn.execute(f"{sql} LIMIT 0", params)
    names = {d[0] for d in cursor.description}
    cursor.close()
    return names


def count(conn: sqlite3.Connection, table: str, filters: dict[str, Any]) -> int:
    """How many rows an export of ``table`` with ``filters`` holds."""
    sql, params = query(table, filters)
    return conn.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0]


def chunks(conn: sqlite3.Connection, table: str, filters: dict[str, Any], *,
           size: int = CHUNK) -> Iterator[list[sqlite3.Row]]:
    """The rows of ``table`` matching ``filters``, ``size`` at a time.

    The file is read without memory mapping meanwhile (``mmap_size`` 0, restored after): a
    scan of the whole ledger through the map would leave up to ``db.MMAP_BYTES`` of it resident
    in the process, so memory would grow with the ledger up to that size; through SQLite's page
    cache it stays at the cache's size."""
    sql, params = query(table, filters)
    mapped = conn.execute("PRAGMA mmap_size").fetchone()
    conn.execute("PRAGMA mmap_size = 0")
    cursor = conn.execute(sql, params)
    try:
        while True:
            rows = cursor.fetchmany(size)
            if not rows:
                return
            yield rows
    finally:
        try:
            cursor.close()
            if mapped is not None:
                conn.execute(f"PRAGMA mmap_size = {int(mapped[0])}")
        except sqlite3.ProgrammingError:  # the connection was closed before the rows were
            pass
