"""The HTTP API under a bounded load of mixed GETs, during an ingest into the same ledger.

    python bench/load.py                         # 30 s, 8 connections, ledger of ~30k events
    python bench/load.py --seconds 30 --connections 16 --events 30000 --db /tmp/load.db
    python bench/load.py --workers 2             # serve --workers 2
    python bench/load.py --no-ingest             # the API alone, for comparison

Builds a synthetic ledger (bench/api.py's generator) unless ``--db`` names one that exists,
copies it, serves the copy with ``newsledger serve`` in its own process on 127.0.0.1, starts a
``newsledger ingest --coder rules`` of ``--ingest`` generated articles into the same copy, waits
until that ingest has stored its first batch, then sends mixed GETs (the page's JSON views, with
ids picked from the ledger) over ``--connections`` keep-alive connections, each sending its next
request as soon as the last is answered, for ``--seconds`` seconds (and at most
``--max-requests`` requests): the rate printed is the highest this client and server reach
together. Every request goes to 127.0.0.1 only.

The machine is shared: the load average is printed before the server starts and at the end of
the window, and the figures hold only for that load.

Prints requests, errors (any status but 200, or a connection error), the achieved rate, p50, p99
and the worst latency, overall and by endpoint; how many articles the ingest stored during the
load window, and whether the server or the ingest logged a traceback or "database is locked".
Exit status 0 when there were no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from fuzz import article  # noqa: E402  (the fuzz bench's distinct generated articles)


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep
                + os.environ.get("PYTHONPATH", ""))


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stats(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=10) as response:
        return json.loads(response.read())


def paths(db: Path, rng: random.Random, count: int = 2000) -> list[tuple[str, str]]:
    """(endpoint name, path) of the GETs to send, in a shuffled mix."""
    conn = sqlite3.connect(db)
    articles = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY random() LIMIT 200")]
    events = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY random() LIMIT 200")]
    stories = [r[0] for r in conn.execute("SELECT id FROM stories ORDER BY random() LIMIT 200")]
    actors = [r[0] for r in conn.execute(
        "SELECT source_code FROM events WHERE source_code GLOB '[A-Z][A-Z][A-Z]'"
        " GROUP BY source_code ORDER BY COUNT(*) DESC LIMIT 20")]
    conn.close()
    makers = [
        ("stats", lambda: "/api/stats"),
        ("articles", lambda: f"/api/articles?limit=20&offset={rng.randint(0, 200)}"),
        ("search", lambda: "/api/articles?limit=10&search="
         + rng.choice(("ceasefire", "sanctions", "talks", "troops", "protest", "harbour"))),
        ("article", lambda: f"/api/articles/{rng.choice(articles)}"),
        ("events", lambda: f"/api/events?limit=50&offset={rng.randint(0, 500)}"),
        ("events-filtered", lambda: f"/api/events?actor={rng.choice(actors)}&quad_class="
         f"{rng.randint(1, 4)}&limit=20"),
        ("event", lambda: f"/api/events/{rng.choice(events)}"),
        ("stories", lambda: "/api/stories?limit=20"),
        ("story", lambda: f"/api/stories/{rng.choice(stories)}"),
        ("claims", lambda: "/api/claims?limit=20"),
        ("actors", lambda: "/api/actors?limit=50"),
        ("dyad", lambda: f"/api/dyad?first={actors[0]}&second={rng.choice(actors[1:])}"),
    ]
    return [(name, make()) for name, make in (rng.choice(makers) for _ in range(count))]


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
               ) -> tuple[int, bytes]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {key.strip().lower(): value.strip()
               for key, _, value in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    else:  # chunked
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            body += await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, body


async def load(port: int, mix: list[tuple[str, str]], seconds: float, connections: int,
               max_requests: int) -> tuple[list, list, float]:
    results: list[tuple[str, float]] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    counter = iter(range(max_requests))

    async def client(offset: int) -> None:
        reader = writer = None
        i = offset
        while time.perf_counter() < deadline and next(counter, None) is not None:
            name, path = mix[i % len(mix)]
            i += connections
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            began = time.perf_counter()
            try:
                status, body = await asyncio.wait_for(_get(reader, writer, path), 30)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as e:
                errors.append(f"{path}: {e!r}")
                writer.close()
                reader = writer = None
                continue
            results.append((name, time.perf_counter() - began))
            if status != 200:
                errors.append(f"{path}: {status} {body[:200]!r}")
        if writer is not None:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(connections)))
    return results, errors, time.perf_counter() - began


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its living descendants, from /proc (0 where
    there is no /proc)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    tree, total = {pid}, 0.0
    try:
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stats[int(entry)] = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1]
                except OSError:
                    continue
    except OSError:
        return 0.0
    grew = True
    while grew:
        grew = False
        for child, fields in stats.items():
            if child not in tree and int(fields.split()[1]) in tree:
                tree.add(child)
                grew = True
    for member in tree:
        if member in stats:
            fields = stats[member].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--db", type=Path, help="a ledger to start from (built when missing)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--ingest", type=int, default=3000,
                        help="articles the concurrent ingest writes")
    parser.add_argument("--no-ingest", action="store_true",
                        help="no concurrent ingest (the API alone)")
    parser.add_argument("--workers", type=int, default=1, help="serve --workers N")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsledger-load-"))
    source = args.db or work / "base.db"
    if not source.exists():
        from api import build

        print(f"building a synthetic ledger of ~{args.events} events at {source} …", flush=True)
        build(source, args.events)
    db = work / "ledger.db"
    shutil.copy(source, db)
    rng = random.Random(5)
    mix = paths(db, rng)

    folder = work / "ingest"
    folder.mkdir()
    for i in range(args.ingest):
        title, text = article(rng, 100_000 + i)
        (folder / f"{i:05d}.txt").write_text(f"{title}\n\n{text}", encoding="utf-8")

    print(f"cores {os.cpu_count()}; load average before the run "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    port = _free_port()
    server_log, ingest_log = work / "server.log", work / "ingest.log"
    server = subprocess.Popen([sys.executable, "-m", "newsledger", "--db", str(db), "serve",
                               "--host", "127.0.0.1", "--port", str(port)]
                              + (["--workers", str(args.workers)] if args.workers > 1 else []),
                              env=_env(),
                              stdout=subprocess.DEVNULL, stderr=server_log.open("wb"))
    ingest = None
    try:
        for _ in range(600):
            try:
                before = _stats(port)["articles"]
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        if not args.no_ingest:
            ingest = subprocess.Popen([sys.executable, "-m", "newsledger", "--db", str(db),
                                       "ingest", "--coder", "rules", "--json", str(folder)],
                                      env=_env(), stdout=subprocess.PIPE,
                                      stderr=ingest_log.open("wb"))
            waited = time.perf_counter()
            while _stats(port)["articles"] == before:  # until its first batch is stored
                if ingest.poll() is not None or time.perf_counter() - waited > 300:
                    raise SystemExit("the ingest stored nothing: "
                                     + ingest_log.read_text()[-2000:])
                time.sleep(0.2)
        at_start = _stats(port)["articles"]
        asyncio.run(load(port, mix[:50], 2, 2, 200))  # warm-up (not counted)
        cpu_before = (time.process_time(), _cpu_seconds(server.pid),
                      _cpu_seconds(ingest.pid) if ingest else 0.0)
        results, errors, elapsed = asyncio.run(
            load(port, mix, args.seconds, args.connections, args.max_requests))
        cpu = [after - before for after, before in zip(
            (time.process_time(), _cpu_seconds(server.pid),
             _cpu_seconds(ingest.pid) if ingest else 0.0), cpu_before)]
        load_after = os.getloadavg()
        at_end = _stats(port)["articles"]
        still_ingesting = ingest is not None and ingest.poll() is None
        report: dict = {"failed": []}
        if ingest is not None:
            out, _ = ingest.communicate(timeout=3600)
            report = json.loads(out) if out.strip() else {}
    finally:
        if ingest is not None and ingest.poll() is None:
            ingest.kill()
        server.terminate()
        server.wait(timeout=30)

    latencies = [seconds for _, seconds in results]
    print(f"load average at the end of the window "
          f"{' '.join(f'{v:.2f}' for v in load_after)}; serve --workers {args.workers}")
    print(f"{len(results)} responses in {elapsed:.1f} s over {args.connections} connections: "
          f"{len(results) / elapsed:.0f} req/s achieved; errors {len(errors)}; "
          f"p50 {_pct(latencies, 0.5):.1f} ms, p99 {_pct(latencies, 0.99):.1f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")
    print(f"CPU seconds during the window ({os.cpu_count()} cores x {elapsed:.0f} s = "
          f"{(os.cpu_count() or 1) * elapsed:.0f} available): this client {cpu[0]:.1f}, the "
          f"server {cpu[1]:.1f}, the ingest {cpu[2]:.1f}; the rest went to other processes")
    by_name = defaultdict(list)
    for name, seconds in results:
        by_name[name].append(seconds)
    print(f"{'endpoint':16} {'n':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for name, values in sorted(by_name.items()):
        print(f"{name:16} {len(values):>6} {_pct(values, 0.5):>8.1f} {_pct(values, 0.99):>8.1f}")
    if ingest is None:
        print("no concurrent ingest (--no-ingest)")
    else:
        print(f"during the load the ingest stored {at_end - at_start} articles ({at_start} → "
              f"{at_end}); it was {'still' if still_ingesting else 'no longer'} running at the "
              f"end of the window; its report: added {report.get('added')}, failed "
              f"{len(report.get('failed', []))}")
    logs = "".join(log.read_text(errors="replace") for log in (server_log, ingest_log)
                   if log.exists())
    bad_logs = logs.count("Traceback") + logs.count("database is locked")
    print(f"tracebacks or 'database is locked' in the server and ingest logs: {bad_logs}")
    if errors:
        print("first errors:", *errors[:10], sep="\n  ")
    print(f"(work folder {work})")
    shutil.rmtree(work, ignore_errors=True) if not errors and not bad_logs else None
    return 0 if not errors and not bad_logs and report.get("failed") == [] else 1


if __name__ == "__main__":
    raise SystemExit(main())
