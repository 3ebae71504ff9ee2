"""Reliability (issue 17): no single input, special file, slow server or killed parent costs a
run its other articles, hangs it, or leaves processes behind.

Each test runs the real pipeline (the rules coder, to stay fast) through the public API, except
where a reader or the CLI entry point is the thing under test.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from newsledger import Ledger, nlp
from newsledger.errors import InputError
from newsledger.ingest.sources import ReadOptions, read_inputs
from newsledger.model import RawDocument

GOOD = ("The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss the border. "
        "Both sides agreed to resume the talks next month, a spokesman said.")
MEETING = "The foreign minister of Chile met the foreign minister of Peru in Lima on {day}."
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ledger(path: Path | str) -> Ledger:
    return Ledger(path, coder="rules")


def _within(seconds: float, action):
    """``action()``, failing the test (instead of hanging it) if it takes over ``seconds``."""
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = action()
        except BaseException as error:  # noqa: BLE001 - re-raised below
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: it hangs"
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]


def _codes(errors: list[InputError]) -> dict[str, str]:
    return {Path(e.source.split(":")[0].split("#")[0]).name: e.code for e in errors}


# --- 1. one bad input never costs the run ----------------------------------------------------


def test_a_text_over_spacys_max_length_is_parsed_in_pieces_with_offsets_kept(tmp_path, monkeypatch):
    language = nlp.load()
    monkeypatch.setattr(language, "max_length", 3000)  # stands for the 1,000,000 of real runs
    paragraphs = [" ".join(MEETING.format(day=DAYS[(p + s) % 7]) for s in range(6))
                  for p in range(40)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 5 * language.max_length
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    with _ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest(tmp_path)
        assert report.failed == [] and report.added == 2
        [article] = [a for a in ledger.articles() if "Tuesday to discuss" not in a.text]
        assert len(article.text) > 5 * language.max_length
        events = [e for e in ledger.events(limit=1000) if e.article_id == article.id]
    # Events come from every piece, and every offset points into the whole text.
    assert max(e.sentence_start for e in events) > 4 * language.max_length
    assert len({e.sentence_start for e in events}) > 100
    for event in events:
        assert article.text[event.sentence_start:event.sentence_end] == event.sentence_text
        assert event.sentence_text.startswith("The foreign minister of Chile")


def test_pieces_of_a_long_text_join_back_into_it_at_good_boundaries():
    text = "".join(f"Sentence number {i} ends here. " + ("\n\n" if i % 7 == 6 else "")
                   for i in range(400))
    pieces = nlp.split_text(text, 500)
    assert "".join(pieces) == text and len(pieces) > 10
    assert all(len(piece) <= 500 for piece in pieces)
    assert all(piece.endswith(("\n\n", ". ")) for piece in pieces[:-1])  # never inside a word
    assert nlp.split_text("x" * 1200, 500) == ["x" * 500, "x" * 500, "x" * 200]


def test_api_ingest_of_a_long_page_is_stored_not_a_server_error(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    monkeypatch.setattr(nlp.load(), "max_length", 3000)
    db = tmp_path / "web.db"
    _ledger(db).close()
    html = "<html><body><article>" + "".join(
        f"<p>{MEETING.format(day=DAYS[i % 7])} Talks went on for hours.</p>"
        for i in range(150)) + "</article></body></html>"
    with TestClient(create_app(db, token="s3cret"), raise_server_exceptions=False) as client:
        response = client.post("/api/ingest", json={"articles": [{"html": html}]},
                               headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 201, response.text
    assert response.json()["added"] == 1 and response.json()["failed"] == []


def test_a_text_spacy_fails_on_costs_that_article_only(tmp_path, monkeypatch):
    language = nlp.load()
    kind = type(language)
    real_pipe, real_call = kind.pipe, kind.__call__

    def explode(texts):
        if any("EXPLODE" in text for text in texts):
            raise ValueError("spaCy could not parse this")

    def pipe(self, texts, *args, **kwargs):
        texts = list(texts)
        explode(texts)
        return real_pipe(self, texts, *args, **kwargs)

    def call(self, text, *args, **kwargs):
        explode([text])
        return real_call(self, text, *args, **kwargs)

    monkeypatch.setattr(kind, "pipe", pipe)
    monkeypatch.setattr(kind, "__call__", call)
    (tmp_path / "bad.txt").write_text("Officials in Quito said the EXPLODE talks failed again.")
    (tmp_path / "good.txt").write_text(GOOD)
    with _ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest(tmp_path)
        assert [a.text for a in ledger.articles()] == [GOOD]
    [error] = report.failed
    assert error.code == "E115" and error.source.endswith("bad.txt")
    assert "ValueError: spaCy could not parse this" in error.message


def _lone_surrogate_text(folder: Path) -> str:
    (folder / "text.jsonl").write_text(json.dumps({"text": GOOD + " \ud800 end."}) + "\n")
    return "text.jsonl"


def _lone_surrogate_title(folder: Path) -> str:
    (folder / "title.jsonl").write_text(json.dumps({"text": GOOD, "title": "Talks \udfff"}) + "\n")
    return "title.jsonl"


def _deep_nesting(folder: Path) -> str:
    (folder / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    return "deep.jsonl"


def _huge_integer(folder: Path) -> str:
    (folder / "number.jsonl").write_text('{"text": "%s", "n": %s}\n' % (GOOD, "7" * 5000))
    return "number.jsonl"


def _non_utf8_name(folder: Path) -> str:
    name = os.fsencode(folder) + b"/caf\xe9.txt"
    try:
        with open(name, "wb") as stream:
            stream.write(GOOD.replace("Lima", "Cusco").encode())
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses file names that are not UTF-8")
    return "caf\\xe9.txt"  # how the report names it


@pytest.mark.parametrize("make, code, reason", [
    (_lone_surrogate_text, "E130", "the text holds a lone surrogate (U+D800)"),
    (_lone_surrogate_title, "E130", "the title holds a lone surrogate (U+DFFF)"),
    (_deep_nesting, "E131", "nested too deeply"),
    (_huge_integer, "E131", "digits"),
    (_non_utf8_name, "E132", "file name is not valid UTF-8"),
], ids=["surrogate-text", "surrogate-title", "deep-json", "huge-int", "non-utf8-name"])
def test_each_bad_input_is_reported_by_name_and_the_rest_is_stored(tmp_path, make, code, reason):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    name = make(folder)
    with _ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest(folder)
        assert [a.text for a in ledger.articles()] == [GOOD]
    assert report.added == 1
    [error] = report.failed
    assert error.code == code and reason in error.message
    assert error.source.split(":")[0].endswith(name)
    error.source.encode("utf-8")  # printable and storable: no surrogate left in the name


def test_a_crash_of_newsledger_itself_exits_3_not_1(tmp_path, monkeypatch, capsys):
    from newsledger import cli

    def broken(self, *args, **kwargs):
        raise RuntimeError("a bug in newsledger")

    (tmp_path / "good.txt").write_text(GOOD)
    monkeypatch.setattr(Ledger, "ingest", broken)
    monkeypatch.setattr(sys, "argv", ["newsledger", "--db", str(tmp_path / "l.db"), "ingest",
                                      "--coder", "rules", str(tmp_path / "good.txt")])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 3
    assert "a bug in newsledger" in capsys.readouterr().err


def test_a_damaged_ledger_is_a_clear_error_naming_the_file(tmp_path, monkeypatch, capsys):
    import sqlite3

    from newsledger import cli

    db = tmp_path / "damaged.db"
    (tmp_path / "good.txt").write_text(GOOD)
    with _ledger(db) as ledger:
        ledger.ingest(tmp_path / "good.txt")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE articles SET title = CAST(X'C3' AS TEXT)")  # not UTF-8
    conn.commit()
    conn.close()
    monkeypatch.setattr(sys, "argv", ["newsledger", "--db", str(db), "articles"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    stderr = capsys.readouterr().err
    assert exited.value.code == 2
    assert "[E203]" in stderr and "damaged.db" in stderr and "damaged" in stderr
    assert "Traceback" not in stderr


# --- 2. special files and slow servers -------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_devices_and_broken_links_are_skipped_with_a_warning(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(tmp_path / "named.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    inputs = [str(folder), str(tmp_path / "named.txt")]
    if Path("/dev/zero").exists():
        inputs.append("/dev/zero")
    with _ledger(tmp_path / "l.db") as ledger:
        report = _within(120, lambda: ledger.ingest(inputs))
    assert report.added == 1 and report.failed == []
    skipped = {Path(e.source).name: e for e in report.skipped}
    assert skipped["pipe.txt"].code == "W130" and "a FIFO" in skipped["pipe.txt"].message
    assert skipped["named.txt"].code == "W130"
    gone = skipped["gone.txt"]
    assert gone.code == "W131" and "broken symbolic link" in gone.message
    if "/dev/zero" in inputs:
        assert skipped["zero"].code == "W130" and "device" in skipped["zero"].message


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_max_bytes_is_enforced_while_reading_not_against_the_claimed_size():
    # /proc files claim a size of 0 and hold more: only reading tells how large they are.
    assert os.stat("/proc/self/status").st_size == 0
    [error] = list(read_inputs(["/proc/self/status"], ReadOptions(max_bytes=100)))
    assert isinstance(error, InputError) and error.code == "E105" and "100 bytes" in error.message


def test_a_jsonl_line_over_max_bytes_is_skipped_without_being_held_in_memory(tmp_path):
    path = tmp_path / "dump.jsonl"
    with path.open("w") as stream:
        stream.write('{"text": "' + "x" * 20_000_000 + '"}\n')
        stream.write(json.dumps({"text": GOOD}) + "\n")
    tracemalloc.start()
    try:
        items = list(read_inputs([path], ReadOptions(max_bytes=100_000)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    too_long, good = items
    assert isinstance(too_long, InputError) and too_long.code == "E105"
    assert too_long.source.endswith(":1") and isinstance(good, RawDocument) and good.text == GOOD
    assert peak < 5_000_000, f"{peak:,} bytes held for a line over a 100,000-byte limit"


@pytest.fixture
def trickling_server():
    """A server on 127.0.0.1 that sends its status line, then one header byte every 0.2 s
    for 20 s: every read is quick, the response never ends."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(100):
                    if stop.wait(0.2):
                        return
                    conn.sendall(b"x")
            except OSError:
                pass

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/slow"
    stop.set()
    server.close()


