"""Incremental story clustering: each new article joins the best story or starts one.

Two views of an article are compared with each story: its features (``features.py``: words,
actors, people, places, event codes) with the story's centroid of features, and its meaning
(``embed.py``: the sentence encoder's vector of its title, lead and event sentences, computed
once and stored) with the mean vector of the story's articles. The score is the weighed sum of
the feature cosine and the embedding cosine (rescaled so that ``embedding_floor``, the cosine of
unrelated news, counts as 0), decayed with the time between the article and the story's last
article; at or above the threshold the article joins the best story, else it founds one, so
every analysed article is in a story, alone if need be. A near-duplicate joins the story of the
article it copies.

Candidates are bounded: the stories sharing the article's strongest features (an index of each
story's strongest ones), and the ``recent`` stories changed last, both among stories active
within a window of the article's date (undated articles look at every undated story). So the
cost of one article depends on the stories active around its date, not on the size of the
ledger. Settings are in ``data/stories/clustering.yaml``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import math
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml

from ..gazetteer import gazetteer
from ..resources import data_path
from ..model import Analysis, Article
from ..store import embeddings as embedding_store
from . import embed
from .features import cosine, entities, terms, vector


@dataclass(frozen=True, slots=True)
class Settings:
    threshold: float
    grace_days: int
    decay_days: float
    window_days: int
    centroid_size: int
    index_size: int
    candidates: int
    embedding_weight: float
    embedding_floor: float
    recent: int
    lead_sentences: int
    event_sentences: int

    def to_dict(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Settings:
        """The settings of a ``clustering.yaml`` mapping, each value a number of its field's
        kind; ValueError names a missing, unknown or non-numeric key."""
        kinds = {f.name: int if f.type == "int" else float for f in dataclasses.fields(cls)}
        unknown = sorted(set(spec) - set(kinds))
        if unknown:
            raise ValueError(f"unknown setting {unknown[0]!r} (known: {', '.join(kinds)})")
        values = {}
        for name, kind in kinds.items():
            if name not in spec:
                raise ValueError(f"setting {name!r} is missing")
            value = spec[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or (
                    kind is int and value != int(value)):
                raise ValueError(f"setting {name!r} is {value!r}, not a {kind.__name__}")
            values[name] = kind(value)
        return cls(**values)


@functools.cache
def settings() -> Settings:
    spec = yaml.safe_load(data_path("stories", "clustering.yaml").read_text(encoding="utf-8"))
    return Settings.from_spec(spec)


def embed_meaning(article: Article, analysis: Analysis, config: Settings | None = None) -> None:
    """Put the article's story vector (the shipped encoder's, as ``Clusterer.meaning`` would
    compute it with ``config``) on ``analysis``: run where the article is analysed, so that
    worker processes, not the one storing, pay for the encoder."""
    config = config or settings()
    analysis.meaning = embed.article_vector(embed.load(), article, analysis,
                                            config.lead_sentences, config.event_sentences)


@dataclass(slots=True)
class Assignment:
    story_id: str
    score: float | None
    reason: str


class Clusterer:
    """Assigns articles to stories in one ledger connection (inside the caller's transaction).

    config: the clustering settings (default: the package's ``settings()``).
    stopwords: the words story terms leave out (default: the package's, ``features.stopwords``).
    """

    def __init__(self, conn: sqlite3.Connection, config: Settings | None = None,
                 embedder: embed.Embedder | None = None, *,
                 stopwords: frozenset[str] | None = None) -> None:
        self.conn = conn
        self.config = config or settings()
        self._embedder = embedder
        self._embedder_is_default = embedder is None
        self.stopwords = stopwords

    @property
    def embedder(self) -> embed.Embedder:
        if self._embedder is None:
            self._embedder = embed.load()
        return self._embedder

    def meaning(self, article: Article, analysis: Analysis | None) -> np.ndarray:
        """The article's vector: computed once and stored, read back after."""
        stored = embedding_store.article(self.conn, article.id, self.embedder.name)
        if stored is not None:
            return stored
        if self._embedder_is_default and analysis is not None and analysis.meaning is not None:
            vector = analysis.meaning  # computed where the article was analysed (embed_meaning)
        else:
            vector = embed.article_vector(self.embedder, article, analysis,
                                          self.config.lead_sentences, self.config.event_sentences)
        embedding_store.put_article(self.conn, article.id, self.embedder.name, vector)
        return vector

    # -- document frequencies --

    def _documents(self) -> int:
        row = self.conn.execute("SELECT value FROM counters WHERE name = 'documents'").fetchone()
        return row[0] if row else 0

    def _count(self, words) -> None:
        self.conn.execute("INSERT INTO counters VALUES ('documents', 1) ON CONFLICT(name)"
                          " DO UPDATE SET value = value + 1")
        self.conn.executemany("INSERT INTO term_frequencies VALUES (?, 1) ON CONFLICT(term)"
                              " DO UPDATE SET documents = documents + 1", [(w,) for w in words])

    def _idf(self, words) -> dict[str, float]:
        words = list(words)
        found: dict[str, int] = {}
        for start in range(0, len(words), 500):
            chunk = words[start:start + 500]
            found.update(self.conn.execute(
                f"SELECT term, documents FROM term_frequencies WHERE term IN "
                f"({','.join('?' * len(chunk))})", chunk).fetchall())
        total = self._documents()
        return {w: math.log((total + 1) / (found.get(w, 0) + 1)) + 1.0 for w in words}

    # -- assignment --

    def assign(self, article: Article, analysis: Analysis | None) -> Assignment:
        """Put ``article`` in a story, and say which and why."""
        if article.duplicate_of:
            row = self.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?",
                                    (article.duplicate_of,)).fetchone()
            if row:
                self._join(row[0], article, None, None,
                           f"copy of {article.duplicate_of}")
                return Assignment(row[0], None, f"copy of {article.duplicate_of}")
        counts = terms(article, self.stopwords)
        self._count(counts)
        idf = self._idf(counts)
        features = vector(counts, entities(article, analysis) if analysis else {},
                          lambda word: idf[word])
        meaning = self.meaning(article, analysis)
        best, best_score, best_reason = None, 0.0, ""
        for story in self._candidates(features, meaning, article.published):
            similarity = cosine(features, story["centroid"])
            close = self._closeness(meaning, story["embedding"])
            decay, gap = self._decay(article.published, story["last_date"])
            weight = self.config.embedding_weight
            score = ((1.0 - weight) * similarity + weight * close) * decay
            if score > best_score:
                shared = sorted(set(features) & set(story["centroid"]),
                                key=lambda k: -features[k] * story["centroid"][k])[:5]
                best, best_score = story, score
                best_reason = (f"similarity {similarity:.2f}, meaning {close:.2f}"
                               + (f", {gap} days from its last article" if gap is not None else "")
                               + (f"; shared: {', '.join(shared)}" if shared else ""))
        tally = article_tally(analysis)
        if best is not None and best_score >= self.config.threshold:
            self._join(best["id"], article, features, best_score, best_reason, best,
                       meaning=meaning, tally=tally)
            return Assignment(best["id"], best_score, best_reason)
        story_id = self._found(article, features, meaning, tally)
        return Assignment(story_id, None, "new story")

    def _closeness(self, meaning: np.ndarray, centroid: np.ndarray | None) -> float:
        """The embedding cosine, rescaled: ``embedding_floor`` and below → 0, identical → 1."""
        if centroid is None:
            return 0.0
        norm = float(np.linalg.norm(centroid)) * float(np.linalg.norm(meaning))
        if norm == 0:
            return 0.0
        floor = self.config.embedding_floor
        return max(0.0, (float(meaning @ centroid) / norm - floor) / (1.0 - floor))

    def _candidates(self, features: dict[str, float], meaning: np.ndarray,
                    published: str | None) -> list[dict]:
        top = sorted(features, key=features.get, reverse=True)[:self.config.index_size]
        # Each feature is read over a range of its index: stories active since the window's
        # start (dated ones), plus the undated ones ('').
        low = ((dt.date.fromisoformat(published) - dt.timedelta(days=self.config.window_days)
                ).isoformat() if published else "")
        shared: dict[str, int] = {}
        for feature in top:
            for (story_id,) in self.conn.execute(
                    "SELECT story_id FROM story_features WHERE feature = ? AND"
                    " (last_date >= ? OR last_date = '')", (feature, low)):
                shared[story_id] = shared.get(story_id, 0) + 1
        chosen = [story_id for story_id, _ in sorted(
            shared.items(), key=lambda item: -item[1])[:self.config.candidates]]
        # The stories changed last, by meaning alone: reports of one event in other words.
        recent = embedding_store.recent_stories(self.conn, low if published else None,
                                                self.config.recent)
        if recent:
            vectors = np.stack([v for _, v in recent])
            norms = np.linalg.norm(vectors, axis=1)
            norms[norms == 0] = 1.0
            closest = np.argsort(-(vectors @ meaning) / norms, kind="stable")[:self.config.candidates]
            for index in closest:
                if recent[index][0] not in chosen:
                    chosen.append(recent[index][0])
        stories = []
        for story_id in chosen:
            story = self.conn.execute("SELECT id, centroid, last_date, articles, event_codes,"
                                      " embedding FROM stories WHERE id = ?",
                                      (story_id,)).fetchone()
            stories.append({"id": story[0], "centroid": json.loads(story[1]),
                            "last_date": story[2], "articles": story[3],
                            "event_codes": json.loads(story[4]),
                            "embedding": embed.unpack(story[5]) if story[5] else None})
        return stories

    def _decay(self, published: str | None, last: str | None) -> tuple[float, int | None]:
        if not published or not last:
            return 1.0, None
        gap = abs((dt.date.fromisoformat(published) - dt.date.fromisoformat(last)).days)
        extra = max(0, gap - self.config.grace_days)
        return math.exp(-extra / self.config.decay_days), gap

    # -- writing --

    def _found(self, article: Article, features: dict[str, float], meaning: np.ndarray,
               tally: dict[str, list[str]]) -> str:
        story_id = hashlib.sha1(f"story|{article.id}".encode()).hexdigest()[:16]
        sequence = self._sequence()
        centroid = _top(features, self.config.centroid_size)
        counted = add_tally({}, tally)
        self.conn.execute(
            "INSERT INTO stories (id, label, first_date, last_date, articles, centroid,"
            " created_seq, embedding, touched_seq, tally) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
            (story_id, label(centroid, {}, counted), article.published, article.published,
             json.dumps(centroid), sequence, embed.pack(meaning), sequence,
             json.dumps(counted)))
        self.conn.execute("INSERT OR REPLACE INTO story_articles VALUES (?, ?, NULL, ?)",
                          (story_id, article.id, "new story"))
        self._index(story_id, centroid, article.published)
        return story_id

    def _sequence(self) -> int:
        return self.conn.execute(
            "INSERT INTO counters VALUES ('stories', 1) ON CONFLICT(name) DO UPDATE"
            " SET value = value + 1 RETURNING value").fetchone()[0]

    def _join(self, story_id: str, article: Article, features: dict[str, float] | None,
              score: float | None, reason: str, story: dict | None = None, *,
              meaning: np.ndarray | None = None,
              tally: dict[str, list[str]] | None = None) -> None:
        self.conn.execute("INSERT OR REPLACE INTO story_articles VALUES (?, ?, ?, ?)",
                          (story_id, article.id, score, reason))
        row = self.conn.execute("SELECT first_date, last_date, articles, centroid, embedding,"
                                " tally FROM stories WHERE id = ?", (story_id,)).fetchone()
        first, last = row[0], row[1]
        if article.published:
            first = min(filter(None, (first, article.published)))
            last = max(filter(None, (last, article.published)))
        centroid = json.loads(row[3])
        n = row[2]
        if features is not None:
            merged = {k: v * n for k, v in centroid.items()}
            for key, value in features.items():
                merged[key] = merged.get(key, 0.0) + value
            centroid = _top({k: v / (n + 1) for k, v in merged.items()},
                            self.config.centroid_size)
        embedding = row[4]
        if meaning is not None:
            mean = meaning if embedding is None else (embed.unpack(embedding) * n + meaning) / (n + 1)
            embedding = embed.pack(mean)
        counted = json.loads(row[5] or "{}")
        if tally:
            counted = add_tally(counted, tally)
        self.conn.execute("UPDATE stories SET first_date = ?, last_date = ?,"
                          " articles = articles + 1, centroid = ?, embedding = ?, tally = ?,"
                          " touched_seq = ? WHERE id = ?",
                          (first, last, json.dumps(centroid), embedding, json.dumps(counted),
                           self._sequence(), story_id))
        self._index(story_id, centroid, last)

    def _index(self, story_id: str, centroid: dict[str, float], last: str | None) -> None:
        self.conn.execute("DELETE FROM story_features WHERE story_id = ?", (story_id,))
        top = sorted(centroid, key=centroid.get, reverse=True)[:self.config.index_size]
        self.conn.executemany("INSERT INTO story_features VALUES (?, ?, ?)",
                              [(feature, last or "", story_id) for feature in top])

    def count_events(self, story_id: str, codes: list[str]) -> None:
        """Add an article's event codes to its story's tally (for the story's label)."""
        row = self.conn.execute("SELECT event_codes, centroid, tally FROM stories WHERE id = ?",
                                (story_id,)).fetchone()
        codes_tally = json.loads(row[0])
        for code in codes:
            codes_tally[code] = codes_tally.get(code, 0) + 1
        self.conn.execute("UPDATE stories SET event_codes = ?, label = ? WHERE id = ?",
                          (json.dumps(codes_tally), label(json.loads(row[1]), codes_tally,
                                                          json.loads(row[2] or "{}")),
                           story_id))


def article_tally(analysis: Analysis | None) -> dict[str, list[str]]:
    """What one article reports, each thing once: the countries (or organisations) of its
    events' sources and targets, and its events' CAMEO codes."""
    from .merge import country

    actors: dict[str, None] = {}
    acts: dict[str, None] = {}
    for event in (analysis.events if analysis else []):
        if event.polarity != "positive" or event.content:
            continue
        acts.setdefault(event.cameo, None)
        for side in (event.source, event.target):
            code = country(side.code if side else None)
            if code:
                actors.setdefault(code, None)
    return {"actors": list(actors), "acts": list(acts)}


def add_tally(counted: dict[str, dict[str, int]], tally: dict[str, list[str]]
              ) -> dict[str, dict[str, int]]:
    for kind in ("actors", "acts"):
        bucket = counted.setdefault(kind, {})
        for key in tally.get(kind, ()):
            bucket[key] = bucket.get(key, 0) + 1
    return counted


def _top(weights: dict[str, float], size: int) -> dict[str, float]:
    top = sorted(weights.items(), key=lambda kv: -kv[1])[:size]
    return {k: round(v, 5) for k, v in top}


def label(centroid: dict[str, float], event_codes: dict[str, int],
          tally: dict[str, dict[str, int]] | None = None) -> str:
    """"North Korea, Russia: Provide military aid": the two actors and the act that most of
    the story's articles report (each article counted once, so one article's mis-resolved
    party does not name the story; among acts as many articles report, the one mentioned
    most); without events, the strongest names and words."""
    from ..events.ontology import ontology

    places = gazetteer()
    tally = tally or {}
    reported = tally.get("actors") or {}
    if reported:
        codes = sorted(reported, key=lambda k: (-reported[k], -centroid.get("@" + k, 0.0), k))[:2]
    else:
        codes = [k[1:] for k in sorted((k for k in centroid if k.startswith("@")),
                                       key=centroid.get, reverse=True)[:2]]
    actors = [places.name_of(code) or code for code in codes]
    acts = tally.get("acts") or {}
    if acts:
        # Ties: the act mentioned most, then the one reported first.
        order = {code: i for i, code in enumerate(event_codes)}
        leading = min(acts, key=lambda k: (-acts[k], -event_codes.get(k, 0),
                                           order.get(k, len(order))))
    elif event_codes:
        leading = max(event_codes, key=event_codes.get)
    else:
        leading = None
    if leading is not None:
        what = ontology()[leading].name if leading in ontology() else leading
    else:
        words = [k.lstrip("#$") for k in sorted(
            (k for k in centroid if not k.startswith(("@", "!"))), key=centroid.get,
            reverse=True)[:3]]
        what = ", ".join(words)
    return f"{', '.join(actors)}: {what}" if actors else what
