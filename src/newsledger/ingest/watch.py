"""Watch RSS/Atom feeds and ingest their new articles, continuously.

    python -m newsledger.ingest.watch FEEDS.txt --every 15m [--db news.db]

FEEDS.txt holds one feed URL a line (``#`` comments). Every ``every`` seconds each feed is asked
for again with a conditional GET (``If-None-Match`` with its ETag, ``If-Modified-Since`` with its
Last-Modified), so an unchanged feed costs a 304 and nothing else. The links of entries not seen
before are fetched and ingested into the ledger. Requests to one host are spaced by a politeness
delay; a feed that fails (network error, HTTP error, a body that is not a feed) is reported and
retried later with a growing pause (exponential backoff), while the other feeds go on.

What was seen, and each feed's validators and backoff, are kept in a JSON state file beside the
ledger (``<db>.watch.json``), written atomically after each feed: a restart resumes without
ingesting anything twice (and the ledger itself is idempotent). SIGINT and SIGTERM stop the
watch cleanly between two requests, with the state saved.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

log = logging.getLogger("newsledger.watch")

SEEN_LIMIT = 5000  # entry ids remembered per feed
ENTRY_ATTEMPTS = 3  # an entry whose article cannot be fetched is given up after this many polls
MAX_REDIRECTS = 5


@dataclass
class FeedState:
    """What the watch knows of one feed."""

    url: str
    etag: str | None = None
    modified: str | None = None
    seen: list[str] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    next_poll: float = 0.0
    last_status: str = ""


@dataclass
class PollReport:
    """One round over the feeds: status per feed, articles added, entries failed."""

    statuses: dict[str, str] = field(default_factory=dict)
    added: int = 0
    failed: list[str] = field(default_factory=list)


def parse_every(text: str) -> float:
    """Seconds of an interval written ``900``, ``90s``, ``15m``, ``2h``."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match:
        raise ValueError(f"bad interval {text!r}: write it as 90s, 15m or 2h")
    return float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def read_feed_list(path: str | Path) -> list[str]:
    """The feed URLs of a feeds file: one a line, ``#`` comments and blank lines skipped."""
    urls = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            urls.append(line)
    return urls


