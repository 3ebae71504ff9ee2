"""Timelines: events counted by day, week or month, by quad class, with their mean Goldstein
score — for a story, an actor, or a pair of actors."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from ..actors.codes import country_of
from ..model import Period, values
from ..store.events import actor_condition

PERIODS = values(Period)


def bucket(date: str, by: str) -> str:
    """The start of the day, week (Monday) or month ``date`` falls in."""
    day = dt.date.fromisoformat(date)
    if by == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if by == "month":
        return day.replace(day=1).isoformat()
    return day.isoformat()


def series(rows: list[sqlite3.Row], by: str) -> list[dict[str, Any]]:
    """Rows of (date, quad_class, goldstein) as a sorted series of buckets."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    buckets: dict[str, dict[str, Any]] = {}
    for row in rows:
        if not row["date"]:
            continue
        key = bucket(row["date"], by)
        entry = buckets.setdefault(key, {"period": key, "events": 0, "quad_classes":
                                         {"1": 0, "2": 0, "3": 0, "4": 0}, "goldstein_sum": 0.0})
        entry["events"] += 1
        entry["quad_classes"][str(row["quad_class"])] += 1
        entry["goldstein_sum"] += row["goldstein"]
    result = []
    for key in sorted(buckets):
        entry = buckets[key]
        entry["mean_goldstein"] = round(entry.pop("goldstein_sum") / entry["events"], 3)
        result.append(entry)
    return result


def _country_or_code(side: str, code: str) -> tuple[str, str]:
    """The actor filter on one side (``store.events.actor_condition``), with its one value."""
    clause, [value] = actor_condition(f"e.{side}_code", f"e.{side}_country", code)
    return clause, value


def actor_timeline(conn: sqlite3.Connection, actor: str, *, target: str | None = None,
                   by: str = "day", since: str | None = None, until: str | None = None
                   ) -> list[dict[str, Any]]:
    """Events with ``actor`` as source (towards ``target`` when given) or, without a target, as
    source or target."""
    where, params = [], []
    if target:
        clause, code = _country_or_code("source", actor)
        where.append(clause)
        params.append(code)
        clause, code = _country_or_code("target", target)
        where.append(clause)
        params.append(code)
    else:
        source_clause, code = _country_or_code("source", actor)
        target_clause, _ = _country_or_code("target", actor)
        where.append(f"({source_clause} OR {target_clause})")
        params += [code, code]
    return series(_rows(conn, where, params, since, until), by)


def dyad(conn: sqlite3.Connection, first: str, second: str, *, by: str = "week",
         since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """The pair's events both ways: first → second, second → first, and both together."""
    forward = actor_timeline(conn, first, target=second, by=by, since=since, until=until)
    backward = actor_timeline(conn, second, target=first, by=by, since=since, until=until)
    source_a, code_a = _country_or_code("source", first)
    target_b, code_b = _country_or_code("target", second)
    source_b, _ = _country_or_code("source", second)
    target_a, _ = _country_or_code("target", first)
    both = series(_rows(conn, [f"(({source_a} AND {target_b}) OR ({source_b} AND {target_a}))"],
                        [code_a, code_b, code_b, code_a], since, until), by)
    return {"first": first.upper(), "second": second.upper(), "by": by,
            "forward": forward, "backward": backward, "both": both}


def story_timeline(conn: sqlite3.Connection, story_id: str, *, by: str = "day"
                   ) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT e.date, e.quad_class, e.goldstein FROM events e JOIN story_articles s"
        " ON s.article_id = e.article_id WHERE s.story_id = ? AND e.polarity = 'positive'",
        (story_id,)).fetchall()
    return series(rows, by)


def _rows(conn: sqlite3.Connection, where: list[str], params: list[Any], since: str | None,
          until: str | None) -> list[sqlite3.Row]:
    where = [*where, "e.polarity = 'positive'", "e.date IS NOT NULL"]
    if since:
        where.append("e.date >= ?")
        params = [*params, since]
    if until:
        where.append("e.date <= ?")
        params = [*params, until]
    return conn.execute(f"SELECT e.date, e.quad_class, e.goldstein FROM events e WHERE "
                        f"{' AND '.join(where)}", params).fetchall()


def partners(conn: sqlite3.Connection, actor: str, *, limit: int = 10) -> list[dict[str, Any]]:
    """The actors ``actor`` deals with most, at country level: events each way, mean
    Goldstein."""
    source_clause, code = _country_or_code("source", actor)
    target_clause, _ = _country_or_code("target", actor)
    rows = conn.execute(
        "SELECT partner, COUNT(*) AS events, AVG(goldstein) AS mean_goldstein,"
        " SUM(outgoing) AS outgoing FROM ("
        f"  SELECT e.target_country AS partner, e.goldstein, 1 AS outgoing FROM events e"
        f"  WHERE {source_clause} AND e.target_country IS NOT NULL AND e.polarity = 'positive'"
        "  UNION ALL"
        f"  SELECT e.source_country AS partner, e.goldstein, 0 AS outgoing FROM events e"
        f"  WHERE {target_clause} AND e.source_country IS NOT NULL AND e.polarity = 'positive'"
        ") WHERE partner != ? GROUP BY partner ORDER BY events DESC LIMIT ?",
        (code, code, country_of(code) or code,
         limit)).fetchall()
    return [{"partner": r["partner"], "events": r["events"], "outgoing": r["outgoing"],
             "incoming": r["events"] - r["outgoing"],
             "mean_goldstein": round(r["mean_goldstein"], 3)} for r in rows]
