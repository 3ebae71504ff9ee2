"""Scaling out on Dask: the same ledger as a local run, the pipeline loaded once per worker,
and a clear error for a cluster that cannot be reached."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsledger import Ledger
from newsledger.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "Japan and South Korea held security talks in Tokyo on Wednesday.",
    "Russian forces shelled Kharkiv overnight, Ukrainian officials said.",
    "Kenyan police arrested dozens of protesters in Nairobi on Tuesday.",
    "Chile and Peru signed a fisheries agreement in Lima on Friday.",
    "Iran denied supplying drones to Russia.",
    "The United Nations called for a ceasefire in Sudan.",
    "North Korea fired a ballistic missile into the sea, Seoul said.",
]

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    lines = [json.dumps({"text": text, "published": f"2024-05-{10 + i:02d}",
                         "outlet": f"Outlet {i % 3}"}) for i, text in enumerate(TEXTS)]
    lines.insert(3, '{"text": "cut off in the mid')  # a broken line among good ones
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [folder / "wire.jsonl", ROOT / "examples" / "articles"]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as running, \
            distributed.Client(running) as connected:
        yield connected


def contents(db: Path) -> dict:
    with Ledger(db, readonly=True) as ledger:
        events = sorted((e.article_id, e.sentence_start, e.cameo,
                         e.source.code if e.source else None,
                         e.target.code if e.target else None, e.date)
                        for e in ledger.events(limit=10_000))
        stories = sorted(tuple(sorted(a["id"] for a in ledger.story(s["id"])["article_list"]))
                         for s in ledger.stories(limit=1000))
        claims = sorted((c.event_id, c.status) for c in ledger.claims(limit=10_000))
        return {"stats": ledger.stats(), "events": events, "stories": stories, "claims": claims}


def test_a_dask_run_stores_the_same_ledger_as_a_local_run(corpus, client, tmp_path):
    with Ledger(tmp_path / "local.db") as ledger:
        local = ledger.ingest(corpus, batch_size=3)
    with Ledger(tmp_path / "dask.db") as ledger:
        scaled = ledger.ingest(corpus, batch_size=3, client=client)
    assert (scaled.added, scaled.duplicates) == (local.added, local.duplicates)
    assert scaled.added >= len(TEXTS)
    assert [e.source for e in scaled.failed] == [e.source for e in local.failed]
    assert len(scaled.failed) == 1 and scaled.failed[0].source.endswith("wire.jsonl:4")
    assert contents(tmp_path / "dask.db") == contents(tmp_path / "local.db")
    assert contents(tmp_path / "dask.db")["events"]


def test_each_worker_loads_the_pipeline_once(corpus, client, tmp_path):
    with Ledger(tmp_path / "again.db") as ledger:
        ledger.ingest(corpus, batch_size=2, client=client)

    def loads() -> tuple[int, int]:
        from newsledger import nlp

        info = nlp._load.cache_info()
        return info.misses, info.hits

    per_worker = client.run(loads)
    assert len(per_worker) == 2
    assert all(misses == 1 for misses, _ in per_worker.values()), per_worker
    assert sum(hits for _, hits in per_worker.values()) >= 4  # many batches, one load each


def test_rerunning_on_dask_adds_nothing(corpus, client, tmp_path):
    db = tmp_path / "twice.db"
    with Ledger(db) as ledger:
        ledger.ingest(corpus, client=client)
    before = contents(db)
    with Ledger(db) as ledger:
        again = ledger.ingest(corpus, client=client)
    assert again.added == 0 and contents(db) == before


def test_an_unreachable_scheduler_is_a_clear_error():
    from newsledger.scale import cluster

    with pytest.raises(ConfigError, match=r"E306.*tcp://127\.0\.0\.1:9"):
        with cluster("tcp://127.0.0.1:9", timeout=2):
            pass


def test_an_article_whose_analysis_fails_is_reported_and_the_rest_stored(tmp_path, monkeypatch):
    from newsledger import pipeline

    run = pipeline._Analyser.run

    def fragile(self):
        if "Lima" in self.article.text:
            raise IndexError("an odd parse")
        return run(self)

    monkeypatch.setattr(pipeline._Analyser, "run", fragile)
    good = "Japan praised South Korea on Monday."
    source = tmp_path / "two.jsonl"
    source.write_text(json.dumps({"text": TEXTS[3]}) + "\n" + json.dumps({"text": good}) + "\n")
    with Ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest(source)
        assert report.added == 1
        assert len(report.failed) == 1
        assert report.failed[0].source.endswith("two.jsonl:1")
        assert "E115" in report.failed[0].message and "IndexError" in report.failed[0].message
        assert [a.text for a in ledger.articles()] == [good]
    monkeypatch.undo()
    with Ledger(tmp_path / "l.db") as ledger:  # fixed: the failed article goes in on a re-run
        assert ledger.ingest(source).added == 1


def test_cli_ingest_on_a_local_cluster(corpus, tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    db = tmp_path / "cli.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(corpus[0]), "--dask",
                                      "local:1", "--json"])
    assert result.exit_code == 1, result.output  # the broken line fails, the rest is stored
    report = json.loads(result.stdout)
    assert report["added"] == len(TEXTS) and len(report["failed"]) == 1
