"""Security: no request to the host's own network (SSRF), no entity expansion or external
entities in feeds and pages (billion laughs, XXE), and a hardened web server.

Every server here listens on 127.0.0.x only, and every request goes there."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsledger import Ledger
from newsledger.ingest import fetch
from newsledger.ingest.sources import ReadOptions, read_inputs

TEXT = ("The United Nations said on Monday that talks between the two governments would resume "
        "in Geneva next week. Officials from both countries confirmed the date.")
SECRET = "SECRET-MARKER-5e1f the root password is hunter2"


def read(*inputs, **options):
    return list(read_inputs([str(i) for i in inputs], ReadOptions(**options)))


class _Hits:
    """Requests each test server received, by path."""

    def __init__(self) -> None:
        self.paths: list[str] = []


def _handler(hits: _Hits, routes: dict[str, tuple[int, dict[str, str], bytes]]):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.paths.append(self.path)
            status, headers, body = routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value.replace("{port}", str(self.server.server_address[1])))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


class _Server:
    def __init__(self, host: str, routes: dict, family: int = socket.AF_INET) -> None:
        self.hits = _Hits()

        class Server(ThreadingHTTPServer):
            address_family = family
            daemon_threads = True

        self.httpd = Server((host, 0), _handler(self.hits, routes))
        self.port = self.httpd.server_address[1]
        self.base = f"http://{f'[{host}]' if ':' in host else host}:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


PAGE = f"<html><body><article><p>{TEXT}</p></article></body></html>".encode()


@pytest.fixture(scope="module")
def target():
    """The service an attacker wants to reach: it serves a page on 127.0.0.1."""
    server = _Server("127.0.0.1", {"/secret": (200, {"Content-Type": "text/html"}, PAGE)})
    yield server
    server.close()


@pytest.fixture(scope="module")
def target6():
    try:
        server = _Server("::1", {"/secret": (200, {"Content-Type": "text/html"}, PAGE)},
                         family=socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    yield server
    server.close()


@pytest.fixture(scope="module")
def redirector(target):
    """A server that redirects to the target; it stands in for a public host."""
    routes = {
        "/to-loopback": (302, {"Location": f"{target.base}/secret"}, b""),
        "/to-localhost": (301, {"Location": f"http://localhost:{target.port}/secret"}, b""),
        "/to-mapped": (307, {"Location": f"http://[::ffff:127.0.0.1]:{target.port}/secret"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/page": (200, {"Content-Type": "text/html"}, PAGE),
    }
    server = _Server("127.0.0.2", routes)
    yield server
    server.close()


@pytest.fixture
def redirector_is_public(monkeypatch, redirector):
    """Treat the redirector's address, 127.0.0.2, as public, and only that one, so that a
    first hop is allowed and the checks on the next hop can be seen."""
    real = fetch.address_problem

    def problem(ip):
        return None if str(ip) == "127.0.0.2" else real(ip)

    monkeypatch.setattr(fetch, "address_problem", problem)
    return redirector


# -- SSRF ------------------------------------------------------------------------------------


def test_loopback_addresses_are_refused_before_any_request(target, target6):
    urls = [f"{target.base}/secret", f"{target6.base}/secret",
            f"http://localhost:{target.port}/secret", f"http://[::ffff:127.0.0.1]:{target.port}/",
            f"http://0.0.0.0:{target.port}/", "http://2130706433/", "http://127.1/"]
    errors = read(*urls)
    assert [e.code for e in errors] == ["E120"] * len(urls), errors
    for url, error in zip(urls, errors, strict=True):
        assert error.source == url and url in error.message
        assert "--allow-private" in error.message
    assert "loopback" in errors[0].message and "loopback" in errors[1].message
    assert "localhost resolves to 127.0.0.1" in errors[2].message
    assert "embeds 127.0.0.1" in errors[3].message
    assert target.hits.paths == [] and target6.hits.paths == []


@pytest.mark.parametrize(("address", "reason"), [
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "reserved"),
    ("100.64.0.1", "not a public"), ("::", "unspecified"), ("::ffff:10.0.0.1", "private"),
    ("64:ff9b::7f00:1", "loopback"), ("2002:7f00:1::", "loopback"),
])
def test_non_public_addresses_have_a_named_reason(address: str, reason: str):
    import ipaddress

    problem = fetch.address_problem(ipaddress.ip_address(address))
    assert problem is not None and reason in problem


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str):
    import ipaddress

    assert fetch.address_problem(ipaddress.ip_address(address)) is None


def test_a_name_is_checked_on_the_address_it_resolves_to_at_connect_time(monkeypatch, target):
    """Any name (here one made up for the test) is resolved when the connection is made, and
    the address it gives then is the one checked and connected to."""
    real = socket.getaddrinfo
    looked_up = []

    def resolve(host, port, *args, **kwargs):
        looked_up.append(host)
        if host == "news.rebind.test":
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    [error] = read(f"http://news.rebind.test:{target.port}/secret")
    assert error.code == "E120" and "resolves to 127.0.0.1" in error.message
    assert looked_up == ["news.rebind.test"] and target.hits.paths == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1/",
                                 "data:text/plain,hello", "javascript:alert(1)",
                                 "dict://127.0.0.1:11211/"])
def test_other_schemes_are_refused(url: str):
    [error] = read(url)
    assert error.code == "E109" and error.source == url
    assert "only http and https" in error.message


@pytest.mark.parametrize(("path", "code", "words"), [
    ("/to-loopback", "E120", "127.0.0.1 is a loopback address"),
    ("/to-localhost", "E120", "localhost resolves to 127.0.0.1"),
    ("/to-mapped", "E120", "embeds 127.0.0.1"),
    ("/to-file", "E109", "a redirect to file:///etc/passwd"),
    ("/loop", "E110", "more than 5 redirects"),
])
def test_every_redirect_hop_is_checked(redirector_is_public, target, path, code, words):
    before = len(target.hits.paths)
    [error] = read(f"{redirector_is_public.base}{path}")
    assert error.code == code and words in error.message, error
    assert error.source == f"{redirector_is_public.base}{path}"
    assert len(target.hits.paths) == before  # the target was never reached
    if path == "/loop":
        assert redirector_is_public.hits.paths.count("/loop") == 6  # the first and 5 redirects


def test_the_public_stand_in_is_fetched(redirector_is_public):
    [page] = read(f"{redirector_is_public.base}/page")
    assert page.html == PAGE


def test_allow_private_lets_the_local_server_through(target, target6):
    page, page6 = read(f"{target.base}/secret", f"{target6.base}/secret", allow_private=True)
    assert page.html == PAGE and page6.html == PAGE
    assert "/secret" in target.hits.paths and "/secret" in target6.hits.paths


def test_cli_refuses_the_local_server_unless_allow_private(tmp_path, target):
    from typer.testing import CliRunner

    from newsledger.cli import app

    db = tmp_path / "cli.db"
    runner = CliRunner()
    refused = runner.invoke(app, ["--db", str(db), "ingest", f"{target.base}/secret", "--json"])
    assert refused.exit_code == 1
    report = json.loads(refused.stdout[refused.stdout.index("{"):])
    assert report["added"] == 0 and report["failed"][0]["code"] == "E120"
    allowed = runner.invoke(app, ["--db", str(db), "ingest", "--allow-private",
                                  f"{target.base}/secret", "--json"])
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout[allowed.stdout.index("{"):])["added"] == 1
    with Ledger(db, readonly=True) as ledger:
        assert "talks between the two governments" in ledger.articles()[0].text


def test_the_time_limit_covers_a_slow_drip_body(monkeypatch):
    """A server that sends a byte a second never finishes within the limit; the fetch stops at
    the limit instead of waiting for the whole body."""
    stop = threading.Event()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def drip():
        conn, _ = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b"x")
            except OSError:
                break
            time.sleep(0.2)
        conn.close()

    threading.Thread(target=drip, daemon=True).start()
    started = time.monotonic()
    [error] = read(f"http://127.0.0.1:{listener.getsockname()[1]}/", timeout=1.5,
                   allow_private=True)
    elapsed = time.monotonic() - started
    stop.set()
    listener.close()
    assert error.code == "E110" and "time limit" in error.message
    assert elapsed < 4


def test_a_gzip_bomb_is_stopped_at_the_size_cap():
    import gzip

    bomb = gzip.compress(b"<p>" + b"a" * 20_000_000 + b"</p>")
    server = _Server("127.0.0.1", {"/bomb": (200, {"Content-Type": "text/html",
                                                   "Content-Encoding": "gzip"}, bomb)})
    try:
        [error] = read(f"{server.base}/bomb", allow_private=True, max_bytes=1_000_000)
    finally:
        server.close()
    assert error.code == "E105"


# -- XML ---------------------------------------------------------------------------------------


def _secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def _xxe_feed(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>
<rss version="2.0"><channel><title>Leak Gazette</title>
<item><title>Talks &leak;</title><link>https://example.org/a</link>
<description>{TEXT} &leak;</description></item></channel></rss>
"""


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
""" + "\n".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                for i in range(1, 10)) + """
]>
<rss version="2.0"><channel><title>Laughs</title><item><title>&lol9;</title>
<description>&lol9;</description></item></channel></rss>
"""


def _ledger_dump(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def test_an_xxe_feed_never_puts_the_local_file_in_the_ledger(tmp_path, ledger, db):
    secret = _secret(tmp_path)
    feed = tmp_path / "leak.xml"
    feed.write_text(_xxe_feed(secret), encoding="utf-8")
    utf16 = tmp_path / "leak16.rss"
    utf16.write_bytes(_xxe_feed(secret).replace('version="1.0"', 'version="1.0" encoding="utf-16"')
                      .encode("utf-16"))
    report = ledger.ingest([feed, utf16])
    assert report.added == 0
    assert [(e.source, e.code) for e in report.failed] == [
        (str(feed), "E121"), (str(utf16), "E121")]
    assert "declares the entity 'leak'" in report.failed[0].message
    assert "hunter2" not in _ledger_dump(db) and "SECRET-MARKER" not in _ledger_dump(db)


def test_an_xxe_feed_served_over_http_is_refused_too(tmp_path, ledger, db):
    secret = _secret(tmp_path)
    server = _Server("127.0.0.1", {"/feed": (200, {"Content-Type": "application/rss+xml"},
                                             _xxe_feed(secret).encode())})
    try:
        report = ledger.ingest(f"{server.base}/feed", allow_private=True)
    finally:
        server.close()
    assert [e.code for e in report.failed] == ["E121"] and report.added == 0
    assert "hunter2" not in _ledger_dump(db)


def test_an_xxe_page_never_expands_the_entity(tmp_path, ledger, db):
    secret = _secret(tmp_path)
    page = tmp_path / "leak.html"
    page.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>
<html><body><article><p>{TEXT} &leak;</p></article></body></html>""", encoding="utf-8")
    report = ledger.ingest(page)
    assert report.added == 1 and report.failed == []
    assert "hunter2" not in _ledger_dump(db)


