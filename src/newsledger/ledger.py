"""``Ledger``: the public interface to a ledger file.

    ledger = newsledger.Ledger("news.db")
    report = ledger.ingest(["articles/", "feed.xml"])
    report = ledger.ingest([{"text": "...", "published": "2024-06-24"}])
    ledger.articles(search="troops")

A facade: ingest runs in ``newsledger.ingest.run`` (reading, cleaning, duplicates, analysis,
batched storing), queries in ``newsledger.store`` (all the SQL) and the stories' timelines in
``newsledger.stories``; results are typed (``newsledger.results``, each with ``to_dict``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .ingest.documents import ReadOptions
from .ingest.run import DEFAULT_BATCH, MEMORY, Document, IngestReport, ingest, store_analysed
from .knowledge import Knowledge
from .knowledge import of as knowledge_of
from .model import Analysis, Article, Claim, Event, RawDocument
from .pipeline import Pipeline
from .results import (Actor, ActorCount, Dyad, MergedEvent, Partner, Source, Stats, Story,
                      StoryArticle, StorySummary, TimelineBucket, buckets)
from .store import actors as actor_store
from .store import articles as article_store
from .store import claims as claim_store
from .store import db as store_db
from .store import events as event_store
from .store import stories as story_store
from .store.db import connect
from .store.events import EventFilter
from .stories import timeline

__all__ = ["DEFAULT_BATCH", "IngestReport", "Ledger"]

# The most events and claims of one article a story lists (as when it was read article by
# article).
_STORY_EVENTS = 10_000
_STORY_CLAIMS = 100


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
    data: folders of knowledge over the package's (actors, people, agents, verb patterns, speech
        cues…: the shape of ``newsledger/data``, see ``newsledger.knowledge``), after those of
        ``$NEWSLEDGER_DATA``; skipped lines of them are in ``warnings``.
    knowledge: a ``newsledger.knowledge.Knowledge`` to use instead of ``data``.
    """

    def __init__(self, path: str | Path = "newsledger.db", *, readonly: bool = False,
                 model: str | None = None, dictionaries: Iterable[str | Path] = (),
                 allow_private: bool = False, coder: str = "model",
                 model_events: bool = False, data: Iterable[str | Path] = (),
                 knowledge: Knowledge | None = None) -> None:
        self.path = str(path)
        self.allow_private = allow_private
        self.model = model
        self.knowledge = knowledge or knowledge_of(data)
        self.pipeline = Pipeline(model=model, dictionaries=tuple(str(d) for d in dictionaries),
                                 coder=coder, model_events=model_events,
                                 knowledge=self.knowledge)
        self.conn = connect(self.path, readonly=readonly)

    def close(self) -> None:
        self.conn.close()

    @property
    def warnings(self) -> list[str]:
        """Lines of the user's knowledge folders and ``dictionaries`` that were skipped, each
        naming its file and line."""
        return self.pipeline.warnings()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ----------------------------------------------------------------------------------

    def ingest(self, inputs: Document | Iterable[Document], *, workers: int = 1,
               max_bytes: int | None = None, timeout: float | None = None,
               batch_size: int = DEFAULT_BATCH,
               progress: Callable[[IngestReport], None] | None = None,
               client: Any = None, allow_private: bool | None = None,
               source: str = MEMORY) -> IngestReport:
        """Read, clean, analyse and store articles from files, folders, globs, URLs or ``-``,
        and in-memory documents: dicts with ``text`` or ``html`` and optional ``title``,
        ``url``, ``published``, ``outlet`` (read exactly as a JSONL line holding them),
        ``RawDocument``s and ``Article``s (taken as cleaned). No file is written for them.

        workers: processes that parse and analyse (each loads the spaCy pipeline once).
        max_bytes, timeout: limits per input (see ``ReadOptions``).
        batch_size: articles stored per transaction.
        progress: called with the report so far after each input document.
        client: a ``dask.distributed.Client``: parse and analyse on its workers instead of
            ``workers`` local processes (see ``newsledger.scale``); the result is the same.
        allow_private: fetch URLs on private addresses in this run (default: the ledger's
            ``allow_private``).
        source: the name in-memory documents without one are stored and reported under,
            numbered from 1 in this call (``<memory>:1``, ``<memory>:2``…).
        """
        if isinstance(inputs, (str, Path, Mapping, RawDocument, Article)):
            inputs = [inputs]
        defaults = ReadOptions()
        options = ReadOptions(max_bytes=max_bytes or defaults.max_bytes,
                              timeout=timeout or defaults.timeout,
                              allow_private=self.allow_private if allow_private is None
                              else allow_private)
        return ingest(self.conn, self.pipeline, inputs, options=options, model=self.model,
                      workers=workers, batch_size=batch_size, progress=progress, client=client,
                      name=source)

    def store(self, analysed: Iterable[tuple[Article, Analysis]], *,
              batch_size: int | None = None) -> int:
        """Store articles analysed elsewhere (by ``Pipeline.analyse``, on a Dask cluster…)
        through the same path as ``ingest``: the same duplicate check (an exact copy from a new
        source is recorded as a source, a near-duplicate is linked to its first copy, joins its
        story and its analysis is dropped), event merging and story placement. Articles
        already stored from the same source are left as they are. All in one transaction
        unless ``batch_size`` is given. Returns how many were added."""
        return store_analysed(self.conn, analysed, batch_size=batch_size,
                              knowledge=self.knowledge).added

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

    def sources(self, article_id: str) -> list[Source]:
        """Every place the article was read from."""
        return [Source.of(row) for row in
                article_store.sources(self.conn, article_store.get(self.conn, article_id).id)]

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

    def merged_event(self, merged_id: str) -> MergedEvent | None:
        """A merged event: its mentions across articles (each with why it joined), outlets,
        corroboration, and its claims taken together."""
        found = story_store.merged_event(self.conn, merged_id)
        if found is None:
            return None
        return MergedEvent.of(found | {"claims": story_store.merged_claims(self.conn,
                                                                            merged_id)})

    def merged_event_of(self, event_id: str) -> MergedEvent | None:
        """The merged event that ``event_id`` is one report of (see ``merged_event``)."""
        merged_id = story_store.merged_id_of(self.conn, event_id)
        return self.merged_event(merged_id) if merged_id else None

    def stories(self, *, limit: int = 50, offset: int = 0, min_articles: int = 1
                ) -> list[StorySummary]:
        """Stories, most recently active first: label, dates, article count, outlets."""
        return [StorySummary.of(row) for row in story_store.stories(
            self.conn, limit=limit, offset=offset, min_articles=min_articles)]

    def story(self, story_id: str, *, by: str = "day") -> Story | None:
        """One story (by id or id prefix): its articles, their events and claims (article by
        article, in the order of the articles), and its timeline. A fixed number of queries,
        however many articles the story has."""
        found = story_store.story(self.conn, story_id)
        if found is None:
            return None
        articles = [StoryArticle.of(row) for row in found.pop("article_list")]
        order = [a.id for a in articles]
        events = event_store.search(self.conn, EventFilter(story=found["id"]), limit=-1)
        claims = claim_store.search(self.conn, story=found["id"], limit=-1)
        return Story(**found, article_list=articles,
                     events=_by_article(events, order, _STORY_EVENTS),
                     claims=_by_article(claims, order, _STORY_CLAIMS),
                     timeline=buckets(timeline.story_timeline(self.conn, found["id"], by=by)))

    def story_of(self, article_id: str) -> str | None:
        return story_store.story_of(self.conn, article_id)

    def timeline(self, actor: str, *, target: str | None = None, by: str = "day",
                 since: str | None = None, until: str | None = None) -> list[TimelineBucket]:
        """Events of ``actor`` (a code or a country) by day, week or month: counts by quad
        class and mean Goldstein; towards ``target`` only, when given."""
        return buckets(timeline.actor_timeline(self.conn, actor, target=target, by=by,
                                               since=since, until=until))

    def partners(self, actor: str, *, limit: int = 10) -> list[Partner]:
        """The actors ``actor`` deals with most: events each way and mean Goldstein."""
        return [Partner.of(row) for row in timeline.partners(self.conn, actor, limit=limit)]

    def dyad(self, first: str, second: str, *, by: str = "week", since: str | None = None,
             until: str | None = None) -> Dyad:
        """The events between two actors, each way and together, by day, week or month."""
        return Dyad.of(timeline.dyad(self.conn, first, second, by=by, since=since, until=until))

    def actors(self, *, country: str | None = None, limit: int = 100, offset: int = 0
               ) -> list[ActorCount]:
        """Actors named in the ledger, most mentioned first, with mention and article counts."""
        return [ActorCount.of(row) for row in actor_store.counts(
            self.conn, country=country, limit=limit, offset=offset)]

    def actor(self, code: str) -> Actor | None:
        """One actor by code: its names, ``mention_count`` and ``articles``, and its latest
        ``mentions``, each with its rule."""
        found = actor_store.one(self.conn, code.upper())
        return Actor.of(found) if found is not None else None

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

    def stats(self) -> Stats:
        """Counts of what the ledger holds."""
        return Stats.of(store_db.stats(self.conn))


def _by_article(items: list[Any], order: list[str], cap: int) -> list[Any]:
    """``items`` (events or claims, each with an ``article_id``) grouped by article in the
    order of ``order``, keeping their order within an article and at most ``cap`` of each."""
    grouped: dict[str, list[Any]] = {article_id: [] for article_id in order}
    for item in items:
        kept = grouped.get(item.article_id)
        if kept is not None and len(kept) < cap:
            kept.append(item)
    return [item for article_id in order for item in grouped[article_id]]
