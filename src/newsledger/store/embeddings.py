"""Stored vectors of articles and events (``stories/embed.py``): written once, read by story
clustering and event merging."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np

from ..stories.embed import pack, unpack


def put_article(conn: sqlite3.Connection, article_id: str, model: str, vector: np.ndarray
                ) -> None:
    conn.execute("INSERT OR REPLACE INTO article_embeddings VALUES (?, ?, ?)",
                 (article_id, model, pack(vector)))


def article(conn: sqlite3.Connection, article_id: str, model: str) -> np.ndarray | None:
    """The stored vector of ``article_id`` by encoder ``model``, or None."""
    row = conn.execute("SELECT vector FROM article_embeddings WHERE article_id = ? AND model = ?",
                       (article_id, model)).fetchone()
    return unpack(row[0]) if row else None


def put_events(conn: sqlite3.Connection, vectors: Iterable[tuple[str, np.ndarray]]) -> None:
    conn.executemany("INSERT OR REPLACE INTO event_embeddings VALUES (?, ?)",
                     [(event_id, pack(vector)) for event_id, vector in vectors])


def event(conn: sqlite3.Connection, event_id: str) -> np.ndarray | None:
    row = conn.execute("SELECT vector FROM event_embeddings WHERE event_id = ?",
                       (event_id,)).fetchone()
    return unpack(row[0]) if row else None


def story(conn: sqlite3.Connection, story_id: str) -> np.ndarray | None:
    row = conn.execute("SELECT embedding FROM stories WHERE id = ?", (story_id,)).fetchone()
    return unpack(row[0]) if row and row[0] is not None else None


def set_story(conn: sqlite3.Connection, story_id: str, vector: np.ndarray) -> None:
    conn.execute("UPDATE stories SET embedding = ? WHERE id = ?", (pack(vector), story_id))


def recent_stories(conn: sqlite3.Connection, since: str | None, limit: int
                   ) -> list[tuple[str, np.ndarray]]:
    """The vectors of the ``limit`` stories changed last among those whose last article is
    dated ``since`` or later (all dated ones when ``since`` is None), and the undated ones."""
    rows = conn.execute(
        "SELECT id, embedding FROM stories WHERE embedding IS NOT NULL AND"
        " (last_date IS NULL OR last_date >= ?) ORDER BY touched_seq DESC LIMIT ?",
        (since or "", limit)).fetchall()
    return [(row[0], unpack(row[1])) for row in rows]


def merged(conn: sqlite3.Connection, merged_id: str) -> np.ndarray | None:
    row = conn.execute("SELECT embedding FROM merged_events WHERE id = ?",
                       (merged_id,)).fetchone()
    return unpack(row[0]) if row and row[0] is not None else None


def set_merged(conn: sqlite3.Connection, merged_id: str, vector: np.ndarray) -> None:
    conn.execute("UPDATE merged_events SET embedding = ? WHERE id = ?", (pack(vector), merged_id))
