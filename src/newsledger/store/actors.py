"""Actor mentions in the ledger: storing them and asking which actors the news names."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from ..model import Mention


def replace_mentions(conn: sqlite3.Connection, article_id: str, mentions: Iterable[Mention]
                     ) -> None:
    """Store the mentions of an article, replacing any stored before."""
    conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(article_id, m.start, m.end, m.text, m.actor.code, m.actor.name, m.actor.country,
          m.actor.sector, m.role, m.sentence, m.rule) for m in mentions],
    )


def counts(conn: sqlite3.Connection, *, country: str | None = None, role: str = "actor",
           limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Actors seen, most mentioned first: code, a name, country, sector, mentions, articles."""
    where, params = ["role = ?"], [role]
    if country:
        where.append("country = ?")
        params.append(country)
    rows = conn.execute(
        "SELECT code, MAX(name) AS name, country, sector, COUNT(*) AS mentions,"
        " COUNT(DISTINCT article_id) AS articles FROM mentions"
        f" WHERE {' AND '.join(where)} GROUP BY code"
        " ORDER BY mentions DESC, code LIMIT ? OFFSET ?", [*params, limit, offset])
    return [dict(row) for row in rows]


def one(conn: sqlite3.Connection, code: str, *, examples: int = 20) -> dict[str, Any] | None:
    """One actor: its names, how often it is mentioned (``mention_count``, ``articles``), and
    its latest ``examples`` mentions with the rules that resolved them."""
    summary = conn.execute(
        "SELECT code, country, sector, COUNT(*) AS mention_count,"
        " COUNT(DISTINCT article_id) AS articles FROM mentions WHERE code = ? AND role = 'actor'"
        " GROUP BY code", (code,)).fetchone()
    if summary is None:
        return None
    names = [row[0] for row in conn.execute(
        "SELECT name FROM mentions WHERE code = ? GROUP BY name ORDER BY COUNT(*) DESC",
        (code,))]
    rows = conn.execute(
        "SELECT m.article_id, m.start, m.end, m.text, m.rule, a.published, a.title"
        " FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.code = ? AND m.role = 'actor' ORDER BY a.published DESC, m.start LIMIT ?",
        (code, examples))
    return {**dict(summary), "names": names,
            "mentions": [dict(row) | {"span": [row["start"], row["end"]]} for row in rows]}
