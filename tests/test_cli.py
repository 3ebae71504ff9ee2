"""The command line: ingest, articles, show, stats; --db, $NEWSLEDGER_DB and --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TEXT = ("Farmers in northern Kenya blocked a highway on Monday to protest against rising fuel "
        "prices, police said. Officers used tear gas to disperse the crowd.")


def run(*args: str, db: Path | None = None, env: dict[str, str] | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``newsledger`` command in a child process."""
    command = [sys.executable, "-m", "newsledger"]
    if db is not None:
        command += ["--db", str(db)]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*command, *args], capture_output=True, text=True, env=full_env,
                          input=stdin, timeout=300)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "in"
    path.mkdir()
    (path / "kenya.txt").write_text(f"Kenya Fuel Protest\n\nJune 3, 2024\n\n{TEXT}")
    return path


def test_ingest_then_list_as_json(folder: Path, db: Path):
    done = run("ingest", str(folder), db=db)
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    listed = json.loads(run("articles", "--json", db=db).stdout)
    assert len(listed) == 1
    assert {"id", "title", "url", "outlet", "published", "dateline",
            "duplicate_of", "text"} <= set(listed[0])
    assert listed[0]["title"] == "Kenya Fuel Protest"
    assert listed[0]["published"] == "2024-06-03"


def test_failed_inputs_give_exit_status_1_and_name_the_input(folder: Path, db: Path):
    (folder / "broken.txt").write_bytes(b"ab\x01\x02\x00\x00\x03garbage")
    done = run("ingest", str(folder), db=db)
    assert done.returncode == 1
    assert "broken.txt" in done.stderr and "E103" in done.stderr
    assert "1 added" in done.stdout and "1 failed" in done.stdout


def test_db_from_environment(folder: Path, tmp_path: Path):
    db = tmp_path / "from-env.db"
    done = run("ingest", str(folder), env={"NEWSLEDGER_DB": str(db)})
    assert done.returncode == 0 and db.exists()


def test_an_unusable_ledger_is_an_error_with_status_2(tmp_path: Path):
    bad = tmp_path / "notes.db"
    bad.write_text("plain text, not SQLite " * 50)
    done = run("stats", db=bad)
    assert done.returncode == 2 and "E203" in done.stderr


def test_stdin_ingest(db: Path):
    done = run("ingest", "-", db=db, stdin=TEXT)
    assert done.returncode == 0 and "1 added" in done.stdout


def test_search_show_and_stats_in_process(folder: Path, db: Path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(db), "ingest", str(folder)]).exit_code == 0
    found = json.loads(runner.invoke(app, ["--db", str(db), "articles", "--search", "tear gas",
                                           "--json"]).stdout)
    assert [a["title"] for a in found] == ["Kenya Fuel Protest"]
    none = json.loads(runner.invoke(app, ["--db", str(db), "articles", "--search", "zebra",
                                          "--json"]).stdout)
    assert none == []
    shown = json.loads(runner.invoke(app, ["--db", str(db), "show", found[0]["id"][:8],
                                           "--json"]).stdout)
    assert shown["text"] == TEXT and shown["sources"][0]["source"].endswith("kenya.txt")
    stats = json.loads(runner.invoke(app, ["--db", str(db), "stats", "--json"]).stdout)
    assert stats["articles"] == 1 and stats["words"] == len(TEXT.split())