def test_an_external_dtd_is_never_fetched(tmp_path, ledger, db):
    """A DOCTYPE naming an external DTD is not read (here a local file holding an entity)."""
    secret = _secret(tmp_path)
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "{secret.as_uri()}">', encoding="utf-8")
    feed = tmp_path / "dtd.xml"
    feed.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">
<rss version="2.0"><channel><title>T</title><item><title>Talks</title>
<description>{TEXT} &leak;</description></item></channel></rss>""", encoding="utf-8")
    ledger.ingest(feed)
    assert "hunter2" not in _ledger_dump(db)


def test_billion_laughs_is_refused_quickly(tmp_path, ledger, db):
    import resource

    feed = tmp_path / "laughs.xml"
    feed.write_text(BILLION_LAUGHS, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    report = ledger.ingest(feed)
    assert time.monotonic() - started < 5
    assert [e.code for e in report.failed] == ["E121"] and report.added == 0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB
    assert "lollollol" not in _ledger_dump(db)


def test_a_feed_file_holding_a_path_is_not_opened_as_that_path(tmp_path, ledger, db):
    """feedparser opens bytes that name a file; the reader never gives it that chance."""
    inner = tmp_path / "inner.xml"
    inner.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Inner</title>
<item><title>{SECRET}</title><description>{TEXT}</description></item></channel></rss>""",
                     encoding="utf-8")
    pointer = tmp_path / "pointer.xml"
    pointer.write_text(str(inner), encoding="utf-8")
    report = ledger.ingest(pointer)
    assert [e.code for e in report.failed] == ["E108"] and report.added == 0
    assert "hunter2" not in _ledger_dump(db)


