"""Claims in the ledger: storing them and listing them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from ..model import Claim
from .events import actor_condition, json_actor_condition


def replace_claims(conn: sqlite3.Connection, article_id: str, claims: Iterable[Claim]) -> None:
    conn.execute("DELETE FROM claims WHERE article_id = ?", (article_id,))
    conn.executemany(
        "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(c.id, c.article_id, c.event_id, c.status, json.dumps(c.asserted_by),
          json.dumps(c.denied_by), json.dumps(c.confirmed_by), json.dumps(c.evidence))
         for c in claims])


def search(conn: sqlite3.Connection, *, status: str | None = None, actor: str | None = None,
           article: str | None = None, story: str | None = None, limit: int = 100,
           offset: int = 0) -> list[Claim]:
    """Claims, newest articles first; ``actor`` matches asserters, deniers or the event's
    source and target (a code, or a country code); ``story``: the claims of a story's
    articles. A negative ``limit`` is no limit."""
    where, params = [], []
    if status:
        where.append("c.status = ?")
        params.append(status)
    if article:
        where.append("c.article_id = ?")
        params.append(article)
    if story:
        where.append("c.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)")
        params.append(story)
    if actor:
        conditions = [actor_condition("e.source_code", "e.source_country", actor),
                      actor_condition("e.target_code", "e.target_country", actor),
                      json_actor_condition("c.asserted_by", actor),
                      json_actor_condition("c.denied_by", actor)]
        where.append("(" + " OR ".join(clause for clause, _ in conditions) + ")")
        params += [value for _, values in conditions for value in values]
    sql = " WHERE " + " AND ".join(where) if where else ""
    rows = conn.execute(
        "SELECT c.* FROM claims c JOIN events e ON e.id = c.event_id"
        f" JOIN articles a ON a.id = c.article_id{sql}"
        " ORDER BY a.published IS NULL, a.published DESC, c.article_id, e.sentence_start"
        " LIMIT ? OFFSET ?", [*params, limit, offset])
    return [Claim(id=r["id"], article_id=r["article_id"], event_id=r["event_id"],
                  status=r["status"], asserted_by=json.loads(r["asserted_by"]),
                  denied_by=json.loads(r["denied_by"]),
                  confirmed_by=json.loads(r["confirmed_by"]),
                  evidence=json.loads(r["evidence"])) for r in rows]