def test_actors_and_actor_commands(tmp_path: Path, db: Path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    (tmp_path / "a.txt").write_text("Japan's foreign ministry summoned the Chinese ambassador on "
                                    "Monday. The ministry said the incursion was unacceptable.")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(db), "ingest", str(tmp_path / "a.txt")]).exit_code == 0
    listed = json.loads(runner.invoke(app, ["--db", str(db), "actors", "--json"]).stdout)
    by_code = {row["code"]: row for row in listed}
    assert by_code["JPNGOV"]["mentions"] == 2 and by_code["CHNGOV"]["mentions"] == 1
    shown = json.loads(runner.invoke(app, ["--db", str(db), "actor", "JPNGOV", "--json"]).stdout)
    assert {m["text"] for m in shown["mentions"]} == {"Japan's foreign ministry", "The ministry"}
    assert shown["mention_count"] == 2 and shown["articles"] == 1
    table = runner.invoke(app, ["--db", str(db), "actor", "JPNGOV"]).stdout
    assert "2 mentions in 1 articles" in table
    missing = runner.invoke(app, ["--db", str(db), "actor", "XYZGOV"])
    assert missing.exit_code != 0


def test_extract_reads_stdin_and_prints_actors(db: Path):
    done = run("extract", "-", "--published", "2024-11-18",
               stdin="North Korean leader Kim Jong Un criticised the United States.")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    codes = {a["code"] for a in data["actors"] if a["role"] == "actor"}
    assert {"PRKGOV", "USA"} <= codes
    assert data["article"]["published"] == "2024-11-18"


def test_petrarch_dictionary_option(tmp_path: Path):
    actors = tmp_path / "mine.actors.txt"
    actors.write_text("ELBONIA_ [ELB]\n+ELBONIAN_\n")
    done = run("--dictionary", str(actors), "extract", "-",
               stdin="Elbonian troops crossed the border.")
    assert done.returncode == 0, done.stderr
    assert "ELBMIL" in {a["code"] for a in json.loads(done.stdout)["actors"]}
    missing = run("--dictionary", str(tmp_path / "nope.txt"), "extract", "-", stdin="x")
    assert missing.returncode == 2 and "nope.txt" in missing.stderr


def test_story_commands_as_json(tmp_path: Path, db: Path):
    from typer.testing import CliRunner

    from newsledger.cli import app

    dump = tmp_path / "news.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in [
        {"text": "Russian forces shelled Kharkiv on Monday, officials said. Ukraine condemned "
                 "Russia.", "outlet": "A", "published": "2024-06-24"},
        {"text": "Russian forces shelled Kharkiv again on Monday. Seoul and Washington "
                 "accused Pyongyang of sending troops to Russia. Pyongyang denied the troop "
                 "deployment.", "outlet": "B", "published": "2024-06-24"},
    ]) + "\n")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(db), "ingest", "--coder", "rules",
                                      str(dump)]).exit_code == 0
    stories = json.loads(runner.invoke(app, ["--db", str(db), "stories", "--json"]).stdout)
    assert stories and {"id", "label", "first_date", "last_date", "articles",
                        "outlets"} <= set(stories[0])
    shown = json.loads(runner.invoke(app, ["--db", str(db), "story", stories[0]["id"][:6],
                                           "--json"]).stdout)
    assert shown["timeline"] and shown["events"] and shown["article_list"]
    weekly = json.loads(runner.invoke(app, ["--db", str(db), "timeline", "--actor", "RUS",
                                            "--target", "UKR", "--by", "week",
                                            "--json"]).stdout)
    assert weekly[0]["period"] == "2024-06-24" and weekly[0]["quad_classes"]["4"] >= 1
    pair = json.loads(runner.invoke(app, ["--db", str(db), "dyad", "UKR", "RUS", "--by",
                                          "month", "--json"]).stdout)
    assert pair["forward"][0]["quad_classes"]["3"] >= 1
    disputed = json.loads(runner.invoke(app, ["--db", str(db), "claims", "--status",
                                              "disputed", "--json"]).stdout)
    assert disputed and disputed[0]["event"]["cameo"] == "074"
    bad = runner.invoke(app, ["--db", str(db), "timeline", "--actor", "RUS", "--by", "year"])
    assert bad.exit_code != 0


# -- issue 14: filters, ledgers, tables -----------------------------------------------------------