def test_a_feed_with_a_public_doctype_is_still_read(tmp_path):
    feed = tmp_path / "old.rss"
    feed.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><item><title>Talks</title>
<description>{TEXT}</description></item></channel></rss>""", encoding="utf-8")
    [doc] = read(feed)
    assert doc.text == TEXT and doc.outlet == "Old"


# -- the web server --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    folder = tmp_path_factory.mktemp("secweb")
    db = folder / "web.db"
    articles = folder / "a.jsonl"
    articles.write_text(json.dumps({"text": TEXT, "title": "Talks", "published": "2024-05-06",
                                    "url": "javascript:alert(document.cookie)"}) + "\n",
                        encoding="utf-8")
    with Ledger(db) as ledger:
        assert ledger.ingest(articles).added == 1
    with TestClient(create_app(db, token="s3cret")) as client:
        yield client, db


def test_pages_cannot_be_framed(web):
    client, _ = web
    for path in ("/", "/api/stats", "/api/articles", "/nothing-here"):
        response = client.get(path)
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_no_cors_by_default(web):
    client, _ = web
    response = client.get("/api/stats", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert not any(key.lower().startswith("access-control-") for key in response.headers)
    preflight = client.options("/api/ingest", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code in (404, 405)


@pytest.mark.parametrize("query", [
    "/api/articles?limit=0", "/api/articles?limit=501", "/api/articles?limit=-1",
    "/api/articles?limit=99999999999999999999999999", "/api/articles?limit=abc",
    "/api/articles?offset=-5", "/api/articles?offset=100000000000000000000",
    "/api/articles?search=" + "a" * 5000, "/api/articles?outlet=" + "x" * 5000,
    "/api/events?actor=" + "A" * 500, "/api/events?cameo=1" * 2 + "12345",
    "/api/events?limit=1e9", "/api/events?since=2024-13-99x", "/api/claims?limit=100000",
    "/api/stories?min_articles=0", "/api/network?actor=USA&limit=51",
    "/api/actors?offset=1e99", "/api/dyad?first=USA&second=" + "B" * 300,
])
def test_query_limits_are_422_not_500(web, query):
    client, _ = web
    response = client.get(query)
    assert response.status_code == 422, (query, response.status_code, response.text[:200])


def test_long_paths_are_refused_cleanly(web):
    client, _ = web
    for path in ("/api/articles/" + "a" * 10_000, "/api/events/" + "f" * 5000,
                 "/api/actors/" + "Z" * 5000, "/" + "x" * 20_000):
        assert client.get(path).status_code in (404, 422)


def test_ingest_endpoint_never_reads_server_side_paths(web, tmp_path):
    client, db = web
    secret = _secret(tmp_path)
    posted = [{"text": str(secret)}, {"html": str(secret)}, {"text": TEXT + " Follow-up.",
                                                             "url": secret.as_uri()},
              {"html": f'<iframe src="{secret.as_uri()}"></iframe><p>{TEXT} Again.</p>'}]
    response = client.post("/api/ingest", json={"articles": posted},
                           headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 201, response.text
    assert "hunter2" not in _ledger_dump(db)
    assert "hunter2" not in response.text
    unknown = client.post("/api/ingest", json={"articles": [{"text": "x", "path": str(secret)}],
                                               "inputs": [str(secret)]},
                          headers={"Authorization": "Bearer s3cret"})
    assert "hunter2" not in unknown.text and "hunter2" not in _ledger_dump(db)


LINK_CASES = {
    "/articles/ab12": True, "/stories/9f?by=week": True, "http://example.org/a": True,
    "HTTPS://example.org/a": True, "javascript:alert(1)": False, "JavaScript:alert(1)": False,
    " javascript:alert(1)": False, "java\tscript:alert(1)": False, "\u0000javascript:x": False,
    "data:text/html,<script>alert(1)</script>": False, "vbscript:msgbox": False,
    "//evil.example/x": False, "/\\evil.example": False, "file:///etc/passwd": False,
    "ftp://example.org/": False, "mailto:a@b.c": False, "?offset=5": False, "": False,
}


def test_page_links_only_http_urls():
    """The page's own link check (``safeHref`` in app.js, which ``el`` applies to every href)
    run under Node on the cases an attacker would try."""
    import re
    import shutil
    import subprocess

    from newsledger.web.app import STATIC

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    function = re.search(r"^function safeHref\(.*?^}$", script, re.S | re.M).group(0)
    assert re.search(r'if \(key === "href" && !safeHref\(value\)\) continue;', script)
    program = function + "\nconst cases = JSON.parse(process.argv[1]);\n" \
        "process.stdout.write(JSON.stringify(cases.map((c) => safeHref(c))));"
    cases = list(LINK_CASES)
    out = subprocess.run([node, "-e", program, json.dumps(cases)], capture_output=True,
                         text=True, timeout=30, check=True).stdout
    assert dict(zip(cases, json.loads(out), strict=True)) == LINK_CASES


SECURITY_HEADER_NAMES = ("content-security-policy", "x-frame-options", "x-content-type-options",
                         "referrer-policy")


def _headed(response) -> bool:
    return all(name in response.headers for name in SECURITY_HEADER_NAMES)


def test_refusals_carry_the_security_headers_too(tmp_path):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    db = tmp_path / "small.db"
    Ledger(db, coder="rules").close()
    with TestClient(create_app(db, token="s3cret", max_body=1000)) as client:
        too_big = client.post("/api/ingest", content=b"x" * 2000,
                              headers={"Authorization": "Bearer s3cret"})
        assert too_big.status_code == 413 and _headed(too_big)
        long_query = client.get("/api/articles?search=a&" + "x=1&" * 3000)
        assert long_query.status_code == 414 and _headed(long_query)
        for response in (client.get("/api/articles?limit=0"), client.get("/nothing"),
                         client.post("/api/ingest", json={"articles": []})):
            assert response.status_code in (401, 404, 422) and _headed(response)


def test_the_token_is_checked_before_the_body(web):
    client, _ = web
    bodies = [b'{"articles": [{"text": "\\ud800 lone"}]}', b"{not json", b'{"articles": 5}',
              b'{"articles": [{"text": "Talks in Lima."}]}']
    for body in bodies:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"},
                        {"Authorization": "Basic s3cret"}, {"Authorization": "Bearer"}):
            response = client.post("/api/ingest", content=body,
                                   headers=headers | {"Content-Type": "application/json"})
            assert response.status_code == 401, (body, headers, response.text)
            assert "loc" not in response.text  # no validation details before the token
            assert response.headers["www-authenticate"] == "Bearer"


def test_a_lone_surrogate_is_never_a_server_error(web):
    client, db = web
    headers = {"Authorization": "Bearer s3cret", "Content-Type": "application/json"}
    for body in (b'{"articles": [{"text": "\\ud800 Talks resumed in Geneva on Monday."}]}',
                 b'{"articles": [{"text": "Talks in Geneva.", "title": "\\udfff"}]}',
                 b'{"articles": [{"text": 5, "title": "\\ud800"}]}'):
        response = client.post("/api/ingest", content=body, headers=headers)
        assert response.status_code in (201, 422), (body, response.status_code, response.text)
        if response.status_code == 201:  # the article is reported as failed, not stored
            result = response.json()
            assert result["added"] == 0 and len(result["failed"]) == 1, result
            assert result["failed"][0]["input"].startswith("posted article")
            assert "/tmp" not in response.text  # the server's own paths are not shown


def test_a_busy_ledger_is_503_and_an_unexpected_error_500_without_a_traceback(web, monkeypatch):
    client, _ = web

    def locked(self):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Ledger, "stats", locked)
    busy = client.get("/api/stats")
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1" and _headed(busy)

    def broken(self):
        raise RuntimeError("secret internals /srv/ledger.db")

    monkeypatch.setattr(Ledger, "stats", broken)
    failed = client.get("/api/stats")
    assert failed.status_code == 500 and _headed(failed)
    assert "secret internals" not in failed.text and "Traceback" not in failed.text
