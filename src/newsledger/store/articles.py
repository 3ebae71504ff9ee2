"""Articles in the ledger: writing them, their sources and fingerprints, and reading them back."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from ..errors import Errors, LedgerError, NotFoundError
from ..ingest.dedup import Fingerprint
from ..model import Analysis, Article, Dateline
from .db import now

_COLUMNS = ("id, title, url, outlet, published, dateline_place, dateline_country, text, "
            "duplicate_of, similarity, source, date_source, outlet_country, outlet_code")


def insert_article(conn: sqlite3.Connection, article: Article, fingerprint: Fingerprint) -> None:
    """Store a new article with its source, its fingerprint and its LSH bands."""
    dateline = article.dateline
    cursor = conn.execute(
        "INSERT INTO articles (id, title, url, outlet, published, dateline_place, dateline_country,"
        " text, words, duplicate_of, similarity, source, ingested_at, date_source, outlet_country,"
        " outlet_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (article.id, article.title, article.url, article.outlet, article.published,
         dateline.place if dateline else None, dateline.country if dateline else None,
         article.text, article.words, article.duplicate_of, article.similarity, article.source,
         now(), article.date_source, article.outlet_country, article.outlet_code),
    )
    conn.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                 (cursor.lastrowid, article.title or "", article.text))
    insert_source(conn, article.source, article.id, article.url, article.outlet)
    conn.execute("INSERT INTO fingerprints VALUES (?, ?, ?)",
                 (article.id, fingerprint.to_bytes(), fingerprint.shingles))
    conn.executemany("INSERT OR IGNORE INTO fingerprint_bands VALUES (?, ?)",
                     [(key, article.id) for key in fingerprint.band_keys()])


def insert_source(conn: sqlite3.Connection, source: str, article_id: str, url: str | None,
                  outlet: str | None) -> bool:
    """Record that ``article_id`` was read from ``source``; False if that was known already."""
    cursor = conn.execute("INSERT OR IGNORE INTO article_sources VALUES (?, ?, ?, ?, ?)",
                          (source, article_id, url, outlet, now()))
    return cursor.rowcount > 0


def has_source(conn: sqlite3.Connection, source: str, article_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM article_sources WHERE source = ? AND article_id = ?",
                       (source, article_id)).fetchone()
    return row is not None


def exists(conn: sqlite3.Connection, article_id: str) -> bool:
    return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def similar(conn: sqlite3.Connection, fingerprint: Fingerprint) -> list[tuple[str, Fingerprint]]:
    """Stored originals (not duplicates themselves) that share an LSH band with ``fingerprint``."""
    keys = fingerprint.band_keys()
    rows = conn.execute(
        "SELECT f.article_id, f.signature, f.shingles FROM fingerprints f"
        " JOIN articles a ON a.id = f.article_id AND a.duplicate_of IS NULL"
        f" WHERE f.article_id IN (SELECT article_id FROM fingerprint_bands"
        f" WHERE band_key IN ({','.join('?' * len(keys))})) ORDER BY a.seq",
        keys,
    ).fetchall()
    return [(row[0], Fingerprint.from_bytes(row[1], row[2])) for row in rows]


def insert_analysis(conn: sqlite3.Connection, analysis: Analysis) -> None:
    """Store what the language stages found in an article, and mark it analysed."""
    from . import actors, claims, events

    conn.execute("DELETE FROM sentences WHERE article_id = ?", (analysis.article_id,))
    conn.executemany("INSERT INTO sentences VALUES (?, ?, ?, ?)",
                     [(analysis.article_id, i, s.start, s.end)
                      for i, s in enumerate(analysis.sentences)])
    actors.replace_mentions(conn, analysis.article_id, analysis.mentions)
    events.replace_events(conn, analysis.article_id, analysis.events)
    claims.replace_claims(conn, analysis.article_id, analysis.claims)
    conn.execute("UPDATE articles SET analysed = 1 WHERE id = ?", (analysis.article_id,))


def _article(row: sqlite3.Row) -> Article:
    place, country = row["dateline_place"], row["dateline_country"]
    return Article(
        id=row["id"], text=row["text"], title=row["title"], url=row["url"], outlet=row["outlet"],
        published=row["published"],
        dateline=Dateline(place, country) if place or country else None,
        source=row["source"], duplicate_of=row["duplicate_of"], similarity=row["similarity"],
        date_source=row["date_source"], outlet_country=row["outlet_country"],
        outlet_code=row["outlet_code"],
    )


def get(conn: sqlite3.Connection, article_id: str) -> Article:
    """The article with id ``article_id``, or the only one whose id starts with it."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None and article_id and re.fullmatch(r"[0-9a-f]+", article_id):
        rows = conn.execute(f"SELECT {_COLUMNS} FROM articles WHERE id >= ? AND id < ? LIMIT 6",
                            (article_id, article_id + "g")).fetchall()
        if len(rows) > 1:
            ids = ", ".join(r["id"] for r in rows[:5])
            raise LedgerError(Errors.E205.format(id=article_id, matches=ids))
        row = rows[0] if rows else None
    if row is None:
        raise NotFoundError(Errors.E204.format(id=article_id))
    return _article(row)


