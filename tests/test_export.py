"""Exports: every format read back by pandas, pyarrow and DuckDB with the rows and values of
``Ledger.events()``; a partitioned Parquet folder; GDELT's 61 columns; filters; the other
tables; DataFrames; the SQL views; the CSV download of the API; and bad requests, which leave
nothing behind."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from newsledger import Ledger, NewsledgerError

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [
    {"outlet": "Harbor Times", "published": "2024-03-05", "url": "https://harbor.example/1",
     "title": "Cannon at the shoal",
     "text": "Chinese coast guard ships fired water cannon at a Philippine supply boat near "
             "Second Thomas Shoal on Monday, Philippine officials said. China's foreign "
             "ministry denied that its forces had attacked the boat."},
    {"outlet": "Island Post", "published": "2024-04-10", "url": "https://island.example/2",
     "title": "A pact in Manila",
     "text": "Japan and the Philippines signed a defence agreement in Manila on Wednesday. "
             "The United States praised the agreement."},
    {"outlet": "Steppe Courier", "published": "2024-05-20", "url": "https://steppe.example/3",
     "title": "Shelling in the east",
     "text": "Russian forces shelled the Ukrainian city of Kharkiv on Sunday, Ukrainian "
             "officials said. Ukraine accused Russia of targeting civilians."},
    {"outlet": "Lakeside Daily", "title": "Arrests in Nairobi",
     "text": "Kenyan police arrested dozens of protesters in Nairobi. The opposition "
             "condemned the arrests and did not threaten the government."},
]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    feed = folder / "articles.jsonl"
    feed.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    with Ledger(folder / "export.db", coder="rules") as opened:
        report = opened.ingest(feed)
        assert report.failed == [] and report.added == len(ARTICLES)
        yield opened


@pytest.fixture(scope="module")
def events(ledger):
    found = ledger.events(limit=10_000)
    assert len(found) >= 6, [e.to_dict() for e in found]
    return found


def by_id(items, key="id"):
    return {item[key]: item for item in items}


def _list(text):
    return json.loads(text) if text else []


# -- CSV ----------------------------------------------------------------------------------------


def check_csv_rows(rows, events):
    """Rows of the CSV (as strings) hold each event's values, in the order of events()."""
    assert [r["id"] for r in rows] == [e.id for e in events]
    for row, event in zip(rows, events):
        assert row["article_id"] == event.article_id
        assert row["cameo"] == event.cameo and row["cameo_root"] == event.cameo_root
        assert row["source_code"] == (event.source.code if event.source else "")
        assert row["target_code"] == (event.target.code if event.target else "")
        assert row["date"] == (event.date or "")
        assert int(row["quad_class"]) == event.quad_class
        assert float(row["goldstein"]) == event.goldstein
        assert float(row["confidence"]) == pytest.approx(event.confidence)
        assert row["sentence_text"] == event.sentence_text
        assert int(row["sentence_start"]) == event.sentence_start
        assert row["polarity"] == event.polarity and row["modality"] == event.modality
        assert _list(row["attributed_to"]) == event.attributed_to
        assert row["rule"] == event.rule


def test_csv_reads_back_in_pandas_duckdb_and_pyarrow(ledger, events, tmp_path):
    path = tmp_path / "events.csv"
    report = ledger.export(path, format="csv")
    assert report.rows == len(events)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    check_csv_rows(frame.to_dict("records"), events)
    ducked = duckdb.sql(f"SELECT * FROM read_csv('{path}', all_varchar = true)").df()
    check_csv_rows(ducked.fillna("").to_dict("records"), events)
    from pyarrow import csv as pacsv

    arrow = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={"cameo": pa.string(), "cameo_root": pa.string()}))
    assert arrow.column("id").to_pylist() == [e.id for e in events]
    assert arrow.column("cameo").to_pylist() == [e.cameo for e in events]
    # provenance: outlet and url of the article, and the claim of the denied attack
    rows = by_id(frame.to_dict("records"))
    outlets = {a["outlet"]: a["url"] for a in ARTICLES if "url" in a}
    for event in events:
        article = ledger.article(event.article_id)
        assert rows[event.id]["article_outlet"] == article.outlet
        assert rows[event.id]["article_url"] == (article.url or "")
        if article.outlet in outlets:
            assert rows[event.id]["article_url"] == outlets[article.outlet]
    statuses = {c.event_id: c.status for c in ledger.claims(limit=1000)}
    assert statuses, "the denial should make a claim"
    for event_id, row in rows.items():
        assert row["claim_status"] == statuses.get(event_id, "")


def test_a_filter_keeps_exactly_the_matching_events(ledger, events, tmp_path):
    wanted = ledger.events(source="CHN", limit=1000)
    assert wanted and len(wanted) < len(events)
    path = tmp_path / "china.csv"
    ledger.export(path, format="csv", source="CHN")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    check_csv_rows(frame.to_dict("records"), wanted)
    assert all(code.startswith("CHN") for code in frame["source_code"])
    dated = ledger.events(since="2024-04-01", until="2024-12-31", limit=1000)
    ledger.export(tmp_path / "dated.parquet", format="parquet", since="2024-04-01",
                  until="2024-12-31")
    table = pq.read_table(tmp_path / "dated.parquet")
    assert table.column("id").to_pylist() == [e.id for e in dated]
    assert 0 < len(dated) < len(events)


# -- Parquet ------------------------------------------------------------------------------------


