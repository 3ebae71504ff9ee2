"""newsledger watch: feeds polled from a local HTTP server on 127.0.0.1 whose feeds change."""

from __future__ import annotations

import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsledger import Ledger
from newsledger.ingest.watch import Watcher, parse_every, read_feed_list

ARTICLE = ("<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
           "<p>Police in Nairobi arrested {n} protesters on Monday after a march against the"
           " price of fuel, and the opposition condemned the arrests as an attack on the right"
           " to protest in the capital.</p></article></body></html>")


class Site:
    """A feed and its articles, which a test changes; it counts what was asked for."""

    def __init__(self) -> None:
        self.items: list[int] = [1, 2]
        self.version = 1
        self.broken = False
        self.statuses: list[tuple[str, int]] = []
        self.article_requests: list[str] = []

    def feed(self, base: str) -> bytes:
        items = "".join(
            f"<item><title>Story {n}</title><link>{base}/a/{n}</link><guid>{base}/a/{n}</guid>"
            "<pubDate>Mon, 20 May 2024 10:00:00 GMT</pubDate></item>" for n in self.items)
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
                f"<link>{base}</link>{items}</channel></rss>").encode()


def serve(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):  # noqa: N802
            base = f"http://127.0.0.1:{self.server.server_port}"
            if site.broken:
                return self._send(500, b"down", "text/plain")
            if self.path == "/feed.xml":
                etag = f'"v{site.version}"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", "application/rss+xml", etag)
                return self._send(200, site.feed(base), "application/rss+xml", etag)
            if self.path.startswith("/a/"):
                site.article_requests.append(self.path)
                n = self.path.rsplit("/", 1)[1]
                body = ARTICLE.format(title=f"Story {n}", n=int(n) * 10).encode()
                return self._send(200, body, "text/html; charset=utf-8")
            return self._send(404, b"no", "text/plain")

        def _send(self, status, body, kind, etag=None):
            site.statuses.append((self.path, status))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Last-Modified", formatdate(usegmt=True))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture()
def sites():
    good, bad = Site(), Site()
    bad.broken = True
    servers = [serve(good), serve(bad)]
    urls = [f"http://127.0.0.1:{s.server_port}/feed.xml" for s in servers]
    yield good, bad, urls
    for server in servers:
        server.shutdown()


def watcher(ledger, urls, tmp_path, clock):
    return Watcher(ledger, urls, every=900, state_path=tmp_path / "watch.json", host_delay=0,
                   backoff=60, allow_private=True, clock=lambda: clock[0], sleep=lambda s: None)


def test_new_items_are_in_the_ledger_after_one_poll_and_unchanged_feed_is_304(sites, tmp_path):
    good, _, urls = sites
    clock = [1000.0]
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        w = watcher(ledger, urls[:1], tmp_path, clock)
        report = w.poll_once()
        assert report.added == 2
        assert {a.title for a in ledger.articles()} == {"Story 1", "Story 2"}
        clock[0] += 901
        report = w.poll_once()
        assert ("/feed.xml", 304) in good.statuses
        assert report.statuses[urls[0]] == "304 unchanged" and report.added == 0
        good.items.append(3)
        good.version = 2
        clock[0] += 901
        assert w.poll_once().added == 1
        assert len(ledger.articles()) == 3


def test_failing_host_backs_off_while_the_others_go_on(sites, tmp_path):
    good, bad, urls = sites
    clock = [1000.0]
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        w = watcher(ledger, [urls[1], urls[0]], tmp_path, clock)
        report = w.poll_once()
        assert report.statuses[urls[1]].startswith("failed") and report.added == 2
        first_pause = w.feeds[urls[1]].next_poll - clock[0]
        assert first_pause == 60
        clock[0] += 61
        w.poll_once()
        assert w.feeds[urls[1]].failures == 2
        assert w.feeds[urls[1]].next_poll - clock[0] == 120  # doubled
        clock[0] += 30  # the failing feed is not due yet: not asked
        asked = len(bad.statuses)
        assert w.poll_once().statuses[urls[1]] == "waiting" and len(bad.statuses) == asked
        bad.broken = False  # the host recovers and is polled again once due
        clock[0] += 100
        w.poll_once()
        assert w.feeds[urls[1]].failures == 0


def test_restart_resumes_without_duplicates(sites, tmp_path):
    good, _, urls = sites
    clock = [1000.0]
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        watcher(ledger, urls[:1], tmp_path, clock).poll_once()
    fetched = list(good.article_requests)
    assert len(fetched) == 2
    good.version = 2  # the feed is sent in full again (new ETag), with one new item
    good.items.append(3)
    clock[0] += 901
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        again = watcher(ledger, urls[:1], tmp_path, clock)
        assert again.poll_once().added == 1
        assert good.article_requests[len(fetched):] == ["/a/3"]  # old ones not fetched again
        assert len(ledger.articles()) == 3


def test_stop_ends_the_run_with_state_saved(sites, tmp_path):
    _, _, urls = sites
    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        w = Watcher(ledger, urls[:1], every=900, state_path=tmp_path / "watch.json",
                    host_delay=0, allow_private=True)

        def sleep(_seconds):
            w.stop()  # as SIGTERM would, during the wait between rounds

        w._sleep = sleep
        w.run()
        assert (tmp_path / "watch.json").exists()
        assert w.stop_event.is_set() and len(ledger.articles()) == 2


def test_feed_list_and_interval(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# my feeds\nhttps://a.example/rss\n\nhttps://b.example/atom # news\n")
    assert read_feed_list(path) == ["https://a.example/rss", "https://b.example/atom"]
    assert parse_every("15m") == 900 and parse_every("2h") == 7200 and parse_every("90") == 90
    with pytest.raises(ValueError):
        parse_every("soon")
