"""One ingest run: inputs read, cleaned, checked for duplicates, analysed and stored in batches.

Both ways into a ledger go through ``IngestRun``:

- ``ingest`` (``Ledger.ingest``): files, folders, globs, URLs, ``-``, and in-memory documents
  (dicts shaped like JSONL records, ``RawDocument``s, ``Article``s) are read, cleaned and
  analysed by the pipeline (in worker processes or on a Dask cluster when asked);
- ``store_analysed`` (``Ledger.store``): articles analysed elsewhere, with their analyses.

Either way, each article is checked against the ledger and against the articles accepted in this
run and not yet stored (``InFlight``): an exact copy from a new source is recorded as a source of
the first copy, one from a known source is unchanged, and a near-duplicate is stored as a copy
in its first copy's story, its analysis dropped. Each batch is stored in one transaction (event
merging and story placement included), so that a crash loses at most the batch in flight and
re-running is a no-op for what was stored.

This module sits above the store and the stories: it imports them, they never import it.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import nlp, scale
from ..dates import iso
from ..errors import Errors, InputError
from ..knowledge import Knowledge
from ..model import Analysis, Article, RawDocument
from ..pipeline import Pipeline, article_text
from ..store import articles as article_store
from ..store import events as event_store
from ..store.db import transaction
from ..stories import Clusterer, merge_events
from ..stories.cluster import Settings, embed_meaning
from ..stories.merge import MergeSettings, refresh
from .clean import Cleaner, to_article_fields
from .dedup import Fingerprint, content_id
from .documents import ReadOptions
from .sources import read_inputs, read_jsonl, vetted

if TYPE_CHECKING:
    from spacy.tokens import Doc

DEFAULT_BATCH = 32
MEMORY = "<memory>"  # the source name of in-memory documents, numbered from 1: <memory>:1

Document = str | Path | Mapping[str, Any] | RawDocument | Article
Progress = Callable[["IngestReport"], None]


@dataclass(slots=True)
class IngestReport:
    """What an ingest did.

    added: new articles stored and analysed.
    duplicates: copies of articles already in the ledger (an exact copy from another source, or a
        near-duplicate); linked to the first copy and not analysed again.
    unchanged: inputs already stored from the same source (re-ingesting is a no-op).
    failed: inputs that could not be read, each naming the input and the reason.
    skipped: inputs left out on purpose (unsupported file types in a folder).
    warnings: lines of the user's knowledge files and dictionaries that were skipped, each
        naming its file and line (see ``newsledger.knowledge``).
    """

    added: int = 0
    duplicates: int = 0
    unchanged: int = 0
    failed: list[InputError] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    added_ids: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

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
            "warnings": list(self.warnings),
        }


@dataclass(slots=True)
class InFlight:
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

    def accept(self, article: Article, fingerprint: Fingerprint) -> None:
        """``article`` will be analysed and stored: later copies of it must find it."""
        self.fingerprints[article.id] = fingerprint
        for key in fingerprint.band_keys():
            self.bands.setdefault(key, set()).add(article.id)
        self.ids.add(article.id)
        self.sources.add((article.source, article.id))

    def release(self, article_id: str) -> Fingerprint:
        """The fingerprint of an accepted article about to be stored (it is no longer in
        flight: the ledger now answers for it)."""
        fingerprint = self.fingerprints.pop(article_id)
        for key in fingerprint.band_keys():
            self.bands.get(key, set()).discard(article_id)
        return fingerprint

    def candidates(self, fingerprint: Fingerprint) -> list[tuple[str, Fingerprint]]:
        """Accepted articles that share an LSH band with ``fingerprint``."""
        found = {other for key in fingerprint.band_keys() for other in self.bands.get(key, ())}
        return [(other, self.fingerprints[other]) for other in sorted(found)
                if other in self.fingerprints]


# -- reading ------------------------------------------------------------------------------------


def read_documents(inputs: Iterable[Document], options: ReadOptions, name: str = MEMORY
                   ) -> Iterator[RawDocument | Article | InputError]:
    """Each document of ``inputs``, in order: paths and URLs are read (``read_inputs``);
    in-memory documents are named ``name:N`` (N counts them from 1) unless they carry a
    source. A dict is read exactly as a line of a JSONL file holding it (same fields, same
    checks, same errors), without any file being written; an ``Article`` is taken as cleaned."""
    number = 0
    for item in inputs:
        if isinstance(item, (str, Path, bytes)):
            yield from read_inputs([item], options)
            continue
        number += 1
        where = f"{name}:{number}"
        if isinstance(item, Mapping):
            yield from _read_record(item, where, options)
        elif isinstance(item, RawDocument):
            yield vetted(item if item.source else dataclasses.replace(item, source=where))
        elif isinstance(item, Article):
            yield _vetted_article(item if item.source else dataclasses.replace(item, source=where))
        else:
            yield InputError(where, Errors.E112.format(
                detail=f"not a path, a URL, a dict or an Article (a {type(item).__name__})"))


def _read_record(record: Mapping[str, Any], where: str, options: ReadOptions
                 ) -> Iterator[RawDocument | InputError]:
    """One dict, read by the JSONL reader from an in-memory line (``ensure_ascii``: a lone
    surrogate stays an escape, reported by the reader as in a file)."""
    try:
        line = json.dumps(dict(record), ensure_ascii=True, allow_nan=False)
    except (TypeError, ValueError) as error:
        yield InputError(where, Errors.E112.format(detail=f"not JSON data ({error})"))
        return
    for item in read_jsonl(io.BytesIO(line.encode("ascii") + b"\n"), where, options):
        # The reader names its only line where:1; the record is where.
        yield vetted(InputError(where, item.message) if isinstance(item, InputError)
                     else dataclasses.replace(item, source=where))


def _vetted_article(article: Article) -> Article | InputError:
    checked = vetted(RawDocument(source=article.source, text=article.text, title=article.title,
                                 url=article.url, published=article.published,
                                 outlet=article.outlet))
    if isinstance(checked, InputError):
        return checked
    return article if article.id else dataclasses.replace(
        article, id=content_id(article.text, article.title))


def to_article(raw: RawDocument, cleaner: Cleaner) -> Article:
    """The cleaned article of a raw document, identified by its content."""
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


# -- one run ------------------------------------------------------------------------------------


def story_knowledge(knowledge: Knowledge | None
                    ) -> tuple[Settings | None, MergeSettings | None, frozenset[str] | None]:
    """The clustering settings, the merge settings and the story stop words of ``knowledge``;
    each None where the stories code is to use the package's (no knowledge, or no user file
    changing the settings)."""
    if knowledge is None:
        return None, None, None
    return knowledge.story_config(), knowledge.merge_config(), knowledge.stopwords


class IngestRun:
    """The duplicate check and batched storing of one run into the ledger at ``conn``.

    batch_size: articles stored per transaction (None: all of them in one, at ``finish``).
    knowledge: the cleaning rules, outlets, story settings, merge settings and story stop words
        to use (default: the package's).
    """

    def __init__(self, conn: sqlite3.Connection, *, batch_size: int | None = DEFAULT_BATCH,
                 knowledge: Knowledge | None = None) -> None:
        self.conn = conn
        self.batch_size = batch_size
        self.knowledge = knowledge
        self.story_settings, self.merge_settings, self.stopwords = story_knowledge(knowledge)
        self.report = IngestReport()
        self.flight = InFlight()
        self.batch: list[tuple[Article, Analysis]] = []
        self.started = time.perf_counter()

    def fresh(self, items: Iterable[RawDocument | Article | InputError],
              progress: Progress | None = None) -> Iterator[Article]:
        """Clean each input; count failures, exact copies and near-duplicates; yield the rest."""
        cleaner = self.knowledge.cleaner() if self.knowledge is not None else Cleaner()
        for item in items:
            if isinstance(item, InputError):
                (self.report.skipped if item.code.startswith("W") else self.report.failed
                 ).append(item)
            else:
                try:
                    article = item if isinstance(item, Article) else to_article(item, cleaner)
                except InputError as error:
                    self.report.failed.append(error)
                else:
                    if self.accept(article):
                        yield article
            if progress:
                progress(self.report)

    def accept(self, article: Article) -> bool:
        """Whether ``article`` is new, to be analysed and stored. Otherwise it is counted: an
        exact copy from a known source is unchanged; one from a new source, or a
        near-duplicate, is a duplicate, stored as such once its first copy is."""
        flight, report = self.flight, self.report
        if article.id in flight.ids or article_store.exists(self.conn, article.id):
            key = (article.source, article.id)
            if key in flight.sources or article_store.has_source(self.conn, *key):
                report.unchanged += 1
            else:
                flight.sources.add(key)
                flight.copies.append((article.source, article.id, article.url, article.outlet))
                report.duplicates += 1
            return False
        fingerprint = Fingerprint.of(article.text)
        candidates = (article_store.similar(self.conn, fingerprint)
                      + flight.candidates(fingerprint))
        for other, other_print in candidates:
            if fingerprint.duplicates(other_print):
                article.duplicate_of = other
                article.similarity = round(fingerprint.containment(other_print), 3)
                flight.near.append((article, fingerprint))
                flight.ids.add(article.id)
                flight.sources.add((article.source, article.id))
                report.duplicates += 1
                return False
        flight.accept(article, fingerprint)
        return True

    def analysed(self, article: Article, analysis: Analysis | InputError) -> None:
        """The analysis of an accepted article (or why it failed); stores a full batch."""
        if isinstance(analysis, InputError):
            self.report.failed.append(analysis)
            self.flight.forget(article.id)
            return
        self.batch.append((article, analysis))
        if self.batch_size is not None and len(self.batch) >= self.batch_size:
            self.store_batch()

    def finish(self) -> IngestReport:
        """Store what is left; the report of the run."""
        self.store_batch()
        self.report.seconds = time.perf_counter() - self.started
        return self.report

    # -- storing ----------------------------------------------------------------------------

    def store_batch(self) -> None:
        """Store the analysed articles, merge their events, place them in stories, then store
        the copies that point to stored articles: one transaction."""
        batch, self.batch = self.batch, []
        with transaction(self.conn) as conn:
            clusterer = Clusterer(conn, self.story_settings, stopwords=self.stopwords)
            added = [article for article, analysis in batch
                     if self._store_original(conn, clusterer, article, analysis)]
            self._store_waiting(conn, clusterer)
        for article in added:
            self.report.added += 1
            self.report.words += article.words
            self.report.added_ids.append(article.id)

    def _store_original(self, conn: sqlite3.Connection, clusterer: Clusterer, article: Article,
                        analysis: Analysis) -> bool:
        """Store an accepted article with its analysis; False if another ingest stored it, or
        a near-duplicate of it, meanwhile."""
        fingerprint = self.flight.release(article.id)
        if self._stored_meanwhile(conn, clusterer, article, fingerprint):
            if article.duplicate_of:  # now a copy itself: its copies join its original
                for near, _ in self.flight.near:
                    if near.duplicate_of == article.id:
                        near.duplicate_of = article.duplicate_of
            return False
        article_store.insert_article(conn, article, fingerprint)
        record(conn, clusterer, article, analysis, self.merge_settings)
        return True

    def _store_waiting(self, conn: sqlite3.Connection, clusterer: Clusterer) -> None:
        """Store the near-duplicates and exact copies whose first copy is now stored; the
        others wait for a later batch."""
        flight = self.flight
        stored = article_store.ids(conn, {a.duplicate_of for a, _ in flight.near}
                                   | {copy[1] for copy in flight.copies})
        waiting_near, waiting_copies = [], []
        for article, fingerprint in flight.near:
            if article.duplicate_of not in stored:
                waiting_near.append((article, fingerprint))
                continue
            # Stored now, so exact copies of this near-duplicate can point to it.
            stored.add(article.id)
            if article_store.exists(conn, article.id):  # another ingest stored it
                article_store.insert_source(conn, article.source, article.id, article.url,
                                            article.outlet)
            else:
                store_copy(conn, clusterer, article, fingerprint)
        for copy in flight.copies:
            if copy[1] in stored:
                article_store.insert_source(conn, *copy)
            else:
                waiting_copies.append(copy)
        flight.near, flight.copies = waiting_near, waiting_copies

    def _stored_meanwhile(self, conn: sqlite3.Connection, clusterer: Clusterer,
                          article: Article, fingerprint: Fingerprint) -> bool:
        """Whether another ingest into this ledger stored ``article``, or a near-duplicate of
        it, after it was checked (two ``ingest`` processes at once): then only its source, or
        the article as a copy, is stored, and its analysis is dropped."""
        if article_store.exists(conn, article.id):
            if article_store.insert_source(conn, article.source, article.id, article.url,
                                           article.outlet):
                self.report.duplicates += 1
            else:
                self.report.unchanged += 1
            return True
        found = next(((other, other_print) for other, other_print
                      in article_store.similar(conn, fingerprint)
                      if fingerprint.duplicates(other_print)), None)
        if found is None:
            return False
        article.duplicate_of = found[0]
        article.similarity = round(fingerprint.containment(found[1]), 3)
        store_copy(conn, clusterer, article, fingerprint)
        self.report.duplicates += 1
        return True


def store_copy(conn: sqlite3.Connection, clusterer: Clusterer, article: Article,
               fingerprint: Fingerprint) -> None:
    """Store a near-duplicate, linked to its first copy, in the first copy's story."""
    article_store.insert_article(conn, article, fingerprint)
    clusterer.assign(article, None)
    for merged_id in event_store.merged_ids(conn, article.duplicate_of):
        refresh(conn, merged_id)  # the copy's outlet joins the event's outlets


def record(conn: sqlite3.Connection, clusterer: Clusterer, article: Article,
           analysis: Analysis, merge: MergeSettings | None = None) -> None:
    """Store an article's analysis, merge its events with earlier reports (by ``merge``, the
    package's settings when None), and place the article in a story."""
    article_store.insert_analysis(conn, analysis)
    merge_events(conn, analysis.events, config=merge)
    placed = clusterer.assign(article, analysis)
    clusterer.count_events(placed.story_id, [e.cameo for e in analysis.events
                                             if e.polarity == "positive" and not e.content])


# -- the two ways in ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnalyseAndEmbed:
    """``Pipeline.analyse_pair``, then, in the same process, the article's story vector
    (``embed_meaning``, with the run's story settings): with several workers, the workers run
    the encoder, and the one process that stores never waits on it."""

    pipeline: Pipeline
    stories: Settings | None = None

    def __call__(self, article: Article, doc: Doc) -> tuple[Article, Analysis | InputError]:
        article, analysis = self.pipeline.analyse_pair(article, doc)
        if isinstance(analysis, Analysis):
            try:
                embed_meaning(article, analysis, self.stories)
            except Exception:  # noqa: BLE001 - not lost: the storing process computes it then
                analysis.meaning = None  # (and reports the article if it fails there too)
        return article, analysis


def ingest(conn: sqlite3.Connection, pipeline: Pipeline, inputs: Iterable[Document], *,
           options: ReadOptions, model: str | None = None, workers: int = 1,
           batch_size: int = DEFAULT_BATCH, progress: Progress | None = None,
           client: Any = None, name: str = MEMORY) -> IngestReport:
    """Read, clean, analyse and store ``inputs`` (see ``Ledger.ingest``)."""
    run = IngestRun(conn, batch_size=batch_size, knowledge=pipeline.knowledge)
    fresh = run.fresh(read_documents(inputs, options, name), progress)
    map_docs = nlp.map_docs if client is None else functools.partial(scale.map_docs, client)
    analyse = AnalyseAndEmbed(pipeline, run.story_settings)
    for article, analysis in map_docs(analyse, fresh, article_text, model=model,
                                      n_process=workers, batch_size=batch_size,
                                      prepare=pipeline.prepare):
        run.analysed(article, analysis)
    report = run.finish()
    report.warnings = pipeline.warnings()
    return report


def store_analysed(conn: sqlite3.Connection, analysed: Iterable[tuple[Article, Analysis]], *,
                   batch_size: int | None = None, knowledge: Knowledge | None = None
                   ) -> IngestReport:
    """Store articles analysed elsewhere (see ``Ledger.store``): the same duplicate check,
    event merging and story placement as ``ingest``; a duplicate's analysis is dropped."""
    run = IngestRun(conn, batch_size=batch_size, knowledge=knowledge)
    for article, analysis in analysed:
        if run.accept(article):
            run.analysed(article, analysis)
    return run.finish()
