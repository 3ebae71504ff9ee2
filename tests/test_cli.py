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