def test_the_timeout_bounds_the_whole_download_not_each_read(trickling_server):
    started = time.monotonic()
    [error] = _within(30, lambda: list(read_inputs(
        [trickling_server], ReadOptions(timeout=1.5, allow_private=True))))
    took = time.monotonic() - started
    assert isinstance(error, InputError) and error.code == "E110"
    assert "time limit of 1.5 s" in error.message
    assert took < 6, f"took {took:.1f} s under a 1.5 s limit"


# --- 4. workers die with their parent --------------------------------------------------------


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
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent_when_it_is_killed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    words = ("border", "troops", "talks", "sanctions", "protest", "election", "aid", "treaty")
    for i in range(600):
        picked = " ".join(words[(i * k + k * k) % len(words)] for k in range(1, 9))
        (folder / f"{i:04d}.txt").write_text(
            f"Report {i}: officials in Lima discussed {picked} on day {i}. "
            f"A second note numbered {i * 7919 % 10007} mentions {picked[::-1]}.")
    command = [sys.executable, "-m", "newsledger", "--db", str(tmp_path / "l.db"), "ingest",
               "-j", "2", "--coder", "rules", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 180
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            workers = _children(process.pid)
        if len(workers) < 2:
            pytest.skip("the ingest ended before its workers could be seen")
        process.send_signal(signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [pid for pid in workers if _alive(pid)]
        assert left == [], f"workers {left} outlived their killed parent"
    finally:
        if process.poll() is None:
            process.kill()
        for pid in workers:  # the test's own processes, should the fix fail
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# --- 6. source rows and one rule for encodings -----------------------------------------------


def test_an_exact_copy_of_a_near_duplicate_keeps_its_source_and_a_rerun_is_a_no_op(tmp_path):
    story = " ".join([GOOD] * 3)
    near = story + " A spokesman added nothing more."
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": story}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": near}) + "\n")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": near}) + "\n")
    inputs = [tmp_path / name for name in ("a.jsonl", "b.jsonl", "c.jsonl")]
    with _ledger(tmp_path / "l.db") as ledger:
        first = ledger.ingest(inputs)
        sources = {Path(row[0]).name for row in
                   ledger.conn.execute("SELECT source FROM article_sources")}
        again = ledger.ingest(inputs)
    assert (first.added, first.duplicates) == (1, 2)
    assert sources == {"a.jsonl:1", "b.jsonl:1", "c.jsonl:1"}
    assert (again.added, again.duplicates, again.unchanged) == (0, 0, 3)


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_utf16_is_read_by_its_byte_order_mark_and_refused_without_one(tmp_path, suffix):
    body = GOOD if suffix == ".txt" else json.dumps({"text": GOOD}) + "\n"
    (tmp_path / f"marked{suffix}").write_bytes(body.encode("utf-16"))  # with a BOM
    (tmp_path / f"bare{suffix}").write_bytes(body.encode("utf-16-le"))
    items = {Path(i.source.split(":")[0]).name: i for i in read_inputs([tmp_path])}
    marked, bare = items[f"marked{suffix}"], items[f"bare{suffix}"]
    assert isinstance(marked, RawDocument) and marked.text == GOOD
    assert isinstance(bare, InputError) and bare.code == "E103"


