"""Merge reports of the same real-world event across articles.

Two event mentions are one event when their sources and targets are the same countries (or
organisations), their CAMEO roots are the same, their places are compatible (the same country,
or one unknown), and their dates are no further apart than the root's window
(``data/stories/merge.yaml``). Each mention records why it joined (``merge_reason``); the merged
event counts its mentions, its outlets (wire copies included) and its corroboration: the
independent reports, a wire copy printed by several outlets counted once.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import sqlite3
from collections.abc import Iterable

import yaml

from ..resources import data_path
from ..actors.codes import country_of
from ..model import Event


@functools.cache
def windows() -> dict[str, int]:
    spec = yaml.safe_load(data_path("stories", "merge.yaml").read_text(encoding="utf-8"))
    return {str(k): int(v) for k, v in spec["windows"].items()}


def window(root: str) -> int:
    table = windows()
    return table.get(root, table["default"])


def country(code: str | None) -> str | None:
    """The country part of a code (``ActorCode.country``): PRKGOV → PRK, IGOUNOMIL → IGOUNO."""
    return country_of(code)


def merge_events(conn: sqlite3.Connection, events: Iterable[Event]) -> None:
    """Attach each stored event to a merged event, creating one when no earlier report fits."""
    touched: set[str] = set()
    for event in events:
        if event.polarity != "positive":
            continue
        merged_id, reason = _find(conn, event)
        if merged_id is None:
            merged_id = hashlib.sha1(f"merged|{event.id}".encode()).hexdigest()[:16]
            conn.execute(
                "INSERT INTO merged_events (id, source_country, target_country, cameo_root, cameo,"
                " plover_event, quad_class, goldstein, date_first, date_last, place_country)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (merged_id, country(event.source.code if event.source else None),
                 country(event.target.code if event.target else None), event.cameo_root,
                 event.cameo, event.plover_event, event.quad_class, event.goldstein,
                 event.date, event.date, (event.location or {}).get("country")))
            reason = "first report"
        conn.execute("UPDATE events SET merged_id = ?, merge_reason = ? WHERE id = ?",
                     (merged_id, reason, event.id))
        touched.add(merged_id)
    for merged_id in touched:
        refresh(conn, merged_id)


def _find(conn: sqlite3.Connection, event: Event) -> tuple[str | None, str | None]:
    if not event.date:
        return None, None
    source = country(event.source.code if event.source else None)
    target = country(event.target.code if event.target else None)
    days = window(event.cameo_root)
    day = dt.date.fromisoformat(event.date)
    low = (day - dt.timedelta(days=days)).isoformat()
    high = (day + dt.timedelta(days=days)).isoformat()
    place = (event.location or {}).get("country")
    rows = conn.execute(
        "SELECT id, date_first, date_last, place_country FROM merged_events"
        " WHERE source_country IS ? AND target_country IS ? AND cameo_root = ?"
        " AND date_last >= ? AND date_first <= ?",
        (source, target, event.cameo_root, low, high)).fetchall()
    best, best_gap = None, None
    for row in rows:
        if place and row["place_country"] and place != row["place_country"]:
            continue
        gap = min(abs((day - dt.date.fromisoformat(row[key])).days)
                  for key in ("date_first", "date_last"))
        if best_gap is None or gap < best_gap:
            best, best_gap = row, gap
    if best is None:
        return None, None
    reason = (f"same source {source or '?'} and target {target or 'none'} at country level, "
              f"same CAMEO root {event.cameo_root}, {best_gap} day(s) from an earlier report "
              f"(window {days})")
    if place and best["place_country"]:
        reason += f", same place country {place}"
    return best["id"], reason


def refresh(conn: sqlite3.Connection, merged_id: str) -> None:
    """Recount a merged event's mentions, dates, outlets and corroboration."""
    row = conn.execute(
        "SELECT COUNT(*), MIN(e.date), MAX(e.date),"
        " COUNT(DISTINCT COALESCE(a.outlet, a.id)) FROM events e"
        " JOIN articles a ON a.id = e.article_id WHERE e.merged_id = ?", (merged_id,)).fetchone()
    outlets = [r[0] for r in conn.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL AND (id IN"
        " (SELECT article_id FROM events WHERE merged_id = ?) OR duplicate_of IN"
        " (SELECT article_id FROM events WHERE merged_id = ?)) ORDER BY outlet",
        (merged_id, merged_id))]
    conn.execute("UPDATE merged_events SET mentions = ?, date_first = ?, date_last = ?,"
                 " corroboration = ?, outlets = ? WHERE id = ?",
                 (row[0], row[1], row[2], row[3], json.dumps(outlets), merged_id))