def check_parquet_rows(rows, events):
    """Typed rows (dicts from pyarrow, pandas or DuckDB) hold each event's values."""
    found = by_id(rows)
    assert set(found) == {e.id for e in events} and len(rows) == len(events)
    for event in events:
        row = found[event.id]
        assert row["cameo"] == event.cameo and row["quad_class"] == event.quad_class
        assert row["goldstein"] == event.goldstein
        assert row["confidence"] == pytest.approx(event.confidence)
        assert row["source_code"] == (event.source.code if event.source else None)
        assert row["target_code"] == (event.target.code if event.target else None)
        day = row["date"]
        assert (None if day is None or day != day else str(day)[:10]) == event.date
        assert list(row["attributed_to"]) == event.attributed_to
        assert row["sentence_text"] == event.sentence_text
        assert row["trigger_start"] == event.trigger_start
        assert row["polarity"] == event.polarity and row["modality"] == event.modality


def test_parquet_is_typed_and_reads_back_everywhere(ledger, events, tmp_path):
    path = tmp_path / "events.parquet"
    ledger.export(path, format="parquet")
    table = pq.read_table(path)
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("quad_class").type == pa.int64()
    assert table.schema.field("goldstein").type == pa.float64()
    assert table.schema.field("attributed_to").type == pa.list_(pa.string())
    assert table.schema.field("cameo").type == pa.string()
    assert table.column("id").to_pylist() == [e.id for e in events]
    check_parquet_rows(table.to_pylist(), events)
    check_parquet_rows(pd.read_parquet(path).to_dict("records"), events)
    ducked = duckdb.sql(f"SELECT * FROM read_parquet('{path}')")
    check_parquet_rows([dict(zip(ducked.columns, r)) for r in ducked.fetchall()], events)


def test_partitioned_parquet_is_one_dataset_of_monthly_files(ledger, events, tmp_path):
    folder = tmp_path / "by-month"
    ledger.export(folder, format="parquet", partition="month")
    months = sorted(p.name for p in folder.iterdir())
    expected = sorted({f"month={e.date[:7]}" if e.date else "month=undated" for e in events})
    assert months == expected and len(months) >= 3
    for month_folder in folder.iterdir():
        assert [p.name for p in month_folder.iterdir()] == ["part-0.parquet"]
    ducked = duckdb.sql(f"SELECT * FROM read_parquet('{folder}/*/*.parquet', "
                        "hive_partitioning = true)")
    rows = [dict(zip(ducked.columns, r)) for r in ducked.fetchall()]
    check_parquet_rows(rows, events)
    for row in rows:
        assert row["month"] == (str(row["date"])[:7] if row["date"] else "undated")
    import pyarrow.dataset as ds

    dataset = ds.dataset(folder, format="parquet", partitioning="hive")
    check_parquet_rows(dataset.to_table().to_pylist(), events)
    assert len(pd.read_parquet(folder)) == len(events)


# -- JSON lines and PLOVER ----------------------------------------------------------------------


def test_jsonl_holds_the_events_as_the_api_returns_them(ledger, events, tmp_path):
    path = tmp_path / "events.jsonl"
    ledger.export(path, format="jsonl")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(events)
    for line, event in zip(lines, events):
        expected = event.to_dict()
        assert {k: line[k] for k in expected} == expected
        article = ledger.article(event.article_id)
        assert line["article"]["outlet"] == article.outlet
        assert line["story_id"] == ledger.story_of(event.article_id)
    claims = {c.event_id: c for c in ledger.claims(limit=1000)}
    for line in lines:
        claim = claims.get(line["id"])
        assert (line["claim"] or {}).get("status") == (claim.status if claim else None)
        if claim:
            assert line["claim"]["denied_by"] == claim.denied_by
    frame = pd.read_json(path, lines=True, dtype={"cameo": str, "cameo_root": str})
    assert frame["id"].tolist() == [e.id for e in events]
    assert frame["cameo"].tolist() == [e.cameo for e in events]
    ducked = duckdb.sql(f"SELECT id, cameo FROM read_json('{path}', format = "
                        "'newline_delimited', columns = {id: 'VARCHAR', cameo: 'VARCHAR'})")
    assert ducked.fetchall() == [(e.id, e.cameo) for e in events]


def test_plover_records_use_polecat_field_names(ledger, events, tmp_path):
    path = tmp_path / "events.plover.jsonl"
    ledger.export(path, format="plover")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [e.id for e in events]
    for record, event in zip(records, events):
        assert record["event_type"] == event.plover_event
        assert record["mode"] == event.plover_mode
        assert record["date"] == event.date
        assert record["source_id"] == event.article_id
        for side, ref in (("actor", event.source), ("recipient", event.target)):
            if ref is None:
                assert record[side] is None
                continue
            assert record[side]["code"] == ref.code and record[side]["name"] == ref.name
            assert record[side]["name_raw"] == ref.text
            if not ref.code.startswith(("IGO", "NGO", "---")):
                assert record[side]["country"] == ref.code[:3]
                assert record[side]["sectors"] == re.findall("...", ref.code[3:])
        assert isinstance(record["context"], list)
        assert record["modality"] == event.modality
        assert record["evidence"]["sentence"] == event.sentence_text
        if event.location:
            assert record["geolocation"]["placename"] == event.location["name"]
    frame = pd.read_json(path, lines=True)
    assert set(frame["event_type"].dropna()) == {e.plover_event for e in events
                                                 if e.plover_event}


