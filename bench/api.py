"""Latency of the HTTP API on a ledger of about 100,000 events.

    python bench/api.py [--events 100000] [--repeat 30] [--db PATH]

Builds a synthetic ledger (the generator of bench/stories.py: developing stories over five
years, three coded events per article) unless ``--db`` names one that exists, serves it with
``newsledger serve`` in its own process, and times real HTTP requests with httpx: the median and
95th percentile of each query after one warm-up call. The queries are what an analyst's page
asks for: filtered event lists (with their total, for paging), dyad series, an actor's view and
a story.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import COUNTRIES, CODES, SPAN_DAYS, WORDS, make_article  # noqa: E402

from newsledger import Ledger  # noqa: E402


def build(db: Path, events: int) -> None:
    rng = random.Random(7)
    start = dt.date(2020, 1, 1)
    stories = [{"start": start + dt.timedelta(days=rng.randint(0, SPAN_DAYS)),
                "days": rng.randint(1, 30), "words": rng.sample(WORDS, 40),
                # the big dyads of the news recur; the rest is spread thin
                "actors": rng.sample(COUNTRIES[:8], 2) + rng.sample(COUNTRIES, 2),
                "codes": rng.sample(CODES, 5)}
               for _ in range(6000)]
    articles = events // 3
    started = time.perf_counter()
    with Ledger(db) as ledger:
        for first in range(0, articles, 1000):
            count = min(1000, articles - first)
            ledger.store(make_article(rng, first + i, stories, start, articles)
                         for i in range(count))
            print(f"\r  built {first + count:,} articles", end="", flush=True)
    print(f"\r  built {articles:,} articles in {time.perf_counter() - started:.0f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--db", type=Path, help="a ledger to serve (built here if absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "api.db"
        if not db.exists():
            build(db, args.events)
        with Ledger(db) as ledger:  # brings an older ledger's schema up to date
            stats = ledger.stats()
            story = ledger.stories(limit=1)[0]["id"]
            busiest = ledger.partners("RUS", limit=1)[0]["partner"]
        print(f"ledger: {stats['articles']:,} articles, {stats['events']:,} events, "
              f"{db.stat().st_size / 1e6:.0f} MB")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "newsledger", "--db", str(db), "serve", "--port",
             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "NEWSLEDGER_TOKEN": ""})
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(200):
                    try:
                        client.get("/api/stats")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                queries = {
                    "events: actor": "/api/events?actor=RUS",
                    "events: dyad + quad class": f"/api/events?source=RUS&target={busiest}"
                                                 "&quad_class=4",
                    "events: CAMEO root + year": "/api/events?cameo=19&since=2022-01-01"
                                                 "&until=2022-12-31",
                    "events: PLOVER + corroborated": "/api/events?plover=ASSAULT"
                                                     "&min_corroboration=2",
                    "events: page 20, no filter": "/api/events?offset=1000",
                    "events: story": f"/api/events?story={story}",
                    "dyad series (week)": f"/api/dyad?first=RUS&second={busiest}&by=week",
                    "dyad series (month, 1 year)": f"/api/dyad?first=USA&second=CHN&by=month"
                                                   "&since=2023-01-01&until=2023-12-31",
                    "actor view": "/api/actors/RUS",
                    "story view": f"/api/stories/{story}",
                }
                print(f"{'query':<32} {'median ms':>10} {'p95 ms':>8} {'items':>6} {'total':>7}")
                for name, path in queries.items():
                    response = client.get(path)
                    response.raise_for_status()
                    body = response.json()
                    times = []
                    for _ in range(args.repeat):
                        started = time.perf_counter()
                        client.get(path).raise_for_status()
                        times.append(1000 * (time.perf_counter() - started))
                    times.sort()
                    items = len(body["items"]) if isinstance(body, dict) and "items" in body \
                        else "-"
                    total = body.get("total", "-") if isinstance(body, dict) else "-"
                    print(f"{name:<32} {statistics.median(times):>10.1f} "
                          f"{times[int(0.95 * (len(times) - 1))]:>8.1f} {items:>6} {total:>7}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
