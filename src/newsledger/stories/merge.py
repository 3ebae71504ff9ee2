"""Merge reports of the same real-world event across articles.

Two event mentions are one event when their sources and targets are the same countries (or
organisations), their CAMEO roots are the same, their places are compatible (the same country,
or one unknown), their dates are no further apart than the root's window, and their sentences
mean the same: the cosine of the mention's sentence vector (``embed.py``, stored once per event)
with the mean vector of the merged event's mentions reaches ``embedding_threshold``. Two attacks
by one country on another in a day are two events when one is a shelling of a port and the
other an air strike on a capital. The windows and the threshold are a ``MergeSettings``: the
package's (``data/stories/merge.yaml``, ``settings()``) unless the caller passes others (a
``Knowledge``'s: a user's values over the package's). Each mention records why it joined
(``merge_reason``, with the similarity); the merged event counts its mentions, its outlets
(wire copies included) and its corroboration: the independent reports, a wire copy printed by
several outlets counted once.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml

from ..actors.codes import country_of
from ..model import Event
from ..resources import data_path
from ..store import embeddings as embedding_store
from . import embed
from .embed import Embedder


@dataclass(frozen=True, slots=True)
class MergeSettings:
    """When two reports are one event: the cosine of their sentence vectors reaches
    ``embedding_threshold``, and their dates are at most the window of their CAMEO root apart
    (``windows``: days by root, ``default`` for the others)."""

    embedding_threshold: float
    windows: Mapping[str, int]

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> MergeSettings:
        """The settings of a ``merge.yaml`` mapping (``embedding_threshold``, ``windows``, with
        a ``default`` window); ValueError or TypeError says which value is wrong."""
        threshold, windows = spec.get("embedding_threshold"), spec.get("windows")
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise TypeError(f"embedding_threshold is {threshold!r}, not a number")
        if not isinstance(windows, Mapping) or "default" not in windows:
            raise ValueError("windows must map CAMEO roots (and 'default') to days")
        for root, days in windows.items():
            if isinstance(days, bool) or not isinstance(days, int) or days < 0:
                raise ValueError(f"the window of {root!r} is {days!r}, not a number of days")
        return cls(embedding_threshold=float(threshold),
                   windows={str(k): int(v) for k, v in windows.items()})

    def window(self, root: str) -> int:
        """The days two reports of an event of CAMEO root ``root`` may be apart."""
        return self.windows.get(root, self.windows["default"])


@functools.cache
def _spec() -> dict:
    return yaml.safe_load(data_path("stories", "merge.yaml").read_text(encoding="utf-8"))


@functools.cache
def settings() -> MergeSettings:
    """The package's merge settings (``data/stories/merge.yaml``), read once."""
    return MergeSettings.from_spec(_spec())


def windows() -> Mapping[str, int]:
    """The package's merge windows: days by CAMEO root, ``default`` for the others."""
    return settings().windows


def embedding_threshold() -> float:
    """The cosine of sentence vectors two mentions of one event reach (the package's)."""
    return settings().embedding_threshold


def window(root: str) -> int:
    """The package's merge window of CAMEO root ``root``, in days."""
    return settings().window(root)


def country(code: str | None) -> str | None:
    """The country part of a code (``ActorCode.country``): PRKGOV → PRK, IGOUNOMIL → IGOUNO."""
    return country_of(code)


def merge_events(conn: sqlite3.Connection, events: Iterable[Event],
                 embedder: Embedder | None = None, config: MergeSettings | None = None
                 ) -> None:
    """Attach each stored event to a merged event, creating one when no earlier report fits
    (by ``config``, the package's ``settings()`` by default). A sentence's vector
    (``embedder``, the shipped one by default) is computed only when an earlier report fits on
    countries, root, place and dates, and then stored: most events never need one."""
    config = config or settings()
    vectors = _Vectors(conn, embedder)
    touched: set[str] = set()
    for event in events:
        if event.polarity != "positive":
            continue
        merged_id, reason = _find(conn, event, vectors, config)
        if merged_id is None:
            merged_id, reason = _first_report(conn, event, vectors), "first report"
        else:
            _add_mention(conn, merged_id, vectors.known[event.id])
        conn.execute("UPDATE events SET merged_id = ?, merge_reason = ? WHERE id = ?",
                     (merged_id, reason, event.id))
        touched.add(merged_id)
    for merged_id in touched:
        refresh(conn, merged_id)


def _first_report(conn: sqlite3.Connection, event: Event, vectors: _Vectors) -> str:
    """The id of a new merged event of ``event`` alone (with its sentence's vector when it
    has one already)."""
    merged_id = hashlib.sha1(f"merged|{event.id}".encode()).hexdigest()[:16]
    conn.execute(
        "INSERT INTO merged_events (id, source_country, target_country, cameo_root, cameo,"
        " plover_event, quad_class, goldstein, date_first, date_last, place_country,"
        " embedding, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        (merged_id, country(event.source.code if event.source else None),
         country(event.target.code if event.target else None), event.cameo_root,
         event.cameo, event.plover_event, event.quad_class, event.goldstein,
         event.date, event.date, (event.location or {}).get("country"),
         embed.pack(vectors.known[event.id]) if event.id in vectors.known else None))
    return merged_id


def _add_mention(conn: sqlite3.Connection, merged_id: str, vector: np.ndarray) -> None:
    """Count one more mention, of sentence vector ``vector``, in the merged event
    ``merged_id``, and move its mean vector towards it."""
    row = conn.execute("SELECT mentions, embedding FROM merged_events WHERE id = ?",
                       (merged_id,)).fetchone()
    n = max(1, row[0])
    mean = vector if row[1] is None else (embed.unpack(row[1]) * n + vector) / (n + 1)
    embedding_store.set_merged(conn, merged_id, mean)
    conn.execute("UPDATE merged_events SET mentions = mentions + 1 WHERE id = ?",
                 (merged_id,))


