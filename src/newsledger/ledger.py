"""``Ledger``: the public interface to a ledger file.

    ledger = newsledger.Ledger("news.db")
    report = ledger.ingest(["articles/", "feed.xml"])
    ledger.articles(search="troops")

Ingest reads inputs, cleans them, recognises duplicates, runs the language stages (in worker
processes when asked) and stores each batch of results in one transaction, so that a crash loses
at most the batch in flight and re-running is a no-op for what was stored.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import nlp, scale
from .dates import iso
from .errors import InputError
from .ingest.clean import Cleaner, to_article_fields
from .ingest.dedup import Fingerprint, content_id
from .ingest.sources import ReadOptions, read_inputs
from .model import Analysis, Article, Claim, Event
from .pipeline import Pipeline, article_text
from .store import actors as actor_store
from .stories import Clusterer, merge_events, timeline
from .stories.merge import refresh
from .store import articles as article_store
from .store import stories as story_store
from .store import claims as claim_store
from .store import events as event_store
from .store.events import EventFilter
from .store.db import connect, transaction

DEFAULT_BATCH = 32


@dataclass(slots=True)
class IngestReport:
    """What an ingest did.

    added: new articles stored and analysed.
    duplicates: copies of articles already in the ledger (an exact copy from another source, or a
        near-duplicate); linked to the first copy and not analysed again.
    unchanged: inputs already stored from the same source (re-ingesting is a no-op).
    failed: inputs that could not be read, each naming the input and the reason.
    skipped: inputs left out on purpose (unsupported file types in a folder).
    """

    added: int = 0
    duplicates: int = 0
    unchanged: int = 0
    failed: list[InputError] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    added_ids: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.added + self.duplicates + self.unchanged + len(self.failed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "failed": [{"input": e.source, "reason": e.message, "code": e.code} for e in self.failed],
            "skipped": [{"input": e.source, "reason": e.message, "code": e.code}
                        for e in self.skipped],
            "words": self.words,
            "seconds": round(self.seconds, 3),
        }


@dataclass(slots=True)
class _InFlight:
    """Articles accepted in this run and not yet stored, so duplicates among them are caught."""

    fingerprints: dict[str, Fingerprint] = field(default_factory=dict)
    bands: dict[int, set[str]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    sources: set[tuple[str, str]] = field(default_factory=set)
    # Writes that must wait until the article they point to is stored.
    copies: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    near: list[tuple[Article, Fingerprint]] = field(default_factory=list)

    def forget(self, article_id: str) -> None:
        """An accepted article that will not be stored after all (its analysis failed); its
        copies are dropped with it, so that nothing points to a missing article."""
        fingerprint = self.fingerprints.pop(article_id, None)
        for key in fingerprint.band_keys() if fingerprint else ():
            self.bands.get(key, set()).discard(article_id)
        self.ids.discard(article_id)
        self.near = [(a, f) for a, f in self.near if a.duplicate_of != article_id]
        self.copies = [c for c in self.copies if c[1] != article_id]


class Ledger:
    """A ledger of articles and the political events in them, stored in one SQLite file.

    path: the SQLite file (created when missing); ``":memory:"`` keeps it in memory.
    readonly: open without write access (for serving).
    model: the spaCy pipeline to use (see ``newsledger.nlp.model_name``).
    dictionaries: PETRARCH/Phoenix actor and agent dictionaries to use beside the package's own
        knowledge (a file whose name contains "agents" is read as an agents dictionary).
    allow_private: let ingest fetch URLs on loopback, private and link-local addresses (refused
        by default, so that a URL cannot reach services on the host or its network).
    coder: "model" (the learned event coder, refined by the lexicon; the default) or "rules"
        (the lexicon alone: faster, less accurate).
    model_events: with the model coder, also keep its own events where the lexicon finds no
        act (``Pipeline.model_events``).
    """

    def __init__(self, path: str | Path = "newsledger.db", *, readonly: bool = False,
                 model: str | None = None, dictionaries: Iterable[str | Path] = (),
                 allow_private: bool = False, coder: str = "model",
                 model_events: bool = False) -> None:
        self.path = str(path)
        self.allow_private = allow_private
        self.model = model
        self.pipeline = Pipeline(model=model, dictionaries=tuple(str(d) for d in dictionaries),
                                 coder=coder, model_events=model_events)
        self.conn = connect(self.path, readonly=readonly)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ----------------------------------------------------------------------------------

    def ingest(self, inputs: str | Path | Iterable[str | Path], *, workers: int = 1,
               max_bytes: int | None = None, timeout: float | None = None,
               batch_size: int = DEFAULT_BATCH,
               progress: Callable[[IngestReport], None] | None = None,
               client: Any = None, allow_private: bool | None = None) -> IngestReport:
        """Read, clean, analyse and store articles from files, folders, globs, URLs or ``-``.

        workers: processes that parse and analyse (each loads the spaCy pipeline once).
        max_bytes, timeout: limits per input (see ``ReadOptions``).
        batch_size: articles stored per transaction.
        progress: called with the report so far after each input document.
        client: a ``dask.distributed.Client``: parse and analyse on its workers instead of
            ``workers`` local processes (see ``newsledger.scale``); the result is the same.
        allow_private: fetch URLs on private addresses in this run (default: the ledger's
            ``allow_private``).
        """
        if isinstance(inputs, (str, Path)):
            inputs = [inputs]
        defaults = ReadOptions()
        options = ReadOptions(max_bytes=max_bytes or defaults.max_bytes,
                              timeout=timeout or defaults.timeout,
                              allow_private=self.allow_private if allow_private is None
                              else allow_private)
        report = IngestReport()
        started = time.perf_counter()
        flight = _InFlight()
        fresh = self._fresh_articles(read_inputs(inputs, options), report, flight, progress)
        batch: list[tuple[Article, Analysis]] = []
        map_docs = nlp.map_docs if client is None else functools.partial(scale.map_docs, client)
        for article, analysis in map_docs(self.pipeline.analyse_pair, fresh, article_text,
                                          model=self.model, n_process=workers,
                                          batch_size=batch_size,
                                          prepare=self.pipeline.prepare):
            if isinstance(analysis, InputError):
                report.failed.append(analysis)
                flight.forget(article.id)
                continue
            batch.append((article, analysis))
            if len(batch) >= batch_size:
                self._store_batch(batch, flight, report)
                batch = []
        self._store_batch(batch, flight, report)
        report.seconds = time.perf_counter() - started
        return report

    def _fresh_articles(self, items: Iterator[Any], report: IngestReport, flight: _InFlight,
                        progress: Callable[[IngestReport], None] | None) -> Iterator[Article]:
        """Clean each input; count failures, exact copies and near-duplicates; yield the rest."""
        cleaner = Cleaner()
        for item in items:
            if isinstance(item, InputError):
                (report.skipped if item.code.startswith("W") else report.failed).append(item)
            else:
                try:
                    article = _to_article(item, cleaner)
                except InputError as error:
                    report.failed.append(error)
                else:
                    if self._is_new(article, flight, report):
                        yield article
            if progress:
                progress(report)

    def _is_new(self, article: Article, flight: _InFlight, report: IngestReport) -> bool:
        conn = self.conn
        if article.id in flight.ids or article_store.exists(conn, article.id):
            key = (article.source, article.id)
            if key in flight.sources or article_store.has_source(conn, *key):
                report.unchanged += 1
            else:
                flight.sources.add(key)
                flight.copies.append((article.source, article.id, article.url, article.outlet))
                report.duplicates += 1
            return False
        fingerprint = Fingerprint.of(article.text)
        keys = fingerprint.band_keys()
        in_flight = {other for key in keys for other in flight.bands.get(key, ())}
        candidates = article_store.similar(conn, fingerprint) + [
            (other, flight.fingerprints[other]) for other in sorted(in_flight)
            if other in flight.fingerprints]
        for other, other_print in candidates:
            if fingerprint.duplicates(other_print):
                article.duplicate_of = other
                article.similarity = round(fingerprint.containment(other_print), 3)
                flight.near.append((article, fingerprint))
                flight.ids.add(article.id)
                flight.sources.add((article.source, article.id))
                report.duplicates += 1
                return False
        flight.fingerprints[article.id] = fingerprint
        for key in keys:
            flight.bands.setdefault(key, set()).add(article.id)
        flight.ids.add(article.id)
        flight.sources.add((article.source, article.id))
        return True

    def _store_batch(self, batch: list[tuple[Article, Analysis]], flight: _InFlight,
                     report: IngestReport) -> None:
        """Store analysed articles, merge their events, place them in stories, then store the
        copies that point to stored articles: one transaction."""
        with transaction(self.conn) as conn:
            clusterer = Clusterer(conn)
            added = []
            for article, analysis in batch:
                fingerprint = flight.fingerprints.pop(article.id)
                for key in fingerprint.band_keys():
                    flight.bands.get(key, set()).discard(article.id)
                if self._stored_meanwhile(conn, clusterer, article, fingerprint, report):
                    if article.duplicate_of:  # now a copy itself: its copies join its original
                        for near, _ in flight.near:
                            if near.duplicate_of == article.id:
                                near.duplicate_of = article.duplicate_of
                    continue
                article_store.insert_article(conn, article, fingerprint)
                self._record(conn, clusterer, article, analysis)
                added.append(article)
            stored = article_store.ids(conn, {a.duplicate_of for a, _ in flight.near}
                                       | {copy[1] for copy in flight.copies})
            waiting_near, waiting_copies = [], []
            for article, fingerprint in flight.near:
                if article.duplicate_of in stored:
                    # Stored now, so exact copies of this near-duplicate can point to it.
                    stored.add(article.id)
                    if article_store.exists(conn, article.id):  # another ingest stored it
                        article_store.insert_source(conn, article.source, article.id,
                                                    article.url, article.outlet)
                        continue
                    self._store_copy(conn, clusterer, article, fingerprint)
                else:
                    waiting_near.append((article, fingerprint))
            for copy in flight.copies:
                if copy[1] in stored:
                    article_store.insert_source(conn, *copy)
                else:
                    waiting_copies.append(copy)
        flight.near, flight.copies = waiting_near, waiting_copies
        for article in added:
            report.added += 1
            report.words += article.words
            report.added_ids.append(article.id)

    @classmethod
    def _stored_meanwhile(cls, conn: Any, clusterer: Clusterer, article: Article,
                          fingerprint: Fingerprint, report: IngestReport) -> bool:
        """Whether another ingest into this ledger stored ``article``, or a near-duplicate of
        it, after it was checked (two ``ingest`` processes at once): then only its source, or
        the article as a copy, is stored, and its analysis is dropped."""
        if article_store.exists(conn, article.id):
            if article_store.insert_source(conn, article.source, article.id, article.url,
                                           article.outlet):
                report.duplicates += 1
            else:
                report.unchanged += 1
            return True
        found = next(((other, other_print) for other, other_print
                      in article_store.similar(conn, fingerprint)
                      if fingerprint.duplicates(other_print)), None)
        if found is None:
            return False
        article.duplicate_of = found[0]
        article.similarity = round(fingerprint.containment(found[1]), 3)
        cls._store_copy(conn, clusterer, article, fingerprint)
        report.duplicates += 1
        return True

    @staticmethod
    def _store_copy(conn: Any, clusterer: Clusterer, article: Article,
                    fingerprint: Fingerprint) -> None:
        """Store a near-duplicate, linked to its first copy, in the first copy's story."""
        article_store.insert_article(conn, article, fingerprint)
        clusterer.assign(article, None)
        merged = [r[0] for r in conn.execute(
            "SELECT DISTINCT merged_id FROM events WHERE article_id = ?"
            " AND merged_id IS NOT NULL", (article.duplicate_of,))]
        for merged_id in merged:  # the copy's outlet joins the event's outlets
            refresh(conn, merged_id)

    @staticmethod
    def _record(conn: Any, clusterer: Clusterer, article: Article, analysis: Analysis) -> None:
        """Store an article's analysis, merge its events with earlier reports, and place the
        article in a story."""
        article_store.insert_analysis(conn, analysis)
        merge_events(conn, analysis.events)
        placed = clusterer.assign(article, analysis)
        clusterer.count_events(placed.story_id, [e.cameo for e in analysis.events
                                                 if e.polarity == "positive" and not e.content])

    def store(self, analysed: Iterable[tuple[Article, Analysis]]) -> int:
        """Store articles analysed elsewhere (by ``Pipeline.analyse``, on a Dask cluster…) in
        one transaction, with the same duplicate check, event merging and story placement as
        ``ingest``. Articles already stored are left as they are; a near-duplicate is linked
        to its first copy and its analysis dropped. Returns how many were added."""
        added = 0
        with transaction(self.conn) as conn:
            clusterer = Clusterer(conn)
            for article, analysis in analysed:
                if article_store.exists(conn, article.id):
                    continue
                fingerprint = Fingerprint.of(article.text)
                original = next((other for other, other_print in
                                 article_store.similar(conn, fingerprint)
                                 if fingerprint.duplicates(other_print)), None)
                if original is not None:
                    article.duplicate_of = original
                    article_store.insert_article(conn, article, fingerprint)
                    clusterer.assign(article, None)
                    continue
                article_store.insert_article(conn, article, fingerprint)
                self._record(conn, clusterer, article, analysis)
                added += 1
        return added

    # -- reading ---------------------------------------------------------------------------------

    def articles(self, *, search: str | None = None, outlet: str | None = None,
                 since: str | None = None, until: str | None = None, duplicates: bool = True,
                 limit: int = 50, offset: int = 0) -> list[Article]:
        """Articles, newest first; with ``search``, those matching every word, best first."""
        return article_store.search(self.conn, text=search, outlet=outlet, since=since,
                                    until=until, duplicates=duplicates, limit=limit, offset=offset)

    def article(self, article_id: str) -> Article:
        """One article by id (or an unambiguous id prefix); raises ``LedgerError`` if none."""
        return article_store.get(self.conn, article_id)

    def sources(self, article_id: str) -> list[dict[str, str | None]]:
        """Every place the article was read from."""
        return article_store.sources(self.conn, article_store.get(self.conn, article_id).id)

    def events(self, *, limit: int = 100, offset: int = 0, **filters: Any) -> list[Event]:
        """Events, newest first. Filters (all optional): actor, source, target (a code, or a
        country code for all its actors), cameo (code or root), quad_class, plover, since, until
        (ISO dates), polarity, modality, article, story, status (of the event's claim),
        min_corroboration, min_confidence."""
        return event_store.search(self.conn, EventFilter(**filters), limit=limit, offset=offset)

    def event(self, event_id: str) -> Event | None:
        """One event by id."""
        return event_store.get(self.conn, event_id)

    def claims(self, *, status: str | None = None, actor: str | None = None,
               article: str | None = None, limit: int = 100, offset: int = 0) -> list[Claim]:
        """Claims: events someone asserts, with who asserts, denies and confirms them.
        status: reported, disputed, denied or confirmed; actor: any of those, or the event's
        source or target (a code, or a country code)."""
        return claim_store.search(self.conn, status=status, actor=actor, article=article,
                                  limit=limit, offset=offset)

    def count_events(self, **filters: Any) -> int:
        """How many events match the filters of ``events``."""
        return event_store.count(self.conn, EventFilter(**filters))

    def merged_event(self, merged_id: str) -> dict[str, Any] | None:
        """A merged event: its mentions across articles (each with why it joined), outlets,
        corroboration, and its claims taken together."""
        found = story_store.merged_event(self.conn, merged_id)
        if found is not None:
            found["claims"] = story_store.merged_claims(self.conn, merged_id)
        return found

    def merged_event_of(self, event_id: str) -> dict[str, Any] | None:
        """The merged event that ``event_id`` is one report of (see ``merged_event``)."""
        merged_id = story_store.merged_id_of(self.conn, event_id)
        return self.merged_event(merged_id) if merged_id else None

    def stories(self, *, limit: int = 50, offset: int = 0, min_articles: int = 1
                ) -> list[dict[str, Any]]:
        """Stories, most recently active first: label, dates, article count, outlets."""
        return story_store.stories(self.conn, limit=limit, offset=offset,
                                   min_articles=min_articles)

    def story(self, story_id: str, *, by: str = "day") -> dict[str, Any] | None:
        """One story (by id or id prefix): its articles, events, claims and timeline."""
        found = story_store.story(self.conn, story_id)
        if found is None:
            return None
        ids = [a["id"] for a in found["article_list"]]
        found["events"] = [e for article_id in ids
                           for e in event_store.search(self.conn, EventFilter(article=article_id),
                                                       limit=10_000)]
        found["claims"] = [c for article_id in ids
                           for c in claim_store.search(self.conn, article=article_id)]
        found["timeline"] = timeline.story_timeline(self.conn, found["id"], by=by)
        return found

    def story_of(self, article_id: str) -> str | None:
        return story_store.story_of(self.conn, article_id)

    def timeline(self, actor: str, *, target: str | None = None, by: str = "day",
                 since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
        """Events of ``actor`` (a code or a country) by day, week or month: counts by quad
        class and mean Goldstein; towards ``target`` only, when given."""
        return timeline.actor_timeline(self.conn, actor, target=target, by=by, since=since,
                                       until=until)

    def partners(self, actor: str, *, limit: int = 10) -> list[dict[str, Any]]:
        """The actors ``actor`` deals with most: events each way and mean Goldstein."""
        return timeline.partners(self.conn, actor, limit=limit)

    def dyad(self, first: str, second: str, *, by: str = "week", since: str | None = None,
             until: str | None = None) -> dict[str, Any]:
        """The events between two actors, each way and together, by day, week or month."""
        return timeline.dyad(self.conn, first, second, by=by, since=since, until=until)

    def actors(self, *, country: str | None = None, limit: int = 100, offset: int = 0
               ) -> list[dict[str, Any]]:
        """Actors named in the ledger, most mentioned first, with mention and article counts."""
        return actor_store.counts(self.conn, country=country, limit=limit, offset=offset)

    def actor(self, code: str) -> dict[str, Any] | None:
        """One actor by code: its names, ``mention_count`` and ``articles``, and its latest
        ``mentions``, each with its rule."""
        return actor_store.one(self.conn, code.upper())

    # -- exports (see newsledger.export and docs/schema.md) -------------------------------------

    def export(self, path: str | Path | Any, *, format: str = "csv", table: str = "events",
               partition: str | None = None, force: bool = False,
               progress: Callable[[int, int | None], None] | None = None,
               **filters: Any) -> Any:
        """Write a table (events, articles, claims, stories or mentions) to ``path`` as csv,
        gdelt, plover, parquet or jsonl, streaming; ``filters`` are those of ``events``.
        ``partition="month"`` writes a folder of monthly Parquet files. An existing ``path``
        is replaced only with ``force``; a failed export leaves nothing behind. ``path`` may
        also be an open text stream, or ``"-"`` for standard output. Returns an
        ``ExportReport``."""
        from .export import export

        return export(self.conn, path, format=format, table=table, partition=partition,
                      force=force, progress=progress, **filters)

    def export_text(self, *, format: str = "csv", table: str = "events", **filters: Any
                    ) -> Iterator[str]:
        """An export in a text format as a stream of strings (for serving it over HTTP);
        the request is checked before the first string."""
        from .export import text_chunks

        return text_chunks(self.conn, format=format, table=table, **filters)

    def frame(self, table: str = "events", **filters: Any) -> Any:
        """A table as a pandas DataFrame with typed columns (needs the ``analysis`` extra:
        pandas and pyarrow); ``filters`` are those of ``events``."""
        from .export import frame

        return frame(self.conn, table, **filters)

    def events_frame(self, **filters: Any) -> Any:
        """The events matching ``filters`` as a pandas DataFrame, newest first."""
        return self.frame("events", **filters)

    def stats(self) -> dict[str, Any]:
        """Counts of what the ledger holds."""
        counts = article_store.count(self.conn)
        counts["outlets"] = len(article_store.outlets(self.conn))
        counts["mentions"] = self.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
        counts["events"] = self.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        counts["claims"] = self.conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        return counts


def _to_article(raw: Any, cleaner: Cleaner) -> Article:
    cleaned = to_article_fields(raw, cleaner)
    return Article(
        id=content_id(cleaned.text, cleaned.title),
        text=cleaned.text,
        title=cleaned.title,
        url=cleaned.url,
        outlet=cleaned.outlet,
        published=iso(cleaned.published),
        dateline=cleaned.dateline,
        source=raw.source,
        date_source=cleaned.date_source,
        outlet_country=cleaned.outlet_country,
        outlet_code=cleaned.outlet_code,
    )

