"""Events in the ledger: storing them and querying them with filters."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..actors.codes import TRANSNATIONAL, UNKNOWN_COUNTRY, ActorCode, country_of
from ..model import ActorRef, Event

_COLUMNS = (
    "id", "article_id", "source_code", "source_name", "source_text", "source_start",
    "source_end", "target_code", "target_name", "target_text", "target_start", "target_end",
    "source_country", "target_country", "cameo", "cameo_root", "quad_class", "goldstein",
    "plover_event", "plover_mode", "polarity", "modality", "attributed_to", "date",
    "date_precision", "date_end", "location", "quantities", "sentence_start", "sentence_end",
    "trigger_start", "trigger_end", "rule", "confidence", "content", "provenance",
)


# -- the actor filter: one meaning everywhere (events, claims, timelines) -----------------------


def actor_condition(code_column: str, country_column: str, actor: str
                    ) -> tuple[str, list[str]]:
    """SQL matching the actor filter ``actor`` on one side of an event: a code that is a country
    part alone (``PRK``, ``IGOUNO``, ``MNCUSA``: see ``ActorCode.is_country``) matches every
    actor of that country, through the stored country column; any other code (``PRKGOV``)
    matches that code exactly."""
    code = ActorCode.parse(actor)
    if code.is_country:
        return f"{country_column} = ?", [code.code]
    return f"{code_column} = ?", [code.code]


def country_sql(expression: str) -> str:
    """SQL for the country of the code ``expression`` evaluates to: ``ActorCode.country``'s
    rule, for codes not stored with a country column (a claim's asserters, in JSON)."""
    prefixes = ", ".join(f"'{prefix}'" for prefix in TRANSNATIONAL)
    return (f"(CASE WHEN substr({expression}, 1, 3) = '{UNKNOWN_COUNTRY}' THEN NULL"
            f" WHEN substr({expression}, 1, 3) IN ({prefixes}) AND length({expression}) >= 6"
            f" THEN substr({expression}, 1, 6) ELSE substr({expression}, 1, 3) END)")


def json_actor_condition(json_column: str, actor: str) -> tuple[str, list[str]]:
    """SQL matching the actor filter ``actor`` (as ``actor_condition``) on any code of a JSON
    list of codes (a claim's ``asserted_by``, ``denied_by``)."""
    code = ActorCode.parse(actor)
    if code.is_country:
        return (f"EXISTS (SELECT 1 FROM json_each({json_column}) j"
                f" WHERE {country_sql('j.value')} = ?)", [code.code])
    return (f"EXISTS (SELECT 1 FROM json_each({json_column}) j WHERE j.value = ?)",
            [code.code])


def replace_events(conn: sqlite3.Connection, article_id: str, events: Iterable[Event]) -> None:
    """Store the events of an article, replacing any stored before."""
    conn.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
    rows = []
    for e in events:
        s, t = e.source, e.target
        rows.append((
            e.id, e.article_id,
            s.code if s else None, s.name if s else None, s.text if s else None,
            s.start if s else None, s.end if s else None,
            t.code if t else None, t.name if t else None, t.text if t else None,
            t.start if t else None, t.end if t else None,
            country_of(s.code if s else None), country_of(t.code if t else None),
            e.cameo, e.cameo_root, e.quad_class, e.goldstein, e.plover_event, e.plover_mode,
            e.polarity, e.modality, json.dumps(e.attributed_to), e.date, e.date_precision,
            e.date_end, json.dumps(e.location) if e.location else None,
            json.dumps(e.quantities), e.sentence_start, e.sentence_end, e.trigger_start,
            e.trigger_end, e.rule, e.confidence, json.dumps(e.content), e.provenance))
    conn.executemany(
        f"INSERT OR REPLACE INTO events ({', '.join(_COLUMNS)}) VALUES "
        f"({', '.join('?' * len(_COLUMNS))})", rows)


@dataclass(slots=True)
class EventFilter:
    """Filters of an events query; every field is optional.

    actor: source or target (a code, or a country code matching every code of that country).
    cameo: a code ("112") or a root ("11"); quad_class: 1-4; plover: a PLOVER event type.
    since, until: ISO dates (inclusive). polarity, modality: as stored.
    article: one article's events; story: the events of a story's articles.
    status: events that are claims with this status; min_corroboration: events whose merged
    event has at least this many independent reports.
    """

    actor: str | None = None
    source: str | None = None
    target: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    plover: str | None = None
    since: str | None = None
    until: str | None = None
    polarity: str | None = None
    modality: str | None = None
    article: str | None = None
    min_confidence: float | None = None
    story: str | None = None
    status: str | None = None
    min_corroboration: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []

        def actor_clause(side: str, code: str) -> None:
            clause, values = actor_condition(f"e.{side}_code", f"e.{side}_country", code)
            clauses.append(clause)
            params.extend(values)

        if self.actor:
            source, source_params = actor_condition("e.source_code", "e.source_country",
                                                    self.actor)
            target, target_params = actor_condition("e.target_code", "e.target_country",
                                                    self.actor)
            clauses.append(f"({source} OR {target})")
            params += source_params + target_params
        if self.source:
            actor_clause("source", self.source)
        if self.target:
            actor_clause("target", self.target)
        if self.cameo:
            column = "cameo_root" if len(self.cameo) == 2 else "cameo"
            clauses.append(f"e.{column} = ?")
            params.append(self.cameo)
        for column, value in (("quad_class", self.quad_class), ("plover_event", self.plover),
                              ("polarity", self.polarity), ("modality", self.modality),
                              ("article_id", self.article)):
            if value is not None:
                clauses.append(f"e.{column} = ?")
                params.append(value.upper() if column == "plover_event" else value)
        if self.since:
            clauses.append("e.date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.date <= ?")
            params.append(self.until)
        if self.min_confidence is not None:
            clauses.append("e.confidence >= ?")
            params.append(self.min_confidence)
        if self.story:
            clauses.append("e.article_id IN (SELECT article_id FROM story_articles"
                           " WHERE story_id = ?)")
            params.append(self.story)
        if self.status:
            clauses.append("e.id IN (SELECT event_id FROM claims WHERE status = ?)")
            params.append(self.status)
        if self.min_corroboration is not None:
            clauses.append("e.merged_id IN (SELECT id FROM merged_events"
                           " WHERE corroboration >= ?)")
            params.append(self.min_corroboration)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


NEWEST = "e.date DESC, e.article_id, e.sentence_start, e.trigger_start"


def search(conn: sqlite3.Connection, where: EventFilter, *, limit: int = 100, offset: int = 0
           ) -> list[Event]:
    """Events matching ``where``, newest first, then in text order."""
    sql, params = where.where()
    # The page is chosen from the events alone (the index events_newest serves the order);
    # only its rows then read their sentence out of the article text. SQLite sorts NULL dates
    # last in descending order.
    rows = conn.execute(
        f"SELECT {', '.join('e.' + c for c in _COLUMNS)},"
        " substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence"
        f" FROM (SELECT * FROM events e{sql} ORDER BY {NEWEST} LIMIT ? OFFSET ?) e"
        f" JOIN articles a ON a.id = e.article_id ORDER BY {NEWEST}",
        [*params, limit, offset])
    return [row_to_event(row) for row in rows]


def get(conn: sqlite3.Connection, event_id: str) -> Event | None:
    rows = conn.execute(
        f"SELECT {', '.join('e.' + c for c in _COLUMNS)},"
        " substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence"
        " FROM events e JOIN articles a ON a.id = e.article_id WHERE e.id = ?", (event_id,))
    row = rows.fetchone()
    return row_to_event(row) if row else None


def merged_ids(conn: sqlite3.Connection, article_id: str) -> list[str]:
    """The merged events that the events of ``article_id`` belong to."""
    return [row[0] for row in conn.execute(
        "SELECT DISTINCT merged_id FROM events WHERE article_id = ? AND merged_id IS NOT NULL",
        (article_id,))]


def count(conn: sqlite3.Connection, where: EventFilter) -> int:
    sql, params = where.where()
    return conn.execute(f"SELECT COUNT(*) FROM events e{sql}", params).fetchone()[0]


def row_to_event(row: sqlite3.Row) -> Event:
    def ref(side: str) -> ActorRef | None:
        if row[f"{side}_code"] is None:
            return None
        return ActorRef(row[f"{side}_code"], row[f"{side}_name"], row[f"{side}_text"],
                        row[f"{side}_start"], row[f"{side}_end"])

    return Event(
        id=row["id"], article_id=row["article_id"], source=ref("source"), target=ref("target"),
        cameo=row["cameo"], cameo_root=row["cameo_root"], quad_class=row["quad_class"],
        goldstein=row["goldstein"], plover_event=row["plover_event"],
        plover_mode=row["plover_mode"], sentence_start=row["sentence_start"],
        sentence_end=row["sentence_end"], sentence_text=row["sentence"],
        trigger_start=row["trigger_start"], trigger_end=row["trigger_end"], rule=row["rule"],
        confidence=row["confidence"], polarity=row["polarity"], modality=row["modality"],
        attributed_to=json.loads(row["attributed_to"]), date=row["date"],
        date_precision=row["date_precision"], date_end=row["date_end"],
        location=json.loads(row["location"]) if row["location"] else None,
        quantities=json.loads(row["quantities"]),
        content=json.loads(row["content"]),
        provenance=row["provenance"],
    )