# --- 7. nothing skipped silently, nothing stored that is not an article ----------------------

EMPTY_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet Wire</title>
<link>https://example.org/</link></channel></rss>"""


def test_inputs_with_nothing_in_them_are_reported_with_a_warning(tmp_path):
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\n  \n")
    (tmp_path / "quiet.rss").write_text(EMPTY_FEED)
    (tmp_path / "good.txt").write_text(GOOD)
    with _ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest(tmp_path)
    assert report.added == 1 and report.failed == []
    skipped = {Path(e.source).name: e.message for e in report.skipped if e.code == "W132"}
    assert skipped == {"empty.jsonl": "[W132] no articles in it: the file is empty",
                       "blank.jsonl": "[W132] no articles in it: only blank lines",
                       "quiet.rss": "[W132] no articles in it: the feed has no entries"}


def test_a_nul_byte_anywhere_means_binary_content(tmp_path):
    long = (GOOD + "\n") * 100  # the NUL falls well after the first 8 KiB
    assert len(long) > 8192
    (tmp_path / "late.txt").write_bytes(long.encode() + b"\x00rest")
    (tmp_path / "late.html").write_bytes(f"<html><body><p>{long}</p>".encode() + b"\x00</body>")
    (tmp_path / "good.txt").write_text(GOOD)
    with _ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest(tmp_path)
        assert [a.text for a in ledger.articles()] == [GOOD]
    assert _codes(report.failed) == {"late.txt": "E103", "late.html": "E103"}
    assert all(str(len(long)) in e.message or "offset" in e.message for e in report.failed)


