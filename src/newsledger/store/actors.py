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
    """Actors seen, most mentioned first: code, a name, country, sector, mentions, articles.

    The counts come from ``actor_counts`` / ``actor_country_counts``, which triggers keep equal
    to grouping the mentions (migration 0013); the name, country and sector from the mention
    with the greatest name, as ``MAX(name)`` with bare columns gave them.
    """
    if country:
        ranked = conn.execute(
            "SELECT code, mentions, articles FROM actor_country_counts"
            " WHERE role = ? AND country_key = ? ORDER BY mentions DESC, code LIMIT ? OFFSET ?",
            (role, country, limit, offset)).fetchall()
        shown = ("SELECT MAX(name) AS name, country, sector FROM mentions"
                 " WHERE role = ? AND code = ? AND country = ?")
        extra: tuple[str, ...] = (country,)
    else:
        ranked = conn.execute(
            "SELECT code, mentions, articles FROM actor_counts"
            " WHERE role = ? ORDER BY mentions DESC, code LIMIT ? OFFSET ?",
            (role, limit, offset)).fetchall()
        shown = "SELECT MAX(name) AS name, country, sector FROM mentions WHERE role = ? AND code = ?"
        extra = ()
    found = []
    for code, mentions, articles in ranked:
        name, country_of, sector = conn.execute(shown, (role, code, *extra)).fetchone()
        found.append({"code": code, "name": name, "country": country_of, "sector": sector,
                      "mentions": mentions, "articles": articles})
    return found


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