class _Vectors:
    """Sentence vectors of events, computed on first need and stored (``event_embeddings``)."""

    def __init__(self, conn: sqlite3.Connection, embedder: Embedder | None) -> None:
        self.conn = conn
        self._embedder = embedder
        self.known: dict[str, np.ndarray] = {}
        self._by_text: dict[str, np.ndarray] = {}

    def _embed(self, event_id: str, text: str) -> np.ndarray:
        text = text.strip()
        vector = self._by_text.get(text)
        if vector is None:
            stored = embedding_store.event(self.conn, event_id)
            if stored is not None:
                vector = stored
            else:
                if self._embedder is None:
                    self._embedder = embed.load()
                vector = self._embedder.embed([text])[0]
            self._by_text[text] = vector
        embedding_store.put_events(self.conn, [(event_id, vector)])
        self.known[event_id] = vector
        return vector

    def of_event(self, event: Event) -> np.ndarray:
        if event.id in self.known:
            return self.known[event.id]
        return self._embed(event.id, event.sentence_text)

    def of_merged(self, merged_id: str, stored: bytes | None) -> np.ndarray | None:
        """The merged event's mean vector; for one that has none yet (its first report
        needed none), its first mention's sentence's."""
        if stored is not None:
            return embed.unpack(stored)
        row = self.conn.execute(
            "SELECT e.id, substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)"
            " FROM events e JOIN articles a ON a.id = e.article_id WHERE e.merged_id = ?"
            " ORDER BY a.seq, e.sentence_start LIMIT 1", (merged_id,)).fetchone()
        if row is None or not row[1].strip():
            return None
        vector = self._embed(row[0], row[1])
        embedding_store.set_merged(self.conn, merged_id, vector)
        return vector


# The dates of a merged event a mention's date is measured from: the nearer counts.
DATE_COLUMNS = ("date_first", "date_last")


@dataclass(frozen=True, slots=True)
class _Match:
    """The merged event a mention joins: its row, the days between the mention's date and the
    nearer of its dates, and the similarity of their sentence vectors."""

    row: sqlite3.Row
    gap: int
    similarity: float


def _find(conn: sqlite3.Connection, event: Event, vectors: _Vectors, config: MergeSettings
          ) -> tuple[str | None, str | None]:
    """The id of the merged event ``event`` joins by ``config`` and the reason
    (``merge_reason``), or (None, None) when none fits (or the event has no date or no
    sentence)."""
    if not event.date or not event.sentence_text.strip():
        return None, None
    source = country(event.source.code if event.source else None)
    target = country(event.target.code if event.target else None)
    days = config.window(event.cameo_root)
    day = dt.date.fromisoformat(event.date)
    place = (event.location or {}).get("country")
    rows = _candidates(conn, (source, target, event.cameo_root), day, days, place)
    if not rows:
        return None, None
    match = _closest(rows, day, vectors.of_event(event), vectors, config.embedding_threshold)
    if match is None:
        return None, None
    reason = (f"same source {source or '?'} and target {target or 'none'} at country level, "
              f"same CAMEO root {event.cameo_root}, {match.gap} day(s) from an earlier report "
              f"(window {days})")
    if place and match.row["place_country"]:
        reason += f", same place country {place}"
    reason += (f", sentence similarity {match.similarity:.2f}"
               f" (needs {config.embedding_threshold:.2f})")
    return match.row["id"], reason


def _candidates(conn: sqlite3.Connection, key: tuple[str | None, str | None, str],
                day: dt.date, days: int, place: str | None) -> list[sqlite3.Row]:
    """The merged events of ``key`` (source country, target country, CAMEO root) whose dates
    reach within ``days`` of ``day`` and whose place country is compatible with ``place``."""
    low = (day - dt.timedelta(days=days)).isoformat()
    high = (day + dt.timedelta(days=days)).isoformat()
    rows = conn.execute(
        "SELECT id, date_first, date_last, place_country, embedding FROM merged_events"
        " WHERE source_country IS ? AND target_country IS ? AND cameo_root = ?"
        " AND date_last >= ? AND date_first <= ?", (*key, low, high)).fetchall()
    return [row for row in rows if _same_place(place, row["place_country"])]


def _same_place(place: str | None, other: str | None) -> bool:
    """Whether two place countries are compatible: True when they are equal or either is
    unknown."""
    return not (place and other and place != other)


def _closest(rows: list[sqlite3.Row], day: dt.date, vector: np.ndarray, vectors: _Vectors,
             threshold: float) -> _Match | None:
    """The row whose mean sentence vector is the most similar to ``vector``, the nearer in
    days on a tie, among those reaching ``threshold``; None when none reaches it."""
    best: _Match | None = None
    best_key: tuple[float, int] | None = None
    for row in rows:
        similarity = _similarity(vectors.of_merged(row["id"], row["embedding"]), vector)
        if similarity is None or similarity < threshold:
            continue
        gap = min(abs((day - dt.date.fromisoformat(row[column])).days)
                  for column in DATE_COLUMNS)
        key = (-similarity, gap)
        if best_key is None or key < best_key:
            best, best_key = _Match(row, gap, similarity), key
    return best


def _similarity(centroid: np.ndarray | None, vector: np.ndarray) -> float | None:
    """The dot product of ``vector`` with ``centroid`` divided by the centroid's norm (1 when
    it is 0); None when there is no centroid."""
    if centroid is None:
        return None
    norm = float(np.linalg.norm(centroid)) or 1.0
    return float(centroid @ vector) / norm


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