# -- GDELT --------------------------------------------------------------------------------------


def gdelt_columns() -> list[str]:
    from newsledger.export import gdelt

    return list(gdelt.columns())


def test_gdelt_file_reads_with_gdelts_61_column_names(ledger, events, tmp_path):
    names = gdelt_columns()
    assert len(names) == 61 and names[0] == "GlobalEventID" and names[-1] == "SOURCEURL"
    assert names[26:31] == ["EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                            "GoldsteinScale"]
    path = tmp_path / "events.gdelt.tsv"
    ledger.export(path, format="gdelt")
    raw = path.read_text(encoding="utf-8").splitlines()
    assert raw and all(len(line.split("\t")) == 61 for line in raw)
    frame = pd.read_csv(path, sep="\t", header=None, names=names, quoting=csv.QUOTE_NONE,
                        dtype={"EventCode": str, "EventBaseCode": str, "EventRootCode": str,
                               "Actor1Code": str, "Actor2Code": str, "SOURCEURL": str})
    positive = [e for e in events if e.polarity == "positive"]
    assert len(frame) == len(positive)
    negated = [e for e in events if e.polarity == "negative"]
    from newsledger.export.gdelt import global_event_id

    assert set(frame["GlobalEventID"]) == {global_event_id(e.id) for e in positive}
    assert not set(frame["GlobalEventID"]) & {global_event_id(e.id) for e in negated}
    rows = by_id(frame.to_dict("records"), "GlobalEventID")
    for event in positive:
        row = rows[global_event_id(event.id)]
        assert row["EventCode"] == event.cameo and row["EventRootCode"] == event.cameo_root
        assert row["EventBaseCode"] == event.cameo[:3]
        assert row["QuadClass"] == event.quad_class
        assert row["GoldsteinScale"] == event.goldstein
        if event.source:
            assert row["Actor1Code"] == event.source.code.removeprefix("---")
        if event.date:
            assert row["Day"] == int(event.date.replace("-", ""))
            assert row["Year"] == int(event.date[:4])
        else:
            assert row["Day"] != row["Day"]  # NaN: empty, never invented
        url = ledger.article(event.article_id).url
        assert (row["SOURCEURL"] if row["SOURCEURL"] == row["SOURCEURL"] else None) == url
        assert row["AvgTone"] != row["AvgTone"] and row["IsRootEvent"] != row["IsRootEvent"]
    ducked = duckdb.sql(
        f"SELECT GlobalEventID, EventCode FROM read_csv('{path}', delim = '\t', header = false,"
        f" quote = '', columns = {{{', '.join(repr(n) + ': ' + repr('VARCHAR') for n in names)}"
        "})").fetchall()
    assert {(int(g), c) for g, c in ducked} == {(global_event_id(e.id), e.cameo)
                                                for e in positive}


def test_gdelt_ids_are_stable_across_exports(ledger, tmp_path):
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    ledger.export(first, format="gdelt")
    ledger.export(second, format="gdelt", source="CHN")
    ids = {line.split("\t")[0]: line.split("\t")[26] for line in first.read_text().splitlines()}
    subset = {line.split("\t")[0]: line.split("\t")[26]
              for line in second.read_text().splitlines()}
    assert subset and set(subset) < set(ids)
    assert all(ids[key] == value for key, value in subset.items())
    assert all(0 < int(key) < 2 ** 63 for key in ids)
    with pytest.raises(NewsledgerError, match="E513"):
        ledger.export(tmp_path / "c.tsv", format="gdelt", polarity="negative")


# -- the other tables, frames, views ------------------------------------------------------------


def test_other_tables_export_their_rows(ledger, tmp_path):
    claims = ledger.claims(limit=1000)
    ledger.export(tmp_path / "claims.parquet", format="parquet", table="claims")
    table = pq.read_table(tmp_path / "claims.parquet").to_pylist()
    assert {r["id"]: (r["status"], r["denied_by"]) for r in table} == {
        c.id: (c.status, c.denied_by) for c in claims}
    ledger.export(tmp_path / "articles.csv", format="csv", table="articles")
    articles = pd.read_csv(tmp_path / "articles.csv", dtype=str, keep_default_na=False)
    assert set(articles["outlet"]) == {a["outlet"] for a in ARTICLES}
    assert set(articles["text"]) == {ledger.article(i).text for i in articles["id"]}
    for row in articles.to_dict("records"):  # the article's metadata (migration 0009)
        article = ledger.article(row["id"])
        assert (row["date_source"], row["outlet_code"], row["outlet_country"]) == (
            article.date_source or "", article.outlet_code or "", article.outlet_country or "")
    assert set(articles["date_source"]) - {""}, "dated articles name the rule of their date"
    ledger.export(tmp_path / "mentions.jsonl", format="jsonl", table="mentions", actor="PHL")
    mentions = [json.loads(line) for line in
                (tmp_path / "mentions.jsonl").read_text().splitlines()]
    assert mentions and all(m["country"] == "PHL" for m in mentions)
    everything = ledger.conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0]
    assert len(mentions) < everything
    ledger.export(tmp_path / "stories.parquet", format="parquet", table="stories")
    stories = pq.read_table(tmp_path / "stories.parquet").to_pylist()
    assert {s["id"] for s in stories} == {s["id"] for s in ledger.stories(limit=1000)}
    assert all(isinstance(s["outlets"], list) for s in stories)


