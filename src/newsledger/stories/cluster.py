"""Incremental story clustering: each new article joins the best story or starts one.

An article's features (``features.py``) look up candidate stories through an index of each
story's strongest features, among stories active within a window of its date (undated articles
look at every story). Each candidate is scored by the cosine of the article and the story's
centroid, decayed with the time between them; above the threshold the article joins the best,
else it founds a story. A near-duplicate joins the story of the article it copies. The cost of
one article depends on the stories active around its date, not on the size of the ledger.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import sqlite3
from dataclasses import dataclass

import yaml

from ..gazetteer import gazetteer
from ..resources import data_path
from ..model import Analysis, Article
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


@functools.cache
def settings() -> Settings:
    spec = yaml.safe_load(data_path("stories", "clustering.yaml").read_text(encoding="utf-8"))
    return Settings(**spec)


@dataclass(slots=True)
class Assignment:
    story_id: str
    score: float | None
    reason: str


class Clusterer:
    """Assigns articles to stories in one ledger connection (inside the caller's transaction)."""

    def __init__(self, conn: sqlite3.Connection, config: Settings | None = None) -> None:
        self.conn = conn
        self.config = config or settings()

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
        counts = terms(article)
        self._count(counts)
        idf = self._idf(counts)
        features = vector(counts, entities(article, analysis) if analysis else {},
                          lambda word: idf[word])
        best, best_score, best_reason = None, 0.0, ""
        for story in self._candidates(features, article.published):
            similarity = cosine(features, story["centroid"])
            decay, gap = self._decay(article.published, story["last_date"])
            score = similarity * decay
            if score > best_score:
                shared = sorted(set(features) & set(story["centroid"]),
                                key=lambda k: -features[k] * story["centroid"][k])[:5]
                best, best_score = story, score
                best_reason = (f"similarity {similarity:.2f}"
                               + (f", {gap} days from its last article" if gap is not None else "")
                               + f"; shared: {', '.join(shared)}")
        if best is not None and best_score >= self.config.threshold:
            self._join(best["id"], article, features, best_score, best_reason, best)
            return Assignment(best["id"], best_score, best_reason)
        story_id = self._found(article, features)
        return Assignment(story_id, None, "new story")

    def _candidates(self, features: dict[str, float], published: str | None) -> list[dict]:
        top = sorted(features, key=features.get, reverse=True)[:self.config.index_size]
        if not top:
            return []
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
        rows = sorted(shared.items(), key=lambda item: -item[1])[:self.config.candidates]
        stories = []
        for row in rows:
            story = self.conn.execute("SELECT id, centroid, last_date, articles, event_codes"
                                      " FROM stories WHERE id = ?", (row[0],)).fetchone()
            stories.append({"id": story[0], "centroid": json.loads(story[1]),
                            "last_date": story[2], "articles": story[3],
                            "event_codes": json.loads(story[4])})
        return stories

    def _decay(self, published: str | None, last: str | None) -> tuple[float, int | None]:
        if not published or not last:
            return 1.0, None
        gap = abs((dt.date.fromisoformat(published) - dt.date.fromisoformat(last)).days)
        extra = max(0, gap - self.config.grace_days)
        return math.exp(-extra / self.config.decay_days), gap

    # -- writing --

    def _found(self, article: Article, features: dict[str, float]) -> str:
        story_id = hashlib.sha1(f"story|{article.id}".encode()).hexdigest()[:16]
        sequence = self.conn.execute(
            "INSERT INTO counters VALUES ('stories', 1) ON CONFLICT(name) DO UPDATE"
            " SET value = value + 1 RETURNING value").fetchone()[0]
        centroid = _top(features, self.config.centroid_size)
        self.conn.execute(
            "INSERT INTO stories (id, label, first_date, last_date, articles, centroid,"
            " created_seq) VALUES (?, ?, ?, ?, 1, ?, ?)",
            (story_id, label(centroid, {}), article.published, article.published,
             json.dumps(centroid), sequence))
        self.conn.execute("INSERT OR REPLACE INTO story_articles VALUES (?, ?, NULL, ?)",
                          (story_id, article.id, "new story"))
        self._index(story_id, centroid, article.published)
        return story_id

    def _join(self, story_id: str, article: Article, features: dict[str, float] | None,
              score: float | None, reason: str, story: dict | None = None) -> None:
        self.conn.execute("INSERT OR REPLACE INTO story_articles VALUES (?, ?, ?, ?)",
                          (story_id, article.id, score, reason))
        row = self.conn.execute("SELECT first_date, last_date, articles, centroid FROM stories"
                                " WHERE id = ?", (story_id,)).fetchone()
        first, last = row[0], row[1]
        if article.published:
            first = min(filter(None, (first, article.published)))
            last = max(filter(None, (last, article.published)))
        centroid = json.loads(row[3])
        if features is not None:
            n = row[2]
            merged = {k: v * n for k, v in centroid.items()}
            for key, value in features.items():
                merged[key] = merged.get(key, 0.0) + value
            centroid = _top({k: v / (n + 1) for k, v in merged.items()},
                            self.config.centroid_size)
        self.conn.execute("UPDATE stories SET first_date = ?, last_date = ?,"
                          " articles = articles + 1, centroid = ? WHERE id = ?",
                          (first, last, json.dumps(centroid), story_id))
        self._index(story_id, centroid, last)

    def _index(self, story_id: str, centroid: dict[str, float], last: str | None) -> None:
        self.conn.execute("DELETE FROM story_features WHERE story_id = ?", (story_id,))
        top = sorted(centroid, key=centroid.get, reverse=True)[:self.config.index_size]
        self.conn.executemany("INSERT INTO story_features VALUES (?, ?, ?)",
                              [(feature, last or "", story_id) for feature in top])

    def count_events(self, story_id: str, codes: list[str]) -> None:
        """Add an article's event codes to its story's tally (for the story's label)."""
        row = self.conn.execute("SELECT event_codes, centroid FROM stories WHERE id = ?",
                                (story_id,)).fetchone()
        tally = json.loads(row[0])
        for code in codes:
            tally[code] = tally.get(code, 0) + 1
        self.conn.execute("UPDATE stories SET event_codes = ?, label = ? WHERE id = ?",
                          (json.dumps(tally), label(json.loads(row[1]), tally), story_id))


def _top(weights: dict[str, float], size: int) -> dict[str, float]:
    top = sorted(weights.items(), key=lambda kv: -kv[1])[:size]
    return {k: round(v, 5) for k, v in top}


def label(centroid: dict[str, float], event_codes: dict[str, int]) -> str:
    """"North Korea, Russia: Provide military aid" — the main actors and the leading event,
    else the strongest names and words."""
    from ..events.ontology import ontology

    places = gazetteer()
    actors = [places.name_of(k[1:]) or k[1:] for k in sorted(
        (k for k in centroid if k.startswith("@")), key=centroid.get, reverse=True)[:2]]
    if event_codes:
        leading = max(event_codes, key=event_codes.get)
        what = ontology()[leading].name if leading in ontology() else leading
    else:
        words = [k.lstrip("#$") for k in sorted(
            (k for k in centroid if not k.startswith("@")), key=centroid.get,
            reverse=True)[:3]]
        what = ", ".join(words)
    return f"{', '.join(actors)}: {what}" if actors else what