def sources(conn: sqlite3.Connection, article_id: str) -> list[dict[str, str | None]]:
    rows = conn.execute("SELECT source, url, outlet, seen_at FROM article_sources"
                        " WHERE article_id = ? ORDER BY seen_at, source", (article_id,))
    return [dict(row) for row in rows]


def fts_query(text: str) -> str:
    """A safe FTS5 query from plain words: every word must appear (``"north" "korea"``)."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{word}"' for word in words)


def search(conn: sqlite3.Connection, *, text: str | None = None, outlet: str | None = None,
           since: str | None = None, until: str | None = None, duplicates: bool = True,
           limit: int = 50, offset: int = 0) -> list[Article]:
    """Articles, newest first, or by relevance when ``text`` is given (full-text search)."""
    where, params = [], []
    if outlet:
        where.append("a.outlet = ?")
        params.append(outlet)
    if since:
        where.append("a.published >= ?")
        params.append(since)
    if until:
        where.append("a.published <= ?")
        params.append(until)
    if not duplicates:
        where.append("a.duplicate_of IS NULL")
    columns = ", ".join(f"a.{c.strip()}" for c in _COLUMNS.split(","))
    if text:
        query = fts_query(text)
        if not query:
            return []
        sql = (f"SELECT {columns} FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
               f" WHERE articles_fts MATCH ?{''.join(' AND ' + w for w in where)}"
               " ORDER BY articles_fts.rank LIMIT ? OFFSET ?")
        params = [query, *params]
    else:
        sql = (f"SELECT {columns} FROM articles a"
               f"{' WHERE ' + ' AND '.join(where) if where else ''}"
               " ORDER BY a.published IS NULL, a.published DESC, a.seq DESC LIMIT ? OFFSET ?")
    return [_article(row) for row in conn.execute(sql, [*params, limit, offset])]


def count(conn: sqlite3.Connection) -> dict[str, int]:
    row = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(duplicate_of IS NOT NULL), 0), COALESCE(SUM(words), 0),"
        " COALESCE(SUM(analysed), 0) FROM articles").fetchone()
    sources_count = conn.execute("SELECT COUNT(*) FROM article_sources").fetchone()[0]
    return {"articles": row[0], "duplicates": row[1], "words": row[2], "analysed": row[3],
            "sources": sources_count}


def outlets(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    return [(row[0], row[1]) for row in conn.execute(
        "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
        " ORDER BY COUNT(*) DESC")]


def ids(conn: sqlite3.Connection, article_ids: Iterable[str]) -> set[str]:
    wanted = list(article_ids)
    if not wanted:
        return set()
    rows = conn.execute(f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(wanted))})",
                        wanted)
    return {row[0] for row in rows}