def test_frames_are_the_events_with_typed_columns(ledger, events):
    frame = ledger.events_frame()
    assert frame["id"].tolist() == [e.id for e in events]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert frame["cameo"].tolist() == [e.cameo for e in events]
    check_parquet_rows(frame.to_dict("records"), events)
    china = ledger.frame("events", source="CHN")
    assert china["id"].tolist() == [e.id for e in ledger.events(source="CHN")]
    claims = ledger.frame("claims")
    assert sorted(claims["id"]) == sorted(c.id for c in ledger.claims(limit=1000))


def test_views_give_sqlite_clients_one_readable_table(ledger, events):
    conn = sqlite3.connect(ledger.path)
    conn.row_factory = sqlite3.Row
    rows = {r["id"]: r for r in conn.execute("SELECT * FROM events_flat")}
    assert set(rows) == {e.id for e in events}
    for event in events:
        row = rows[event.id]
        assert row["sentence_text"] == event.sentence_text
        assert row["article_outlet"] == ledger.article(event.article_id).outlet
        assert row["story_id"] == ledger.story_of(event.article_id)
    claims = conn.execute("SELECT COUNT(*) FROM claims_flat").fetchone()[0]
    assert claims == len(ledger.claims(limit=1000))
    conn.close()


def test_schema_document_describes_every_column():
    from newsledger.export.columns import TABLES

    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    first_cells = re.findall(r"^\| ([^|]+) \|", text, flags=re.M)  # table rows name columns
    documented = {name for cell in first_cells for name in re.findall(r"`(\w+)`", cell)}
    for table, columns in TABLES.items():
        missing = {name for name, _ in columns} - documented
        assert not missing, (table, missing)
    assert set(gdelt_columns()) <= documented


# -- the API's CSV download ---------------------------------------------------------------------


def test_api_streams_the_filtered_events_as_csv(ledger):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    with TestClient(create_app(ledger.path)) as client:
        response = client.get("/api/events.csv?source=CHN")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert "attachment" in response.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(response.text)))
        check_csv_rows(rows, ledger.events(source="CHN"))
        everything = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").text)))
        assert len(everything) == len(ledger.events(limit=10_000)) > len(rows)
        assert client.get("/api/events.csv?since=yesterday").status_code == 422
        refused = client.get("/api/events.csv?plover=NOTATYPE")
        assert refused.status_code == 422 and "NOTATYPE" in refused.text
        assert not refused.headers["content-type"].startswith("text/csv")


def test_event_page_links_to_the_csv_of_its_filters():
    script = (ROOT / "src" / "newsledger" / "web" / "static" / "app.js").read_text()
    view = script[script.index("async function eventsView"):]
    view = view[:view.index("\n}\n")]
    assert "/api/events.csv?${query}" in view and "download CSV" in view
    # the link is built before the page's limit and offset join the query
    assert view.index("/api/events.csv") < view.index('query.set("limit"')


# -- bad requests -------------------------------------------------------------------------------


@pytest.mark.parametrize(("settings", "message"), [
    ({"format": "xml"}, "unknown format 'xml'"),
    ({"format": "csv", "table": "people"}, "unknown table 'people'"),
    ({"format": "gdelt", "table": "claims"}, "holds events only, not claims"),
    ({"format": "csv", "partition": "month"}, "parquet format only"),
    ({"format": "parquet", "partition": "week"}, "unknown partition 'week'"),
    ({"format": "csv", "since": "2024-13-01"}, "since: '2024-13-01' is not a date"),
    ({"format": "csv", "quad_class": 7}, "quad_class: '7' is not a quad class"),
    ({"format": "csv", "cameo": "abc"}, "cameo: 'abc' is not a CAMEO code"),
    ({"format": "csv", "plover": "HUG"}, "plover: 'HUG' is not a PLOVER event type"),
    ({"format": "csv", "colour": "red"}, "unknown filter 'colour'"),
    ({"format": "csv", "table": "stories", "cameo": "19"}, "cameo does not apply to stories"),
])
def test_bad_requests_name_the_bad_value_and_write_nothing(ledger, tmp_path, settings,
                                                           message):
    target = tmp_path / "out"
    with pytest.raises(NewsledgerError, match=re.escape(message)):
        ledger.export(target, **settings)
    assert list(tmp_path.iterdir()) == []