class Watcher:
    """Polls feeds and ingests their new articles into ``ledger``.

    every: seconds between two polls of a feed.
    state_path: the JSON state file (default: beside the ledger, ``<db>.watch.json``).
    host_delay: seconds between two requests to one host (politeness).
    backoff: first pause after a failure, doubled on each further failure up to max_backoff.
    allow_private: fetch from loopback and private addresses (tests, intranets).
    clock, sleep: injectable for tests.
    """

    def __init__(self, ledger: Any, feeds: Iterable[str], *, every: float = 900.0,
                 state_path: str | Path | None = None, host_delay: float = 1.0,
                 backoff: float = 60.0, max_backoff: float = 6 * 3600.0,
                 timeout: float = 20.0, allow_private: bool = False,
                 clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] | None = None) -> None:
        self.ledger = ledger
        self.every = every
        self.host_delay = host_delay
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.allow_private = allow_private
        self.clock = clock
        self.stop_event = threading.Event()
        self._sleep = sleep or (lambda seconds: self.stop_event.wait(seconds))
        self._last_request: dict[str, float] = {}
        self.state_path = Path(state_path) if state_path else Path(f"{ledger.path}.watch.json")
        self.feeds: dict[str, FeedState] = {}
        self._load()
        for url in feeds:
            self.feeds.setdefault(url, FeedState(url))

    # -- state --

    def _load(self) -> None:
        if not self.state_path.exists():
            return
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            for record in data.get("feeds", []):
                state = FeedState(**record)
                self.feeds[state.url] = state
        except (OSError, ValueError, TypeError) as exc:
            log.warning("watch state %s unreadable (%s): starting afresh", self.state_path, exc)

    def save(self) -> None:
        """Write the state atomically (a temporary file renamed over the old one)."""
        data = {"feeds": [asdict(state) for state in self.feeds.values()]}
        temporary = self.state_path.with_name(self.state_path.name + ".tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, self.state_path)

    # -- polling --

    def poll_once(self) -> PollReport:
        """Poll every feed that is due, once; returns what happened."""
        report = PollReport()
        for state in list(self.feeds.values()):
            if self.stop_event.is_set():
                break
            if self.clock() < state.next_poll:
                report.statuses[state.url] = "waiting"
                continue
            self._poll(state, report)
            report.statuses[state.url] = state.last_status
            self.save()
        return report

    def _polite(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            wait = self.host_delay - (time.monotonic() - last)
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = time.monotonic()

    def _poll(self, state: FeedState, report: PollReport) -> None:
        try:
            status, body, headers = self._get(state)
        except Exception as exc:  # noqa: BLE001 - one failing feed never stops the others
            self._failed(state, f"error: {exc}")
            return
        if status == 304:
            state.failures, state.last_status = 0, "304 unchanged"
            state.next_poll = self.clock() + self.every
            log.info("%s: unchanged (304)", state.url)
            return
        if status >= 400:
            self._failed(state, f"HTTP {status}")
            return
        entries = _entries(body, state.url)
        if entries is None:
            self._failed(state, "not a feed")
            return
        state.etag = headers.get("etag") or state.etag
        state.modified = headers.get("last-modified") or state.modified
        seen = set(state.seen)
        fresh = [(key, link) for key, link in entries if key not in seen]
        added = 0
        for key, link in fresh:
            if self.stop_event.is_set():
                break
            if self._ingest(link, report):
                added += 1
            elif state.attempts.get(key, 0) + 1 < ENTRY_ATTEMPTS:
                state.attempts[key] = state.attempts.get(key, 0) + 1
                continue  # tried again at the next poll
            state.attempts.pop(key, None)
            state.seen.append(key)
        state.seen = state.seen[-SEEN_LIMIT:]
        state.failures, state.last_status = 0, f"200 {len(fresh)} new"
        state.next_poll = self.clock() + self.every
        report.added += added
        log.info("%s: %d entries, %d new, %d articles added", state.url, len(entries),
                 len(fresh), added)

    def _failed(self, state: FeedState, reason: str) -> None:
        state.failures += 1
        pause = min(self.max_backoff, self.backoff * 2 ** (state.failures - 1))
        state.next_poll = self.clock() + pause
        state.last_status = f"failed ({reason})"
        log.warning("%s: %s; failure %d, retried in %.0f s", state.url, reason, state.failures,
                    pause)

    def _get(self, state: FeedState) -> tuple[int, bytes, dict[str, str]]:
        """A conditional GET of the feed, following redirects, through the guarded client of
        ``newsledger.ingest.fetch`` (no private addresses unless allowed)."""
        from .fetch import Deadline, http_client
        from .documents import ReadOptions

        options = ReadOptions(timeout=self.timeout, allow_private=self.allow_private)
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.modified:
            headers["If-Modified-Since"] = state.modified
        url = state.url
        with http_client(options, Deadline(self.timeout)) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                self._polite(url)
                response = client.get(url, headers=headers)
                if response.is_redirect and response.headers.get("location"):
                    url = urljoin(str(response.url), response.headers["location"])
                    if urlsplit(url).scheme not in ("http", "https"):
                        raise ValueError(f"redirect to {url}")
                    continue
                return (response.status_code, response.content,
                        {k.lower(): v for k, v in response.headers.items()})
        raise ValueError(f"more than {MAX_REDIRECTS} redirects")

    def _ingest(self, link: str, report: PollReport) -> bool:
        self._polite(link)
        result = self.ledger.ingest([link], allow_private=self.allow_private,
                                    timeout=self.timeout)
        if result.failed:
            report.failed.append(f"{link}: {result.failed[0]}")
            log.warning("%s: %s", link, result.failed[0])
            return False
        return True

    # -- running --

    def run(self, rounds: int | None = None) -> None:
        """Poll until stopped (SIGINT/SIGTERM, or ``stop()``), or for ``rounds`` rounds."""
        done = 0
        while not self.stop_event.is_set():
            report = self.poll_once()
            done += 1
            log.info("round %d: %d articles added, %d entries failed", done, report.added,
                     len(report.failed))
            if rounds is not None and done >= rounds:
                break
            due = min((s.next_poll for s in self.feeds.values()), default=self.clock() + 60)
            self._sleep(max(1.0, due - self.clock()))
        self.save()
        log.info("watch stopped; state saved to %s", self.state_path)

    def stop(self, *_args: object) -> None:
        self.stop_event.set()


def _entries(body: bytes, url: str) -> list[tuple[str, str]] | None:
    """(id, link) of each entry with a link, or None if ``body`` is not a feed."""
    import feedparser

    from .documents import unsafe_xml

    if not body.strip() or unsafe_xml(body):
        return None
    parsed = feedparser.parse(io.BytesIO(body))
    if not parsed.get("version"):
        return None
    found = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            found.append((entry.get("id") or link, urljoin(url, link)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsledger watch", description=__doc__.split("\n")[0])
    parser.add_argument("feeds", help="a file of feed URLs, one a line")
    parser.add_argument("--every", default="15m", help="poll interval: 90s, 15m, 2h")
    parser.add_argument("--db", default=os.environ.get("NEWSLEDGER_DB", "newsledger.db"))
    parser.add_argument("--coder", default="model", choices=("model", "rules"))
    parser.add_argument("--allow-private", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    from ..ledger import Ledger

    with Ledger(args.db, coder=args.coder, allow_private=args.allow_private) as ledger:
        watcher = Watcher(ledger, read_feed_list(args.feeds), every=parse_every(args.every),
                          allow_private=args.allow_private)
        signal.signal(signal.SIGINT, watcher.stop)
        signal.signal(signal.SIGTERM, watcher.stop)
        watcher.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
