"""Events as PLOVER/POLECAT records: one JSON object per event.

The field names are POLECAT's (its event table: Event Type, Event Mode, Contexts, Actor Name,
Actor Country, Primary Actor Sector, Actor Sectors, Recipient …, Placename, Latitude, Longitude,
Source, Publication Date …), in the lower-case JSON spelling PLOVER's records use. Fields that
newsledger does not code (COW numbers, Wikipedia ids, PLOVER intensity, story people) are
left out rather than filled with guesses; newsledger's own attribution, claim and evidence
fields follow under their own names.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from typing import Any

from ..events.ontology import ontology
from ..version import __version__
from .gdelt import split_actor


@functools.cache
def _version() -> str:
    return f"newsledger {__version__}"


@functools.cache
def _context(cameo: str) -> list[str]:
    code = ontology().codes.get(cameo)
    return [code.plover_context] if code and code.plover_context else []


def _list(value: str | None) -> list[Any]:
    return json.loads(value) if value else []


def _actor(row: sqlite3.Row, side: str) -> dict[str, Any] | None:
    code = row[f"{side}_code"]
    if code is None:
        return None
    _, country, group, sectors = split_actor(code)
    return {
        "code": code,
        "name": row[f"{side}_name"],
        "name_raw": row[f"{side}_text"],
        "country": country or None,
        "known_group": group or None,
        "primary_sector": sectors[0] if sectors else None,
        "sectors": sectors,
        "span": [row[f"{side}_start"], row[f"{side}_end"]],
    }


def _geolocation(row: sqlite3.Row) -> dict[str, Any] | None:
    if row["location_name"] is None and row["location_country"] is None:
        return None
    return {"placename": row["location_name"], "country": row["location_country"],
            "latitude": row["location_lat"], "longitude": row["location_lon"]}


def record(row: sqlite3.Row) -> dict[str, Any]:
    """The PLOVER record of a row of ``events_flat``."""
    claim = None
    if row["claim_id"]:
        claim = {"id": row["claim_id"], "status": row["claim_status"],
                 "asserted_by": _list(row["claim_asserted_by"]),
                 "denied_by": _list(row["claim_denied_by"]),
                 "confirmed_by": _list(row["claim_confirmed_by"])}
    return {
        "id": row["id"],
        "date": row["date"],
        "date_precision": row["date_precision"],
        "event_type": row["plover_event"],
        "mode": row["plover_mode"],
        "context": _context(row["cameo"]),
        "actor": _actor(row, "source"),
        "recipient": _actor(row, "target"),
        "geolocation": _geolocation(row),
        "story_id": row["story_id"],
        "source_id": row["article_id"],
        "source": row["article_outlet"],
        "url": row["article_url"],
        "publication_date": row["article_published"],
        "language": "en",
        "cameo": row["cameo"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "polarity": row["polarity"],
        "modality": row["modality"],
        "attributed_to": _list(row["attributed_to"]),
        "claim": claim,
        "quantities": _list(row["quantities"]),
        "evidence": {"sentence": row["sentence_text"],
                     "span": [row["sentence_start"], row["sentence_end"]],
                     "trigger": row["trigger_text"],
                     "trigger_span": [row["trigger_start"], row["trigger_end"]],
                     "rule": row["rule"], "provenance": row["provenance"],
                     "confidence": row["confidence"]},
        "merged_id": row["merged_id"],
        "corroboration": row["corroboration"],
        "version": _version(),
    }
