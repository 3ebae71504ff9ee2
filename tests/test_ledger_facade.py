"""Ledger as a facade over one ingest path: in-memory documents, ``store`` and ``ingest`` alike,
``story`` in a fixed number of queries, typed results, and a web POST that writes no file."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from newsledger import Ledger, nlp
from newsledger.ingest.clean import Cleaner
from newsledger.ingest.run import to_article
from newsledger.model import RawDocument
from newsledger.pipeline import Pipeline, article_text
from newsledger.results import Stats, Story

SHELLING = (
    "Russian forces shelled the city of Kharkiv on Monday night, killing three civilians and "
    "wounding eleven, the regional governor said. Ukraine's foreign ministry condemned the "
    "attack and called on its allies to send more air defence systems. The shelling damaged a "
    "school, a power station and several apartment blocks in the north of the city, and "
    "rescue teams worked through the morning to clear the rubble from the streets."
)
TALKS = (
    "The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss a maritime "
    "border dispute that has strained relations between the two neighbours for a decade. Both "
    "sides said the talks had been constructive and agreed to meet again in Santiago next "
    "month, while fishing rights would be settled first."
)
PROTEST = (
    "Farmers in northern Kenya blocked a highway on Monday to protest against rising fuel "
    "prices, police said. Officers used tear gas to disperse the crowd after talks with local "
    "leaders broke down, and the government promised to review the fuel levy."
)
RECORDS = [
    {"text": SHELLING, "outlet": "Daily A", "published": "2024-06-24"},
    {"text": TALKS, "title": "Talks in Lima", "outlet": "Lima Post", "published": "2024-06-25"},
    {"text": "   "},  # no text: refused, and the rest goes on
    {"text": PROTEST, "url": "https://example.org/kenya", "published": "2024-06-24"},
]


def contents(ledger: Ledger) -> dict:
    """What a ledger holds, independent of where its articles were read from."""
    events = sorted(json.dumps(e.to_dict(), sort_keys=True) for e in ledger.events(limit=10_000))
    claims = sorted(json.dumps(c.to_dict(), sort_keys=True) for c in ledger.claims(limit=10_000))
    stories = sorted(sorted(a.id for a in ledger.story(s.id).article_list)
                     for s in ledger.stories(limit=1000))
    return {"events": events, "claims": claims, "stories": stories,
            "articles": sorted(a.id for a in ledger.articles(limit=1000))}


def test_in_memory_dicts_give_the_same_events_as_the_same_records_in_a_file(tmp_path: Path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    with Ledger(":memory:", coder="rules") as from_file, \
            Ledger(":memory:", coder="rules") as from_memory:
        file_report = from_file.ingest(path)
        memory_report = from_memory.ingest(RECORDS)
        assert file_report.added == memory_report.added == 3
        assert [e.code for e in file_report.failed] == [e.code for e in memory_report.failed] \
            == ["E107"]
        assert memory_report.failed[0].source == "<memory>:3"  # named by its place, like a line
        stored = contents(from_memory)
        assert stored["events"] and any(e.source and e.source.code.startswith("RUS")
                                        for e in from_memory.events(cameo="19"))
        assert contents(from_file) == stored
        # Articles (taken as cleaned) give the same events again.
        cleaner = Cleaner()
        articles = [to_article(RawDocument(source="", **r), cleaner) for r in RECORDS
                    if r["text"].strip()]
        with Ledger(":memory:", coder="rules") as from_articles:
            assert from_articles.ingest(articles).added == 3
            assert contents(from_articles) == stored
        again = from_memory.ingest(RECORDS)  # the same documents again: nothing new
        assert (again.added, again.unchanged) == (0, 3)


def test_a_dict_is_checked_like_a_jsonl_line(tmp_path: Path):
    with Ledger(":memory:", coder="rules") as ledger:
        report = ledger.ingest([{"text": 5}, {"text": "Talks in \ud800 Lima."},
                                {"text": TALKS, "when": object()}], source="posted")
    assert report.added == 0
    assert [(e.source, e.code) for e in report.failed] == [
        ("posted:1", "E113"), ("posted:2", "E130"), ("posted:3", "E112")]


# -- store and ingest: one path -----------------------------------------------------------------

NEAR = SHELLING + " Reporting by the Kyiv bureau."
DUPLICATES = [
    {"text": SHELLING, "outlet": "Daily A", "published": "2024-06-24"},
    {"text": NEAR, "outlet": "Paper B", "published": "2024-06-24"},  # a near-duplicate
    {"text": SHELLING, "outlet": "Daily A", "published": "2024-06-24"},  # an exact copy
    {"text": TALKS, "outlet": "Lima Post", "published": "2024-06-25"},
]


def analysed_elsewhere(records: list[dict], pipeline: Pipeline) -> list:
    """(article, analysis) pairs as a Dask run or a caller of ``Pipeline.analyse`` has them,
    each article named as ``ingest`` names in-memory documents."""
    cleaner = Cleaner()
    articles = [to_article(RawDocument(source=f"<memory>:{n}", **r), cleaner)
                for n, r in enumerate(records, start=1)]
    return list(nlp.map_docs(pipeline.analyse_pair, articles, article_text,
                             prepare=pipeline.prepare))


def duplicate_handling(ledger: Ledger) -> dict:
    conn = ledger.conn
    stories: dict[str, list[str]] = {}
    for article_id, story_id in conn.execute("SELECT article_id, story_id FROM story_articles"):
        stories.setdefault(story_id, []).append(article_id)
    return {
        "articles": conn.execute("SELECT id, duplicate_of, similarity, outlet, analysed"
                                 " FROM articles ORDER BY id").fetchall(),
        "sources": conn.execute("SELECT source, article_id FROM article_sources"
                                " ORDER BY source").fetchall(),
        "stories": sorted(sorted(ids) for ids in stories.values()),
        "merged": conn.execute("SELECT id, outlets, corroboration, mentions FROM merged_events"
                               " ORDER BY id").fetchall(),
        "events": conn.execute("SELECT id, article_id, merged_id FROM events"
                               " ORDER BY id").fetchall(),
    }


def test_store_and_ingest_treat_a_duplicate_the_same(tmp_path: Path):
    with Ledger(tmp_path / "ingest.db", coder="rules") as ingested, \
            Ledger(tmp_path / "store.db", coder="rules") as stored:
        report = ingested.ingest(DUPLICATES)
        assert stored.store(analysed_elsewhere(DUPLICATES, stored.pipeline)) == report.added == 2
        assert report.duplicates == 2
        via_ingest, via_store = duplicate_handling(ingested), duplicate_handling(stored)
        assert via_store == via_ingest
        # What both do: the near-duplicate is linked to its first copy with its similarity,
        # is not analysed, joins its story, and its outlet joins the merged event's outlets;
        # the exact copy from another source is recorded as a source of the first copy.
        original = stored.article(to_article(RawDocument(source="", text=SHELLING),
                                             Cleaner()).id)
        [near] = [a for a in stored.articles() if a.duplicate_of]
        assert near.duplicate_of == original.id and near.similarity and near.similarity > 0.8
        assert not stored.events(article=near.id)
        assert stored.story_of(near.id) == stored.story_of(original.id)
        assert {s.source for s in stored.sources(original.id)} == {"<memory>:1", "<memory>:3"}
        outlets = [json.loads(row[1]) for row in via_store["merged"]
                   if json.loads(row[1]) and "Daily A" in json.loads(row[1])]
        assert outlets and all("Paper B" in o for o in outlets)
        # Again: a no-op both ways.
        assert stored.store(analysed_elsewhere(DUPLICATES, stored.pipeline)) == 0
        assert ingested.ingest(DUPLICATES).added == 0
        assert duplicate_handling(stored) == via_store
        assert duplicate_handling(ingested) == via_ingest


# -- story: a fixed number of queries -----------------------------------------------------------


def queries_of_story(ledger: Ledger, story_id: str) -> tuple[int, Story]:
    statements: list[str] = []
    ledger.conn.set_trace_callback(statements.append)
    try:
        found = ledger.story(story_id)
    finally:
        ledger.conn.set_trace_callback(None)
    return len(statements), found


@pytest.mark.parametrize("copies", [1, 6])
def test_story_issues_a_fixed_number_of_queries_whatever_its_size(copies: int, tmp_path: Path):
    records = [{"text": SHELLING + (f" Reporting by desk {n}." if n else ""),
                "outlet": f"Outlet {n}", "published": "2024-06-24"} for n in range(copies)]
    records.append({"text": TALKS, "outlet": "Lima Post", "published": "2024-06-25"})
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        ledger.ingest(records)
        [story_id] = {ledger.story_of(a.id) for a in ledger.articles() if "Kharkiv" in a.text}
        count, found = queries_of_story(ledger, story_id)
        assert len(found.article_list) == copies
        assert found.events and found.timeline
        assert {e.article_id for e in found.events} <= {a.id for a in found.article_list}
        assert count <= 8, count  # the same for 1 article and for 6
        # The story lists each article's events, as reading them article by article does.
        by_article = [e.id for a in found.article_list
                      for e in ledger.events(article=a.id, limit=10_000)]
        assert [e.id for e in found.events] == by_article


# -- typed results ------------------------------------------------------------------------------


def test_results_are_dataclasses_whose_to_dict_keeps_the_keys(tmp_path: Path):
    with Ledger(":memory:", coder="rules") as ledger:
        ledger.ingest(RECORDS)
        stats = ledger.stats()
        assert isinstance(stats, Stats) and stats.articles == 3
        assert list(stats.to_dict()) == ["articles", "duplicates", "words", "analysed",
                                         "sources", "outlets", "mentions", "events", "claims"]
        assert stats == stats.to_dict() and stats["events"] == stats.events  # the shim
        with pytest.raises(KeyError):
            stats["nothing"]
        [summary] = [s for s in ledger.stories() if "Daily A" in s.outlets]
        story = ledger.story(summary.id)
        data = story.to_dict()
        assert list(data) == ["id", "label", "first_date", "last_date", "articles", "outlets",
                              "article_list", "events", "claims", "timeline"]
        assert data["events"] == [e.to_dict() for e in story.events]
        json.dumps(data)  # JSON-ready, nested results included
        actor = ledger.actor("RUS") or ledger.actor("RUSMIL")
        assert actor is not None and json.dumps(actor.to_dict())


# -- the web POST writes no file ----------------------------------------------------------------


def test_the_web_post_ingests_without_a_temporary_file(tmp_path: Path, monkeypatch):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    db = tmp_path / "web.db"
    Ledger(db).close()
    missing = tmp_path / "no-such-tmp"
    # Any temporary file or folder would now fail to be made.
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    monkeypatch.setenv("TMPDIR", str(missing))
    with pytest.raises(FileNotFoundError):
        tempfile.TemporaryDirectory()
    with TestClient(create_app(db, token="s3cret")) as client:
        response = client.post("/api/ingest", headers={"Authorization": "Bearer s3cret"},
                               json={"articles": [{"text": TALKS, "outlet": "Lima Post"}]})
        assert response.status_code == 201, response.text
        assert response.json()["added"] == 1
        assert client.get("/api/stats").json()["articles"] == 1
    assert not missing.exists()
    shutil.rmtree(missing, ignore_errors=True)