BAD_FILTERS = [
    (["events", "--since", "yesterday"], "--since yesterday", "E304"),
    (["events", "--since", "2024-13-45"], "--since 2024-13-45", "E304"),
    (["events", "--until", "2024-02-30"], "--until 2024-02-30", "E304"),
    (["events", "--cameo", "abc"], "--cameo abc", "E307"),
    (["events", "--cameo", "999"], "--cameo 999", "E307"),
    (["events", "--plover", "FOO"], "--plover FOO", "E308"),
    (["events", "--since", "2024-06-01", "--until", "2024-01-01"], "--since 2024-06-01",
     "E310"),
    (["events", "--status", "rumoured"], "--status rumoured", "E309"),
    (["events", "--polarity", "maybe"], "--polarity maybe", "E309"),
    (["events", "--modality", "certain"], "--modality certain", "E309"),
    (["events", "--min-corroboration", "0"], "--min-corroboration 0", "E313"),
    (["events", "--story", "not-an-id"], "--story not-an-id", "E312"),
    (["events", "--actor", "R U S"], "--actor R U S", "E311"),
    (["dyad", "RUS", "UKR", "--since", "yesterday"], "--since yesterday", "E304"),
    (["timeline", "--actor", "RUS", "--until", "soon"], "--until soon", "E304"),
    (["articles", "--since", "last week"], "--since last week", "E304"),
    (["export", "--cameo", "999"], "--cameo 999", "E307"),
    (["claims", "--status", "rumoured"], "--status rumoured", "E309"),
    (["story", "zz"], "ID zz", "E312"),
]


@pytest.mark.parametrize("args,names,code", BAD_FILTERS, ids=[" ".join(a) for a, _, _ in BAD_FILTERS])
def test_a_bad_filter_value_is_an_error_naming_it(args: list[str], names: str, code: str,
                                                   tmp_path: Path):
    db = tmp_path / "never.db"
    done = run(*args, db=db)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert names in done.stderr and f"[{code}]" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not db.exists() and list(tmp_path.iterdir()) == []


def test_filters_accept_what_the_vocabularies_hold():
    from newsledger.vocabulary import FilterError, check_filters, plover_types

    checked = check_filters({"cameo": "11", "plover": "accuse", "since": "2024-01-01",
                             "until": "2024-01-01", "status": "Disputed", "quad_class": "3"})
    assert checked == {"cameo": "11", "plover": "ACCUSE", "since": "2024-01-01",
                       "until": "2024-01-01", "status": "disputed", "quad_class": 3}
    assert "ACCUSE" in plover_types() and "FOO" not in plover_types()
    with pytest.raises(FilterError) as raised:
        check_filters({"cameo": "0999"})
    assert raised.value.name == "cameo" and "E307" in raised.value.message


@pytest.mark.parametrize("command", [["events"], ["articles"], ["stats"], ["stories"],
                                     ["actors"], ["claims"], ["actor", "PRK"],
                                     ["timeline", "--actor", "PRK"], ["dyad", "PRK", "RUS"],
                                     ["export", "--format", "csv"]])
