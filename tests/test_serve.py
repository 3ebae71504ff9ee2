"""The API's read paths and the ``serve`` process: actor counts kept by triggers equal to
grouping the mentions, the newest-first article listing read from its index, and a real
``newsledger serve`` on 127.0.0.1 answering a 1 MB query string with a 414 (not a reset)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newsledger import Ledger
from newsledger.store.actors import counts

ROOT = Path(__file__).resolve().parents[1]

# -- actor counts -----------------------------------------------------------------------------


def _grouped(conn, country=None, role="actor", limit=100, offset=0):
    """The listing as the mentions give it, grouped on every call (the query before 0013)."""
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


def _article(conn, article_id):
    conn.execute("INSERT INTO articles (id, text, words, source, ingested_at)"
                 " VALUES (?, 'x', 1, 'test', '2024-01-01')", (article_id,))


def _mention(conn, article_id, start, code, name, country, role="actor", ignore=False):
    conn.execute(f"INSERT {'OR IGNORE ' if ignore else ''}INTO mentions VALUES"
                 " (?, ?, ?, ?, ?, ?, ?, 'GOV', ?, 0, 'test')",
                 (article_id, start, start + 3, name, code, name, country, role))


def _all_listings(conn):
    return [counts(conn, **args) for args in (
        {}, {"limit": 2, "offset": 1}, {"role": "modifier"}, {"country": "KEN"},
        {"country": "UGA"}, {"country": "USA"})]


def test_actor_counts_stay_equal_to_grouping_the_mentions(tmp_path):
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        conn = ledger.conn
        for article_id in ("a1", "a2", "a3"):
            _article(conn, article_id)
        _mention(conn, "a1", 0, "KENGOV", "Kenya's government", "KEN")
        _mention(conn, "a1", 10, "KENGOV", "Nairobi", "KEN")  # same article: 1 article, 2 mentions
        _mention(conn, "a1", 20, "KENGOV", "Kenya", None)  # the same code without a country
        _mention(conn, "a2", 0, "KENGOV", "Kenyan officials", "KEN")
        _mention(conn, "a2", 0, "KENGOV", "a copy", "KEN", ignore=True)  # ignored: no count
        _mention(conn, "a2", 5, "UGAGOV", "Uganda", "UGA")
        _mention(conn, "a3", 0, "UGAGOV", "Kampala", "UGA")
        _mention(conn, "a3", 9, "UGAGOV", "Museveni", "UGA", role="modifier")
        expected = [_grouped(conn, **args) for args in (
            {}, {"limit": 2, "offset": 1}, {"role": "modifier"}, {"country": "KEN"},
            {"country": "UGA"}, {"country": "USA"})]
        assert _all_listings(conn) == expected
        kenya = counts(conn)[0]
        assert (kenya["code"], kenya["mentions"], kenya["articles"]) == ("KENGOV", 4, 2)
        assert kenya["name"] == "Nairobi"  # the greatest name, as MAX(name) gave it

        # replacing an article's mentions (as a re-analysis does) and deleting some
        conn.execute("DELETE FROM mentions WHERE article_id = 'a1' AND start = 10")
        assert counts(conn)[0]["articles"] == 2  # a1 still mentions KENGOV
        conn.execute("DELETE FROM mentions WHERE article_id = 'a1'")
        conn.execute("DELETE FROM mentions WHERE article_id = 'a3' AND role = 'modifier'")
        assert counts(conn, role="modifier") == []  # a count that reaches 0 is gone
        expected = [_grouped(conn, **args) for args in (
            {}, {"limit": 2, "offset": 1}, {"role": "modifier"}, {"country": "KEN"},
            {"country": "UGA"}, {"country": "USA"})]
        assert _all_listings(conn) == expected
        assert [(a["code"], a["mentions"], a["articles"]) for a in counts(conn)] == [
            ("UGAGOV", 2, 2), ("KENGOV", 1, 1)]


def test_mentions_cannot_be_changed_in_place_behind_the_counts(tmp_path):
    import sqlite3

    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        _article(ledger.conn, "a1")
        _mention(ledger.conn, "a1", 0, "KENGOV", "Kenya", "KEN")
        with pytest.raises(sqlite3.IntegrityError, match="replaced, never updated"):
            ledger.conn.execute("UPDATE mentions SET code = 'UGAGOV'")
        assert counts(ledger.conn)[0]["code"] == "KENGOV"


def test_the_newest_articles_are_read_from_their_index_in_the_same_order(tmp_path):
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        conn = ledger.conn
        for i, published in enumerate(["2024-01-02", None, "2024-01-03", "2024-01-02", None]):
            conn.execute("INSERT INTO articles (id, text, words, source, ingested_at, published)"
                         " VALUES (?, 'x', 1, 'test', '2024-01-01', ?)", (f"b{i}", published))
        order = "ORDER BY published IS NULL, published DESC, seq DESC"
        plan = " ".join(str(row[3]) for row in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM articles a {order} LIMIT 20"))
        assert "articles_newest" in plan and "TEMP B-TREE" not in plan
        listed = [a.id for a in ledger.articles(limit=10)]
        assert listed == ["b2", "b3", "b0", "b4", "b1"]
