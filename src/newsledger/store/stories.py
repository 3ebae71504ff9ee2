"""Stories and merged events in the ledger: listing and reading them."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def stories(conn: sqlite3.Connection, *, limit: int = 50, offset: int = 0,
            min_articles: int = 1) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT id, label, first_date, last_date, articles FROM stories WHERE articles >= ?"
        " ORDER BY last_date IS NULL, last_date DESC, articles DESC, created_seq LIMIT ?"
        " OFFSET ?", (min_articles, limit, offset)).fetchall()
    return [dict(row) | {"outlets": _outlets(conn, row["id"])} for row in rows]


def story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    prefix = story_id.lower()  # ids are lower-case hex; an id is a prefix of itself
    row = conn.execute("SELECT id, label, first_date, last_date, articles FROM stories"
                       " WHERE id >= ? AND id < ?", (prefix, prefix + "\uffff")).fetchone()
    if row is None:
        return None
    articles = [dict(r) for r in conn.execute(
        "SELECT a.id, a.title, a.outlet, a.published, a.duplicate_of, s.score, s.reason"
        " FROM story_articles s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?"
        " ORDER BY a.published IS NULL, a.published, a.seq", (row["id"],))]
    return dict(row) | {"outlets": _outlets(conn, row["id"]), "article_list": articles}


def story_of(conn: sqlite3.Connection, article_id: str) -> str | None:
    row = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?",
                       (article_id,)).fetchone()
    return row[0] if row else None


def _outlets(conn: sqlite3.Connection, story_id: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT a.outlet FROM story_articles s JOIN articles a ON a.id = s.article_id"
        " WHERE s.story_id = ? AND a.outlet IS NOT NULL ORDER BY a.outlet", (story_id,))]


def merged_event(conn: sqlite3.Connection, merged_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM merged_events WHERE id = ?", (merged_id,)).fetchone()
    if row is None:
        return None
    mentions = [dict(r) for r in conn.execute(
        "SELECT e.id, e.article_id, a.outlet, a.published, e.date, e.source_code,"
        " e.target_code, e.cameo, e.merge_reason FROM events e JOIN articles a"
        " ON a.id = e.article_id WHERE e.merged_id = ? ORDER BY e.date, a.seq", (merged_id,))]
    data = dict(row)
    data["outlets"] = json.loads(data["outlets"])
    data["mention_list"] = mentions
    return data


def merged_id_of(conn: sqlite3.Connection, event_id: str) -> str | None:
    row = conn.execute("SELECT merged_id FROM events WHERE id = ?", (event_id,)).fetchone()
    return row[0] if row else None


def merged_claims(conn: sqlite3.Connection, merged_id: str) -> dict[str, Any] | None:
    """The claims of a merged event's mentions together: asserters and deniers are the union,
    and the status follows."""
    rows = conn.execute("SELECT c.asserted_by, c.denied_by, c.confirmed_by FROM claims c"
                        " JOIN events e ON e.id = c.event_id WHERE e.merged_id = ?",
                        (merged_id,)).fetchall()
    if not rows:
        return None
    union: dict[str, list[str]] = {"asserted_by": [], "denied_by": [], "confirmed_by": []}
    for row in rows:
        for key in union:
            for code in json.loads(row[key]):
                if code not in union[key]:
                    union[key].append(code)
    from ..claims.build import status_of

    return union | {"status": status_of(union["asserted_by"], union["denied_by"],
                                        union["confirmed_by"], None)}