def test_existing_output_is_kept_without_force_and_replaced_with_it(ledger, events, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("precious\n")
    with pytest.raises(NewsledgerError, match="exists; pass --force"):
        ledger.export(path, format="csv")
    assert path.read_text() == "precious\n"
    ledger.export(path, format="csv", force=True)
    assert len(pd.read_csv(path, dtype=str)) == len(events)
    folder = tmp_path / "months"
    ledger.export(folder, format="parquet", partition="month")
    with pytest.raises(NewsledgerError, match="exists"):
        ledger.export(folder, format="parquet", partition="month", source="CHN")
    ledger.export(folder, format="parquet", partition="month", source="CHN", force=True)
    assert len(pd.read_parquet(folder)) == len(ledger.events(source="CHN"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "months"]


def test_unwritable_output_is_refused(ledger, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(NewsledgerError, match="cannot write .*a-file/out.csv"):
        ledger.export(blocker / "out.csv", format="csv")
    with pytest.raises(NewsledgerError, match="no such folder"):
        ledger.export(tmp_path / "missing" / "out.parquet", format="parquet")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "keep.txt").write_text("mine")
    with pytest.raises(NewsledgerError, match="does not hold an export"):
        ledger.export(notes, format="parquet", partition="month", force=True)
    assert (notes / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("settings", [{"format": "csv"}, {"format": "parquet"},
                                      {"format": "parquet", "partition": "month"}])
def test_a_failure_midway_leaves_no_partial_output(ledger, tmp_path, settings):
    def fail(done, total):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        ledger.export(tmp_path / "out", progress=fail, **settings)
    assert list(tmp_path.iterdir()) == []


def test_cli_exports_and_exits_2_on_bad_input(ledger, events, tmp_path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    runner = CliRunner()
    path = tmp_path / "cli.csv"
    result = runner.invoke(app, ["--db", ledger.path, "export", "--format", "csv", "--out",
                                 str(path), "--source", "CHN"])
    assert result.exit_code == 0, result.output
    check_csv_rows(list(csv.DictReader(path.open(encoding="utf-8"))),
                   ledger.events(source="CHN"))
    stdout = runner.invoke(app, ["--db", ledger.path, "export", "--format", "jsonl"])
    assert stdout.exit_code == 0
    assert [json.loads(line)["id"] for line in stdout.output.splitlines()] == [
        e.id for e in events]
    import subprocess
    import sys

    for arguments, named in ((["--format", "xml"], "'xml'"),
                             (["--table", "people"], "'people'"),
                             (["--since", "2024-02-30"], "'2024-02-30'"),
                             (["--out", str(path)], str(path))):
        done = subprocess.run([sys.executable, "-m", "newsledger", "--db", ledger.path,
                               "export", *arguments], capture_output=True, text=True)
        assert done.returncode == 2, (arguments, done.stderr)
        assert named in done.stderr.replace("\n", "")
    assert runner.invoke(app, ["--db", ledger.path, "export", "--quad", "7"]).exit_code == 2


# -- every format on the sample articles, read back by pandas, pyarrow and DuckDB ---------------

EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A ledger of examples/articles (the lexicon coder: its codes do not move with a model)."""
    folder = tmp_path_factory.mktemp("sample")
    with Ledger(folder / "sample.db", coder="rules") as opened:
        report = opened.ingest([EXAMPLES])
        assert report.failed == [] and report.added >= 4
        yield opened


def plain(value):
    """A value read by pandas, pyarrow or DuckDB as plain Python: NaN/NaT as None, numpy
    scalars and arrays as numbers and lists, dates and timestamps of a day as YYYY-MM-DD."""
    import datetime as dt

    import numpy as np

    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canon_event(event):
    """The values of an event every format must hold, from ``Ledger.events()``."""
    return {"id": event.id, "article_id": event.article_id, "date": event.date,
            "source": event.source.code if event.source else None,
            "target": event.target.code if event.target else None,
            "cameo": event.cameo, "cameo_root": event.cameo_root,
            "quad_class": event.quad_class, "goldstein": event.goldstein,
            "plover_event": event.plover_event, "polarity": event.polarity,
            "modality": event.modality, "attributed_to": list(event.attributed_to),
            "sentence": event.sentence_text, "rule": event.rule,
            "provenance": event.provenance, "confidence": round(event.confidence, 3),
            "place": (event.location or {}).get("name")}


def canon_flat(row):
    """The same values from a row of the CSV or Parquet export (typed)."""
    return {"id": row["id"], "article_id": row["article_id"], "date": row["date"],
            "source": row["source_code"], "target": row["target_code"],
            "cameo": row["cameo"], "cameo_root": row["cameo_root"],
            "quad_class": row["quad_class"], "goldstein": row["goldstein"],
            "plover_event": row["plover_event"], "polarity": row["polarity"],
            "modality": row["modality"], "attributed_to": row["attributed_to"],
            "sentence": row["sentence_text"], "rule": row["rule"],
            "provenance": row["provenance"], "confidence": round(row["confidence"], 3),
            "place": row["location_name"]}


def canon_jsonl(line):
    return {"id": line["id"], "article_id": line["article_id"], "date": line["date"],
            "source": (line["source"] or {}).get("code"),
            "target": (line["target"] or {}).get("code"),
            "cameo": line["cameo"], "cameo_root": line["cameo_root"],
            "quad_class": line["quad_class"], "goldstein": line["goldstein"],
            "plover_event": line["plover"]["event"], "polarity": line["polarity"],
            "modality": line["modality"], "attributed_to": line["attributed_to"],
            "sentence": line["sentence"]["text"], "rule": line["rule"],
            "provenance": line["provenance"], "confidence": round(line["confidence"], 3),
            "place": (line["location"] or {}).get("name")}


def canon_plover(record):
    """PLOVER has no CAMEO root field; everything else is there under its own name."""
    return {"id": record["id"], "article_id": record["source_id"], "date": record["date"],
            "source": (record["actor"] or {}).get("code"),
            "target": (record["recipient"] or {}).get("code"),
            "cameo": record["cameo"], "quad_class": record["quad_class"],
            "goldstein": record["goldstein"], "plover_event": record["event_type"],
            "polarity": record["polarity"], "modality": record["modality"],
            "attributed_to": record["attributed_to"],
            "sentence": record["evidence"]["sentence"], "rule": record["evidence"]["rule"],
            "provenance": record["evidence"]["provenance"],
            "confidence": round(record["evidence"]["confidence"], 3),
            "place": (record["geolocation"] or {}).get("placename")}


def from_csv_text(row):
    """A CSV row read as text (empty or null for missing) typed by the export's columns."""
    from newsledger.export.columns import EVENTS

    typed = {}
    for name, kind in EVENTS:
        text = row.get(name)
        if text is None or text == "":
            typed[name] = [] if kind == "list" else None
        elif kind == "int":
            typed[name] = int(text)
        elif kind == "float":
            typed[name] = float(text)
        elif kind in ("list", "json"):
            typed[name] = json.loads(text)
        else:
            typed[name] = text
    return typed


def records(relation):
    """The rows of a DuckDB relation as dicts."""
    return [dict(zip(relation.columns, r)) for r in relation.fetchall()]


def same_events(rows, events, canon):
    """``rows`` hold exactly the events, in the order of ``Ledger.events()``, with its values."""
    found = [canon(plain(row)) for row in rows]
    expected = [canon_event(e) for e in events]
    assert [f["id"] for f in found] == [e["id"] for e in expected]
    for got, want in zip(found, expected):
        assert got == {k: want[k] for k in got}, got["id"]
        assert set(want) - set(got) <= {"cameo_root"}  # only what the format has no field for


@pytest.fixture(scope="module")
def sample_events(sample):
    found = sample.events(limit=100_000)
    assert len(found) >= 10 and any(e.location for e in found)
    assert any(e.date is None for e in found) or len({e.date[:7] for e in found}) >= 2
    return found


def test_sample_csv_reads_back_in_pandas_pyarrow_and_duckdb(sample, sample_events, tmp_path):
    from pyarrow import csv as pacsv

    from newsledger.export.columns import EVENTS

    path = tmp_path / "sample.csv"
    assert sample.export(path, format="csv").rows == len(sample_events)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == [name for name, _ in EVENTS]
    same_events([from_csv_text(r) for r in frame.to_dict("records")], sample_events,
                canon_flat)
    text = pacsv.ConvertOptions(
        column_types={name: pa.string() for name, _ in EVENTS})
    arrow = pacsv.read_csv(path, convert_options=text).to_pylist()
    same_events([from_csv_text(r) for r in arrow], sample_events, canon_flat)
    ducked = records(duckdb.sql(f"SELECT * FROM read_csv('{path}', all_varchar = true)"))
    same_events([from_csv_text(r) for r in ducked], sample_events, canon_flat)


def test_sample_parquet_file_and_months_read_back_everywhere(sample, sample_events, tmp_path):
    import pyarrow.dataset as ds

    path, folder = tmp_path / "sample.parquet", tmp_path / "months"
    sample.export(path, format="parquet")
    same_events(pq.read_table(path).to_pylist(), sample_events, canon_flat)
    same_events(pd.read_parquet(path).to_dict("records"), sample_events, canon_flat)
    same_events(records(duckdb.sql(f"SELECT * FROM read_parquet('{path}')")), sample_events,
                canon_flat)
    sample.export(folder, format="parquet", partition="month")
    months = {p.name for p in folder.iterdir()}
    assert months == {f"month={e.date[:7]}" if e.date else "month=undated"
                      for e in sample_events}
    # a dataset comes back month by month: compare as sets, each row with its values
    order = {e.id: i for i, e in enumerate(sample_events)}

    def in_order(rows):
        return sorted(rows, key=lambda r: order[r["id"]])

    ducked = records(duckdb.sql(f"SELECT * FROM read_parquet('{folder}/*/*.parquet',"
                                " hive_partitioning = true)"))
    assert all(r["month"] == (str(r["date"])[:7] if r["date"] else "undated") for r in ducked)
    same_events(in_order(ducked), sample_events, canon_flat)
    dataset = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    same_events(in_order(dataset.to_pylist()), sample_events, canon_flat)
    same_events(in_order(pd.read_parquet(folder).to_dict("records")), sample_events,
                canon_flat)


@pytest.mark.parametrize(("format", "canon"), [("jsonl", canon_jsonl),
                                               ("plover", canon_plover)])
def test_sample_json_formats_read_back_everywhere(sample, sample_events, tmp_path, format,
                                                  canon):
    import pyarrow.json as pajson

    path = tmp_path / f"sample.{format}"
    sample.export(path, format=format)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    same_events(lines, sample_events, canon)
    frame = pd.read_json(path, lines=True, dtype=False, convert_dates=False)
    same_events(frame.to_dict("records"), sample_events, canon)
    same_events(pajson.read_json(path).to_pylist(), sample_events, canon)
    ducked = records(duckdb.sql(f"SELECT * FROM read_json('{path}', format = "
                                "'newline_delimited')"))
    same_events(ducked, sample_events, canon)


def test_sample_gdelt_reads_back_with_gdelts_61_names(sample, sample_events, tmp_path):
    from pyarrow import csv as pacsv

    from newsledger.export.gdelt import global_event_id

    names = gdelt_columns()
    path = tmp_path / "sample.gdelt.tsv"
    sample.export(path, format="gdelt")
    positive = [e for e in sample_events if e.polarity == "positive"]
    ids = {global_event_id(e.id): e for e in positive}
    assert len(ids) == len(positive)  # no two events share a GlobalEventID

    def check(rows):
        rows = [plain(r) for r in rows]
        assert [int(r["GlobalEventID"]) for r in rows] == [global_event_id(e.id)
                                                           for e in positive]
        for row in rows:
            assert set(row) == set(names)
            event = ids[int(row["GlobalEventID"])]
            blank = lambda v: None if v in ("", None) else v  # noqa: E731
            assert blank(row["EventCode"]) == event.cameo
            assert blank(row["EventBaseCode"]) == event.cameo[:3]
            assert blank(row["EventRootCode"]) == event.cameo_root
            assert int(row["QuadClass"]) == event.quad_class
            assert float(row["GoldsteinScale"]) == event.goldstein
            source = event.source.code.removeprefix("---") if event.source else None
            assert blank(row["Actor1Code"]) == source
            target = event.target.code.removeprefix("---") if event.target else None
            assert blank(row["Actor2Code"]) == target
            day = blank(row["Day"])
            assert (None if day is None else str(int(day))) == (
                event.date.replace("-", "") if event.date else None)
            assert blank(row["SOURCEURL"]) == sample.article(event.article_id).url
            place = (event.location or {}).get("name")
            assert blank(row["ActionGeo_FullName"]) == place
            for never in ("AvgTone", "IsRootEvent", "Actor1EthnicCode", "Actor1Geo_Type",
                          "Actor2Geo_Lat", "ActionGeo_FeatureID"):
                assert blank(row[never]) is None, never  # not known: empty, never invented

    strings = {name: str for name in names}
    check(pd.read_csv(path, sep="\t", header=None, names=names, quoting=csv.QUOTE_NONE,
                      dtype=strings, keep_default_na=False).to_dict("records"))
    arrow = pacsv.read_csv(path, read_options=pacsv.ReadOptions(column_names=names),
                           parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
                           convert_options=pacsv.ConvertOptions(
                               column_types={n: pa.string() for n in names}))
    check(arrow.to_pylist())
    columns = ", ".join(f"'{n}': 'VARCHAR'" for n in names)
    check(records(duckdb.sql(f"SELECT * FROM read_csv('{path}', delim = '\t', header = false,"
                             f" quote = '', columns = {{{columns}}})")))


def test_gdelt_ids_do_not_change_with_the_ledger(sample, tmp_path):
    """The same events, stored again in a new ledger, get the same GlobalEventIDs."""
    first, second = tmp_path / "first.tsv", tmp_path / "second.tsv"
    sample.export(first, format="gdelt")
    with Ledger(tmp_path / "again.db", coder="rules") as again:
        again.ingest([EXAMPLES])
        again.export(second, format="gdelt", since="2024-04-01")
    old = {line.split("\t")[0]: line for line in first.read_text().splitlines()}
    new = {line.split("\t")[0]: line for line in second.read_text().splitlines()}
    assert new and len(new) < len(old)
    for key, line in new.items():  # the same row, but for DATEADDED (when it was ingested)
        assert line.split("\t")[:59] == old[key].split("\t")[:59]
        assert line.split("\t")[60] == old[key].split("\t")[60]


def test_provenance_is_in_the_view_and_every_format(sample, sample_events, tmp_path):
    import shutil

    copy = tmp_path / "coded.db"
    sample.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(sample.path, copy)
    # give two events the other provenances, as the learned coder would
    marked = {sample_events[0].id: "model", sample_events[1].id: "both"}
    with Ledger(copy, coder="rules") as coded:
        for event_id, provenance in marked.items():
            coded.conn.execute("UPDATE events SET provenance = ? WHERE id = ?",
                               (provenance, event_id))
        expected = {e.id: e.provenance for e in coded.events(limit=100_000)}
        assert {expected[i] for i in marked} == {"model", "both"}
        view = dict(coded.conn.execute("SELECT id, provenance FROM events_flat").fetchall())
        assert view == expected
        columns = [d[0] for d in coded.conn.execute(
            "SELECT * FROM events_flat LIMIT 0").description]
        assert columns.index("provenance") == columns.index("rule") + 1
        for format in ("csv", "parquet", "jsonl", "plover"):
            coded.export(tmp_path / format, format=format)
        frame = pd.read_csv(tmp_path / "csv", dtype=str, keep_default_na=False)
        assert dict(zip(frame["id"], frame["provenance"])) == expected
        table = pq.read_table(tmp_path / "parquet")
        assert dict(zip(table["id"].to_pylist(), table["provenance"].to_pylist())) == expected
        lines = [json.loads(x) for x in (tmp_path / "jsonl").read_text().splitlines()]
        assert {x["id"]: x["provenance"] for x in lines} == expected
        plover = [json.loads(x) for x in (tmp_path / "plover").read_text().splitlines()]
        assert {x["id"]: x["evidence"]["provenance"] for x in plover} == expected
        assert dict(zip(coded.events_frame()["id"], coded.events_frame()["provenance"])) \
            == expected


def test_events_flat_names_its_columns_in_export_order(sample):
    """Migration 0011: the view lists every column (the raw location JSON beside its parts)
    in the order of the CSV export."""
    from newsledger.export.columns import EVENTS

    columns = [d[0] for d in sample.conn.execute("SELECT * FROM events_flat LIMIT 0").description]
    assert [c for c in columns if c != "location"] == [name for name, _ in EVENTS]
    versions = {r[0] for r in sample.conn.execute("SELECT version FROM schema_version")}
    assert 11 in versions
    table = {r[1] for r in sample.conn.execute("PRAGMA table_info(events)")}
    assert table <= set(columns), table - set(columns)


def test_duckdb_sqlite_scan_reads_the_view(sample, sample_events):
    """DuckDB's sqlite_scan sees events_flat as one table (when its sqlite extension is
    installed here: nothing is downloaded)."""
    conn = duckdb.connect()
    conn.execute("SET autoinstall_known_extensions = false")
    try:
        conn.execute("LOAD sqlite")
    except duckdb.Error:
        pytest.skip("DuckDB's sqlite extension is not installed")
    sample.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows = records(conn.sql(f"SELECT * FROM sqlite_scan('{sample.path}', 'events_flat')"))
    assert {r["id"]: r["provenance"] for r in rows} == {e.id: e.provenance
                                                        for e in sample_events}


# -- streaming ----------------------------------------------------------------------------------


def test_a_partitioned_export_holds_one_month_open_at_a_time(sample, sample_events, tmp_path,
                                                             monkeypatch):
    from newsledger.export import formats

    open_now, most = set(), [0]
    real = formats._Writer

    class Watched(real):
        def __init__(self, path, schema):
            super().__init__(path, schema)
            open_now.add(self)
            most[0] = max(most[0], len(open_now))

        def close(self):
            super().close()
            open_now.discard(self)

    monkeypatch.setattr(formats, "_Writer", Watched)
    folder = tmp_path / "months"
    sample.export(folder, format="parquet", partition="month")
    assert len(list(folder.iterdir())) >= 2 and most[0] == 1 and not open_now
    assert [p.name for p in folder.glob("*/*.parquet")] == ["part-0.parquet"] * len(
        list(folder.iterdir()))
    assert len(pd.read_parquet(folder)) == len(sample_events)


def test_an_export_reads_the_file_unmapped_and_restores_the_map(sample, tmp_path):
    """The scan does not leave the ledger mapped into memory (memory would grow with the
    ledger); the connection's setting is back afterwards."""
    before = sample.conn.execute("PRAGMA mmap_size").fetchone()[0]
    seen = []

    def watch(done, total):
        seen.append(sample.conn.execute("PRAGMA mmap_size").fetchone()[0])

    sample.export(tmp_path / "e.csv", format="csv", progress=watch)
    assert seen and set(seen) == {0}
    assert sample.conn.execute("PRAGMA mmap_size").fetchone()[0] == before


def test_frames_and_parquet_name_the_missing_extra(sample, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(NewsledgerError, match=r"E512.*pandas.*newsledger\[analysis\]"):
        sample.events_frame()
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(NewsledgerError, match=r"E512.*pyarrow.*newsledger\[analysis\]"):
        sample.export(tmp_path / "e.parquet", format="parquet")
    assert list(tmp_path.iterdir()) == []


def test_a_migration_numbered_below_an_applied_one_is_applied(tmp_path, monkeypatch):
    """0011 may be applied before 0010 exists: a ledger must not skip 0010 when it lands."""
    from newsledger.store import db

    real = db.migrations()
    top = real[-1][0]
    later = (top + 2, f"{top + 2:04d}_later.sql", "CREATE TABLE later_one (x);")
    between = (top + 1, f"{top + 1:04d}_between.sql", "CREATE TABLE between_one (x);")
    monkeypatch.setattr(db, "migrations", lambda: [*real, later])
    Ledger(tmp_path / "gap.db", coder="rules").close()
    monkeypatch.setattr(db, "migrations", lambda: [*real, between, later])
    with Ledger(tmp_path / "gap.db", coder="rules") as ledger:
        tables = {r[0] for r in ledger.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"later_one", "between_one"} <= tables
        versions = [r[0] for r in ledger.conn.execute("SELECT version FROM schema_version")]
        assert versions.count(top + 1) == 1 and versions.count(top + 2) == 1


def test_gdelt_geo_type_follows_the_kind_of_place(sample, sample_events, tmp_path):
    """A country is GDELT type 1 with its FIPS code as ADM1 even when it has coordinates; a
    world city type 4; a US state type 2; a place without a kind falls back on coordinates."""
    import shutil

    from newsledger.export.gdelt import global_event_id

    names = gdelt_columns()
    copy = tmp_path / "places.db"
    sample.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(sample.path, copy)
    positive = [e for e in sample_events if e.polarity == "positive"][:4]
    places = [({"name": "Ukraine", "country": "UKR", "lat": 50.45, "lon": 30.52,
                "kind": "country"}, 1, "UP"),
              ({"name": "Odesa", "country": "UKR", "lat": 46.48, "lon": 30.74,
                "kind": "city"}, 4, ""),
              ({"name": "Texas", "country": "USA", "lat": 31.0, "lon": -99.0,
                "kind": "region"}, 2, ""),
              ({"name": "Peru", "country": "PER", "lat": None, "lon": None}, 1, "PE")]
    with Ledger(copy, coder="rules") as placed:
        for event, (place, _, _) in zip(positive, places):
            placed.conn.execute("UPDATE events SET location = ? WHERE id = ?",
                                (json.dumps(place), event.id))
        placed.export(tmp_path / "g.tsv", format="gdelt")
    rows = {line.split("\t")[0]: dict(zip(names, line.split("\t")))
            for line in (tmp_path / "g.tsv").read_text().splitlines()}
    for event, (place, kind, adm1) in zip(positive, places):
        row = rows[str(global_event_id(event.id))]
        assert row["ActionGeo_Type"] == str(kind), place
        assert row["ActionGeo_FullName"] == place["name"]
        assert row["ActionGeo_ADM1Code"] == adm1
        assert row["ActionGeo_Lat"] == ("" if place["lat"] is None else str(place["lat"]))
