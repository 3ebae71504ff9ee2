"""Readers: every supported input kind, and a clear error for every bad one."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsledger.errors import InputError
from newsledger.ingest.sources import ReadOptions, _read_stdin, read_inputs
from newsledger.model import RawDocument

TEXT = "The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss the border."


def read(*inputs, **options):
    return list(read_inputs([str(i) for i in inputs], ReadOptions(**options)))


def test_text_file(tmp_path: Path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    [doc] = read(tmp_path / "a.txt")
    assert isinstance(doc, RawDocument) and doc.text == TEXT


def test_folder_is_read_recursively_in_order_leaving_hidden_files(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(TEXT + " 2")
    (tmp_path / "1.txt").write_text(TEXT + " 1")
    (tmp_path / ".hidden.txt").write_text(TEXT)
    docs = read(tmp_path)
    assert [d.text[-1] for d in docs] == ["1", "2"]


def test_unsupported_type_in_a_folder_is_skipped_with_a_warning(tmp_path: Path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    [item] = read(tmp_path)
    assert isinstance(item, InputError) and item.code == "W101" and "'.png'" in item.message


def test_glob(tmp_path: Path):
    for name in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / name).write_text(TEXT)
    assert len(read(tmp_path / "x*.txt")) == 2


def test_missing_path_and_empty_glob(tmp_path: Path):
    items = read(tmp_path / "nope.txt", tmp_path / "nothing*.txt")
    assert [i.code for i in items] == ["E101", "E101"]


@pytest.mark.parametrize("content, code, reason", [
    (b"", "E102", "empty"),
    (b"   \n\n", "E102", "empty"),
    (b"PK\x03\x04\x00\x00binary", "E112", "a ZIP archive"),
    (b"caf\xe9 au lait", "E104", "not valid UTF-8"),
])
def test_bad_text_files(tmp_path: Path, content: bytes, code: str, reason: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    [error] = read(path)
    assert isinstance(error, InputError)
    assert error.code == code and error.source == str(path)
    assert reason in error.message


FIXTURES = Path(__file__).parent / "fixtures" / "metadata"


def test_rtf_named_txt_is_converted_to_its_plain_text():
    [doc] = read(FIXTURES / "rtf-named.txt")
    assert isinstance(doc, RawDocument)
    assert "Protesters gathered outside the parliament in Accra" in doc.text
    assert "\\rtf" not in doc.text and "fonttbl" not in doc.text and "Times;" not in doc.text


def test_rtf_without_text_is_reported_empty(tmp_path: Path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"{\\rtf1\\ansi {\\fonttbl {\\f0 Times;}} }")
    [error] = read(path)
    assert isinstance(error, InputError) and error.code == "E102"


@pytest.mark.parametrize("name, kind", [("pdf-named.txt", "a PDF document"),
                                        ("docx-named.txt", "a ZIP archive")])
def test_pdf_and_office_files_named_txt_are_refused_with_what_they_are(name: str, kind: str):
    [error] = read(FIXTURES / name)
    assert isinstance(error, InputError) and error.code == "E112"
    assert kind in error.message and "convert it first" in error.message
    assert error.source.endswith(name)


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path):
    path = tmp_path / "big.html"
    path.write_bytes(b"<p>" + b"x" * 2000 + b"</p>")
    [error] = read(path, max_bytes=1000)
    assert error.code == "E105" and "1000" in error.message


def test_jsonl_good_and_bad_lines(tmp_path: Path):
    lines = [
        json.dumps({"text": TEXT, "url": "https://example.org/a", "title": "Talks",
                    "published": "2024-06-24", "outlet": "Example"}),
        "",
        json.dumps({"html": f"<p>{TEXT}</p>"}),
        '{"text": "truncated',
        json.dumps({"title": "no body"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": 42}),
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = read(path)
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = {i.source.rsplit(":", 1)[1]: i.code for i in items if isinstance(i, InputError)}
    assert [d.outlet for d in docs] == ["Example", None]
    assert docs[0].published == "2024-06-24" and docs[1].html.startswith("<p>")
    assert errors == {"4": "E106", "5": "E107", "6": "E114", "7": "E113"}


def test_json_list_of_records(tmp_path: Path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([{"text": TEXT}, {"text": TEXT + " again"}]))
    assert [d.source.endswith(f"[{i}]") for i, d in enumerate(read(path))] == [True, True]


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<item><title>Talks resume</title><link>https://example.org/1</link>
<pubDate>Mon, 24 Jun 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://example.org/2</link></item>
</channel></rss>""".format(text=TEXT)

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Desk</title><entry><title>Border talks</title><link href="https://example.org/3"/>
<updated>2024-06-25T08:00:00Z</updated><content type="html">&lt;p&gt;{text}&lt;/p&gt;</content>
</entry></feed>""".format(text=TEXT)


def test_rss_feed_entries(tmp_path: Path):
    path = tmp_path / "wire.rss"
    path.write_text(RSS)
    doc, empty = read(path)
    assert (doc.title, doc.url, doc.published, doc.outlet) == (
        "Talks resume", "https://example.org/1", "2024-06-24", "Example Wire")
    assert empty.code == "E107" and empty.source.endswith("#2")


def test_atom_feed_entries(tmp_path: Path):
    path = tmp_path / "desk.atom"
    path.write_text(ATOM)
    [doc] = read(path)
    assert (doc.outlet, doc.published) == ("Atom Desk", "2024-06-25")
    assert TEXT in doc.html


def test_feed_that_is_not_xml(tmp_path: Path):
    path = tmp_path / "feed.xml"
    path.write_text("this is not a feed at all")
    [error] = read(path)
    assert error.code == "E108"


@pytest.mark.parametrize("payload, kind", [
    (TEXT.encode(), "text"),
    (f"<html><body><p>{TEXT}</p></body></html>".encode(), "html"),
    (json.dumps({"text": TEXT}).encode() + b"\n", "text"),
])
def test_stdin_is_sniffed(payload: bytes, kind: str):
    [doc] = list(_read_stdin(io.BytesIO(payload), ReadOptions()))
    assert getattr(doc, kind)


class _Handler(BaseHTTPRequestHandler):
    pages = {
        "/article": ("text/html; charset=utf-8", f"<html><body><p>{TEXT}</p></body></html>"),
        "/plain": ("text/plain", TEXT),
        "/big": ("text/html", "<p>" + "x" * 5000 + "</p>"),
    }

    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/redirect-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if self.path not in self.pages:
            self.send_error(404)
            return
        kind, body = self.pages[self.path]
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_url_page_and_plain_text(server):
    page, plain = read(f"{server}/article", f"{server}/plain", allow_private=True)
    assert page.html and page.url == f"{server}/article"
    assert plain.text == TEXT


def test_url_errors(server):
    missing, big, redirect = read(f"{server}/missing", f"{server}/big", f"{server}/redirect-file",
                                  max_bytes=1000, allow_private=True)
    assert missing.code == "E110" and "404" in missing.message
    assert big.code == "E105"
    assert redirect.code in {"E109", "E110"}


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.txt",
                                 "gopher://example.org/"])
def test_other_url_schemes_are_refused(url: str):
    [error] = read(url)
    assert error.code == "E109"


def test_unreachable_host_times_out_with_a_clear_error():
    [error] = read("http://127.0.0.1:9/nothing", timeout=2, allow_private=True)
    assert error.code == "E110"