NAVIGATION = b"""<html><head><title>Home</title></head><body><nav><a href="/">Home</a>
<a href="/news">News</a> <a href="/about">About</a></nav></body></html>"""


def test_too_little_text_is_not_stored_as_an_article(tmp_path):
    (tmp_path / "q.txt").write_bytes(b"Q")
    (tmp_path / "byte.txt").write_bytes(b"\xc3\xa9")
    (tmp_path / "menu.html").write_bytes(NAVIGATION)
    (tmp_path / "good.txt").write_text(GOOD)
    with _ledger(tmp_path / "l.db") as ledger:
        report = ledger.ingest(tmp_path)
        assert [a.text for a in ledger.articles()] == [GOOD]
    assert _codes(report.failed) == {"q.txt": "E133", "byte.txt": "E133", "menu.html": "E133"}
    assert all("too short to be an article" in e.message for e in report.failed)


@pytest.mark.parametrize("content", ["[]", "{}", " [ ] "])
def test_an_empty_json_document_is_reported_not_skipped(tmp_path, content):
    from newsledger.ingest.sources import ReadOptions, read_file

    path = tmp_path / "empty.json"
    path.write_text(content, encoding="utf-8")
    items = list(read_file(path, ReadOptions()))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert items[0].code == "E102" and items[0].source == str(path)
