"""The API's read paths and the ``serve`` process: actor counts kept by triggers equal to
grouping the mentions, the newest-first article listing read from its index, and a real
``newsledger serve`` on 127.0.0.1 answering a 1 MB query string with a 414 (not a reset)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from newsledger import Ledger
from newsledger.store.actors import counts

ROOT = Path(__file__).resolve().parents[1]

# -- actor counts -----------------------------------------------------------------------------


def _grouped(conn, country=None, role="actor", limit=100, offset=0):
    """The listing as the mentions give it, grouped on every call (the query before 0013)."""
    where, params = ["role = ?"], [role]
    if country:
        where.append("country = ?")
        params.append(country)
    rows = conn.execute(
        "SELECT code, MAX(name) AS name, country, sector, COUNT(*) AS mentions,"
        " COUNT(DISTINCT article_id) AS articles FROM mentions"
        f" WHERE {' AND '.join(where)} GROUP BY code"
        " ORDER BY mentions DESC, code LIMIT ? OFFSET ?", [*params, limit, offset])
    return [dict(row) for row in rows]


def _article(conn, article_id):
    conn.execute("INSERT INTO articles (id, text, words, source, ingested_at)"
                 " VALUES (?, 'x', 1, 'test', '2024-01-01')", (article_id,))


def _mention(conn, article_id, start, code, name, country, role="actor", ignore=False):
    conn.execute(f"INSERT {'OR IGNORE ' if ignore else ''}INTO mentions VALUES"
                 " (?, ?, ?, ?, ?, ?, ?, 'GOV', ?, 0, 'test')",
                 (article_id, start, start + 3, name, code, name, country, role))


def _all_listings(conn):
    return [counts(conn, **args) for args in (
        {}, {"limit": 2, "offset": 1}, {"role": "modifier"}, {"country": "KEN"},
        {"country": "UGA"}, {"country": "USA"})]


def test_actor_counts_stay_equal_to_grouping_the_mentions(tmp_path):
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        conn = ledger.conn
        for article_id in ("a1", "a2", "a3"):
            _article(conn, article_id)
        _mention(conn, "a1", 0, "KENGOV", "Kenya's government", "KEN")
        _mention(conn, "a1", 10, "KENGOV", "Nairobi", "KEN")  # same article: 1 article, 2 mentions
        _mention(conn, "a1", 20, "KENGOV", "Kenya", None)  # the same code without a country
        _mention(conn, "a2", 0, "KENGOV", "Kenyan officials", "KEN")
        _mention(conn, "a2", 0, "KENGOV", "a copy", "KEN", ignore=True)  # ignored: no count
        _mention(conn, "a2", 5, "UGAGOV", "Uganda", "UGA")
        _mention(conn, "a3", 0, "UGAGOV", "Kampala", "UGA")
        _mention(conn, "a3", 9, "UGAGOV", "Museveni", "UGA", role="modifier")
        expected = [_grouped(conn, **args) for args in (
            {}, {"limit": 2, "offset": 1}, {"role": "modifier"}, {"country": "KEN"},
            {"country": "UGA"}, {"country": "USA"})]
        assert _all_listings(conn) == expected
        kenya = counts(conn)[0]
        assert (kenya["code"], kenya["mentions"], kenya["articles"]) == ("KENGOV", 4, 2)
        assert kenya["name"] == "Nairobi"  # the greatest name, as MAX(name) gave it

        # replacing an article's mentions (as a re-analysis does) and deleting some
        conn.execute("DELETE FROM mentions WHERE article_id = 'a1' AND start = 10")
        assert counts(conn)[0]["articles"] == 2  # a1 still mentions KENGOV
        conn.execute("DELETE FROM mentions WHERE article_id = 'a1'")
        conn.execute("DELETE FROM mentions WHERE article_id = 'a3' AND role = 'modifier'")
        assert counts(conn, role="modifier") == []  # a count that reaches 0 is gone
        expected = [_grouped(conn, **args) for args in (
            {}, {"limit": 2, "offset": 1}, {"role": "modifier"}, {"country": "KEN"},
            {"country": "UGA"}, {"country": "USA"})]
        assert _all_listings(conn) == expected
        assert [(a["code"], a["mentions"], a["articles"]) for a in counts(conn)] == [
            ("UGAGOV", 2, 2), ("KENGOV", 1, 1)]


def test_mentions_cannot_be_changed_in_place_behind_the_counts(tmp_path):
    import sqlite3

    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        _article(ledger.conn, "a1")
        _mention(ledger.conn, "a1", 0, "KENGOV", "Kenya", "KEN")
        with pytest.raises(sqlite3.IntegrityError, match="replaced, never updated"):
            ledger.conn.execute("UPDATE mentions SET code = 'UGAGOV'")
        assert counts(ledger.conn)[0]["code"] == "KENGOV"


def test_the_newest_articles_are_read_from_their_index_in_the_same_order(tmp_path):
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        conn = ledger.conn
        for i, published in enumerate(["2024-01-02", None, "2024-01-03", "2024-01-02", None]):
            conn.execute("INSERT INTO articles (id, text, words, source, ingested_at, published)"
                         " VALUES (?, 'x', 1, 'test', '2024-01-01', ?)", (f"b{i}", published))
        order = "ORDER BY published IS NULL, published DESC, seq DESC"
        plan = " ".join(str(row[3]) for row in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM articles a {order} LIMIT 20"))
        assert "articles_newest" in plan and "TEMP B-TREE" not in plan
        listed = [a.id for a in ledger.articles(limit=10)]
        assert listed == ["b2", "b3", "b0", "b4", "b1"]


# -- a real ``serve`` process -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _raw_get(port: int, target: str, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """One GET over a fresh connection, read to its end: (status, headers, body). A reset
    connection raises (ConnectionResetError), as a client sees it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                     .encode("ascii"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module", params=[1, 2], ids=["one-process", "workers-2"])
def served(request, tmp_path_factory):
    """``newsledger serve`` (one process, then ``--workers 2``) on 127.0.0.1 at a free port,
    over a small ledger: (port, process, workers)."""
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "l.db"
    with Ledger(db, coder="rules") as ledger:
        _article(ledger.conn, "a1")
        _mention(ledger.conn, "a1", 0, "KENGOV", "Kenya", "KEN")
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    env.pop("NEWSLEDGER_TOKEN", None)
    log = folder / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "newsledger", "--db", str(db), "serve", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(request.param)],
        env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("serve did not answer within 90 s")
                time.sleep(0.2)
        yield port, process, request.param
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def test_a_1_mb_query_string_gets_a_414_not_a_reset(served):
    port, _, _ = served
    status, headers, body = _raw_get(port, "/api/articles?search=" + "a" * 1_000_000)
    assert status == 414
    detail = json.loads(body)["detail"]
    assert "query string of 1000007 bytes" in detail and "8192" in detail
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers[
        "content-security-policy"]
    # the server goes on answering normal requests, and one just under the cap
    status, _, body = _raw_get(port, "/api/actors?limit=5")
    assert status == 200 and [a["code"] for a in json.loads(body)["items"]] == ["KENGOV"]
    status, _, body = _raw_get(port, "/api/articles?limit=5&search=" + "a" * 150)
    assert status == 200 and json.loads(body)["items"] == []
    status, _, _ = _raw_get(port, "/api/articles?x=" + "a" * 8000)
    assert status == 200


def test_many_requests_on_one_connection_are_all_answered(served):
    port, _, _ = served
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        reader = conn.makefile("rb")
        for i in range(40):
            path = ("/api/stats", "/api/articles?limit=3", "/api/actors", "/nothing")[i % 4]
            conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("ascii"))
            status = int(reader.readline().split()[1])
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            reader.read(length)
            assert status == (404 if path == "/nothing" else 200), path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_worker_processes_die_with_a_killed_server(served):
    port, process, workers = served
    if workers == 1:
        pytest.skip("one process: no workers")
    import signal

    children = {pid for pid in _children(process.pid)
                if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(
                    "latin-1", "replace")}
    assert len(children) == workers
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in children if _alive(pid)]
    for pid in left:  # the test's own processes, should the fix fail
        os.kill(pid, signal.SIGKILL)
    assert left == [], f"workers {left} outlived their killed server"
