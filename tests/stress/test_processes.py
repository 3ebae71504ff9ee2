"""Real processes on one ledger: two ``newsledger ingest`` runs at once (of different inputs,
then of the same inputs in opposite orders) both finish, with no "database is locked", nothing
lost and nothing stored twice; a ``newsledger serve`` reading meanwhile answers every request."""

from __future__ import annotations

import http.client
import json
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from newsledger import Ledger
from newsledger.store.db import connect, health, table_counts

from stressdata import READS, child_env, free_port, newsledger_command, start_server, \
    write_articles

# Tables whose rows do not depend on the order articles were stored in (stories do).
ORDERLESS = ("articles", "article_sources", "fingerprints", "fingerprint_bands", "sentences",
             "mentions", "events", "claims", "story_articles")


def ingest_process(db: Path, inputs: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(newsledger_command(db, "ingest", "--coder", "rules", "--json",
                                               *inputs),
                            env=child_env(), stdout=subprocess.PIPE, stderr=log.open("wb"))


def finish(process: subprocess.Popen, log: Path) -> dict:
    out, _ = process.communicate(timeout=300)
    problems = log.read_text(errors="replace")
    assert process.returncode == 0, problems[-3000:]
    assert "locked" not in problems and "Traceback" not in problems, problems[-3000:]
    return json.loads(out)


def sound(db: Path) -> dict:
    conn = connect(db)
    found = health(conn)
    assert found["integrity"] == "ok" and found["fts"] == "ok", found
    assert found["foreign_keys"] == 0 and found["orphans"] == {}, found
    assert (found["unanalysed"], found["unplaced"], found["empty_merged"]) == (0, 0, 0), found
    counts = table_counts(conn)
    conn.close()
    return counts


def alone(tmp_path: Path, inputs: list[str]) -> dict:
    with Ledger(tmp_path / "alone.db", coder="rules") as ledger:
        assert not ledger.ingest(inputs).failed
        return table_counts(ledger.conn)


def test_two_ingests_of_different_inputs_on_a_new_ledger(tmp_path):
    first = [str(p) for p in write_articles(tmp_path / "first", 70, seed=11)]
    second = [str(p) for p in write_articles(tmp_path / "second", 70, seed=12)]
    db = tmp_path / "ledger.db"
    runs = [ingest_process(db, first, tmp_path / "1.log"),
            ingest_process(db, second, tmp_path / "2.log")]
    reports = [finish(run, tmp_path / f"{i}.log") for i, run in enumerate(runs, 1)]
    assert [r["added"] for r in reports] == [70, 70]
    assert all(r["failed"] == [] and r["duplicates"] == 0 for r in reports)
    counts = sound(db)
    expected = alone(tmp_path, first + second)
    assert {t: counts[t] for t in ORDERLESS} == {t: expected[t] for t in ORDERLESS}
    assert counts["articles"] == 140
    print(f"\ndifferent inputs: added {[r['added'] for r in reports]}, "
          f"{counts['articles']} articles, {counts['events']} events, {counts['claims']} "
          f"claims, {counts['story_articles']} story memberships; equal to one ingest alone")


def test_two_ingests_of_the_same_inputs_store_each_article_once(tmp_path):
    inputs = [str(p) for p in write_articles(tmp_path / "same", 120, seed=13)]
    db = tmp_path / "ledger.db"
    Ledger(db, coder="rules").close()  # a migrated ledger (the new one is the test above)
    runs = [ingest_process(db, inputs, tmp_path / "1.log"),
            ingest_process(db, inputs[::-1], tmp_path / "2.log")]
    reports = [finish(run, tmp_path / f"{i}.log") for i, run in enumerate(runs, 1)]
    assert sum(r["added"] for r in reports) == 120
    assert all(r["added"] + r["unchanged"] + r["duplicates"] == 120 for r in reports)
    assert all(r["added"] > 0 for r in reports), reports  # they did run at the same time
    counts = sound(db)
    expected = alone(tmp_path, inputs)
    assert {t: counts[t] for t in ORDERLESS} == {t: expected[t] for t in ORDERLESS}
    conn = sqlite3.connect(db)
    # every input file is one source row, of one article; no article without its source
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT source) FROM article_sources"
                        ).fetchone() == (120, 120)
    conn.close()
    print(f"\nsame inputs, opposite orders: added {[r['added'] for r in reports]}, unchanged "
          f"{[r['unchanged'] for r in reports]}, duplicates {[r['duplicates'] for r in reports]}"
          f"; {counts['articles']} articles, {counts['events']} events, {counts['claims']} "
          f"claims; equal to one ingest alone")


def test_a_server_reading_during_an_ingest_answers_every_request(tmp_path):
    db = tmp_path / "ledger.db"
    with Ledger(db, coder="rules") as ledger:
        ledger.ingest([str(p) for p in write_articles(tmp_path / "seed", 10, seed=14)])
    port = free_port()
    server = start_server(db, port, tmp_path / "server.log")
    inputs = [str(p) for p in write_articles(tmp_path / "more", 100, seed=15)]
    statuses: list[int] = []
    problems: list[str] = []
    seen_articles: list[int] = []
    stop = threading.Event()

    def read() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while not stop.is_set() and len(statuses) < 20_000:  # bounded
            path = READS[i % len(READS)]
            i += 1
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                statuses.append(response.status)
                if response.status != 200:
                    problems.append(f"{path}: {response.status} {body[:200]!r}")
                elif path == "/api/stats":
                    seen_articles.append(json.loads(body)["articles"])
            except (OSError, http.client.HTTPException) as error:
                problems.append(f"{path}: {error!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    try:
        readers = [threading.Thread(target=read) for _ in range(2)]
        for reader in readers:
            reader.start()
        report = finish(ingest_process(db, inputs, tmp_path / "ingest.log"),
                        tmp_path / "ingest.log")
        time.sleep(0.5)
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    assert report["added"] == 100
    assert problems == []
    assert len(statuses) > 50
    # the readers saw the ingest progress, batch by batch, while it ran
    assert seen_articles[0] < 110 and seen_articles[-1] == 110
    assert len(set(seen_articles)) > 2
    print(f"\nserver during an ingest: {len(statuses)} responses, {len(problems)} errors, "
          f"articles seen growing {seen_articles[0]} → {seen_articles[-1]} over "
          f"{len(set(seen_articles))} distinct counts")
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "Traceback" not in log and "locked" not in log, log[-2000:]
    sound(db)