def test_read_commands_never_create_a_ledger(command: list[str], tmp_path: Path):
    for db in (tmp_path / "typo.db", tmp_path / "nodir" / "x.db"):
        done = run(*command, db=db)
        assert done.returncode == 2, done.stderr
        assert "[E206]" in done.stderr and f"newsledger --db {db} ingest" in done.stderr
        assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_db_paths_are_errors_not_tracebacks(tmp_path: Path, folder: Path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    cases = [(["events"], a_file / "x.db", "E206"),
             (["ingest", str(folder)], a_file / "x.db", "E207"),
             (["ingest", str(folder)], Path("/proc/newsledger-nope/x.db"), "E207")]
    for args, db, code in cases:
        done = run(*args, db=db)
        assert done.returncode == 2, (args, db, done.stderr)
        assert f"[{code}]" in done.stderr and str(db) in done.stderr
        assert "Traceback" not in done.stderr
    assert a_file.read_text() == "not a folder"


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ledger of two short articles, coded by the lexicon (so the codes are known)."""
    folder = tmp_path_factory.mktemp("coded")
    dump = folder / "news.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in [
        {"text": "Russian forces shelled Kharkiv on Monday, officials said. Ukraine condemned "
                 "Russia.\n\nJapan praised Chile.", "outlet": "Daily A",
         "published": "2024-06-24", "title": "Kharkiv shelled"},
        {"text": "Russian forces shelled Kharkiv again on Monday. Seoul and Washington "
                 "accused Pyongyang of sending troops to Russia. Pyongyang denied the troop "
                 "deployment.", "outlet": "Daily B", "published": "2024-06-24",
         "title": "Troops"},
    ]) + "\n")
    db = folder / "ledger.db"
    done = run("ingest", "--coder", "rules", str(dump), db=db)
    assert done.returncode == 0, done.stderr
    return db


def test_events_table_one_line_per_event_with_cameo_names(coded: Path):
    from newsledger.vocabulary import cameo_name

    listed = json.loads(run("events", "--json", db=coded).stdout)
    assert len(listed) >= 3
    table = run("events", db=coded).stdout
    rows = [line for line in table.splitlines() if line.startswith("│")]
    assert len(rows) == len(listed)  # one line per event, no blank continuation lines
    for row, event in zip(rows, listed):
        assert f"{event['cameo']} {cameo_name(event['cameo'])[:10]}" in row
        assert (event["plover"]["event"] or "@") not in row.split("│")[3]  # no PLOVER labels
    assert "showing" not in table


def test_a_limited_listing_says_how_many_there_are(coded: Path):
    total = len(json.loads(run("events", "--json", db=coded).stdout))
    shown = run("events", "--limit", "2", db=coded).stdout
    assert f"showing 1-2 of {total} events" in shown
    assert len([line for line in shown.splitlines() if line.startswith("│")]) == 2
    later = run("events", "--limit", "2", "--offset", "2", db=coded).stdout
    assert f"showing 3-{min(4, total)} of {total} events" in later


def test_wide_events_show_every_column_and_whole_sentences(coded: Path):
    listed = json.loads(run("events", "--json", db=coded).stdout)
    wide = run("events", "--wide", db=coded).stdout
    rows = [line for line in wide.splitlines() if line.startswith("│")]
    assert len(rows) == len(listed)
    for row, event in zip(rows, listed):
        assert event["id"] in row and event["article_id"] in row
        assert " ".join(event["sentence"]["text"].split()) in row and "…" not in row


def test_events_filters_of_the_api(coded: Path):
    everything = json.loads(run("events", "--json", "--limit", "500", db=coded).stdout)
    for option, key in (("--polarity", "polarity"), ("--modality", "modality")):
        for value in {e[key] for e in everything}:
            found = json.loads(run("events", option, value, "--json", db=coded).stdout)
            assert found and {e[key] for e in found} == {value}
            assert len(found) == sum(e[key] == value for e in everything)
    disputed = json.loads(run("claims", "--status", "disputed", "--json", db=coded).stdout)
    assert disputed
    found = json.loads(run("events", "--status", "disputed", "--json", db=coded).stdout)
    assert {e["id"] for e in found} == {c["event_id"] for c in disputed}
    stories = json.loads(run("stories", "--json", db=coded).stdout)
    story = json.loads(run("story", stories[0]["id"], "--json", db=coded).stdout)
    found = json.loads(run("events", "--story", stories[0]["id"], "--json", "--limit", "500",
                           db=coded).stdout)
    assert {e["id"] for e in found} == {e["id"] for e in story["events"]}
    assert len(found) < len(everything) or len(stories) == 1
    many = json.loads(run("events", "--min-corroboration", "2", "--json", db=coded).stdout)
    assert many and all(e["cameo"] for e in many)
    assert {e["id"] for e in many} < {e["id"] for e in everything}


def test_event_command_shows_the_merged_event_and_its_outlets(coded: Path):
    many = json.loads(run("events", "--min-corroboration", "2", "--json", db=coded).stdout)
    shown = json.loads(run("event", many[0]["id"], "--json", db=coded).stdout)
    assert shown["id"] == many[0]["id"]
    merged = shown["merged"]
    assert merged["corroboration"] >= 2 and set(merged["outlets"]) == {"Daily A", "Daily B"}
    assert many[0]["id"] in {m["id"] for m in merged["mention_list"]}
    text = run("event", many[0]["id"], db=coded).stdout
    assert f"merged event {merged['id']}" in text and "Daily A" in text and "Daily B" in text
    by_merged = json.loads(run("event", merged["id"], "--json", db=coded).stdout)
    assert by_merged["merged"]["id"] == merged["id"]
    missing = run("event", "0123456789abcdef", db=coded)
    assert missing.returncode == 2 and "no event" in missing.stderr


def test_version_completion_and_flag_help():
    version = run("--version")
    from newsledger import __version__

    assert version.returncode == 0 and version.stdout.strip() == f"newsledger {__version__}"
    assert "Missing command" not in version.stderr
    helped = run("--help", env={"COLUMNS": "120"}).stdout
    assert "--install-completion" in helped and "--show-completion" in helped
    events_help = run("events", "--help", env={"COLUMNS": "120"}).stdout
    assert "--json" in events_help and "--wide" in events_help and "<bool>" not in events_help
    for option in ("--story", "--status", "--min-corroboration", "--polarity", "--modality"):
        assert option in events_help


def test_eval_without_gold_data_says_where_it_comes_from(tmp_path: Path):
    for folder in (tmp_path / "missing", tmp_path):
        done = run("eval", "--gold", str(folder))
        assert done.returncode == 2, done.stderr
        assert "--gold DIR" in done.stderr and "../shared/data/gold" in done.stderr
        assert "Traceback" not in done.stderr


def _read_only_copy(ledger: Path, tmp_path: Path):
    """A copy of ``ledger`` on storage that cannot be written: a read-only folder for a normal
    user; a read-only tmpfs for root (who may write anywhere else); None when neither works."""
    import shutil

    place = tmp_path / "ro"
    place.mkdir()
    if os.geteuid() != 0:
        shutil.copy(ledger, place / "ledger.db")
        place.chmod(0o555)
        return place, lambda: place.chmod(0o755)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "none", str(place)],
                      capture_output=True).returncode != 0:
        return None
    shutil.copy(ledger, place / "ledger.db")
    if subprocess.run(["mount", "-o", "remount,ro", str(place)],
                      capture_output=True).returncode != 0:
        subprocess.run(["umount", str(place)])
        return None
    return place, lambda: subprocess.run(["umount", str(place)])


def test_a_ledger_on_read_only_storage_can_be_read(coded: Path, tmp_path: Path):
    import sqlite3

    copy = tmp_path / "copy.db"
    with sqlite3.connect(coded) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # one file, its WAL folded in
    expected = json.loads(run("events", "--json", db=copy).stdout)
    found = _read_only_copy(copy, tmp_path)
    if found is None:
        pytest.skip("cannot make read-only storage here")
    place, undo = found
    try:
        db = place / "ledger.db"
        done = run("events", "--json", db=db)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == expected
        stats = run("stats", "--json", db=db)
        assert stats.returncode == 0 and json.loads(stats.stdout)["events"] == len(expected)
        written = run("ingest", "-", db=db, stdin=TEXT)
        assert written.returncode == 2 and "[E203]" in written.stderr
        assert "read-only storage" in written.stderr and "Traceback" not in written.stderr
        assert sorted(p.name for p in place.iterdir()) == ["ledger.db"]
    finally:
        undo()
