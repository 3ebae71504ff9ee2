"""Time and peak memory of each export format on a ledger of about 1,000,000 events.

    python bench/export.py [--events 1000000] [--db PATH] [--formats csv,gdelt,...]

Builds the synthetic ledger of bench/api.py (developing stories over five years, three coded
events per article) unless ``--db`` names one that exists (``--db PATH`` of a missing file
builds it there and keeps it), then exports every event in each format, each in a fresh
process, and prints the rows, the seconds (wall clock, and CPU time of that process, which a
busy machine disturbs less), the output size, and two resident sizes of that
process: ``base``, once its modules are imported and the ledger is open, and ``peak``, the
most it ever held (Python, SQLite's page cache and pyarrow included).

Memory is read from ``VmHWM`` in /proc/self/status, the high-water mark of the process's own
address space. Not ``ru_maxrss``: Linux carries it across ``exec``, so a child started by this
script would report at least this script's own peak (it had read the ledger to count it).

Streaming keeps the peak flat whatever the ledger's size; the target is under 500 MB. To see
that it is flat, run it at two sizes (e.g. ``--events 100000`` and ``--events 300000``) and
compare the peaks.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import build  # noqa: E402

from newsledger import Ledger  # noqa: E402

FORMATS = ("csv", "gdelt", "plover", "jsonl", "parquet", "parquet-month")


def high_water_mb() -> float:
    """The peak resident size of this process's address space, in MB (VmHWM)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def one(db: Path, name: str, out: Path) -> dict:
    """Run one export in this process and measure it."""
    format, _, partition = name.partition("-")
    if format == "parquet":
        import pyarrow.parquet  # noqa: F401  (imports belong to the base, as for the others)
    with Ledger(db, readonly=True) as ledger:
        base = high_water_mb()
        started, cpu = time.perf_counter(), time.process_time()
        report = ledger.export(out, format=format, partition=partition or None)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    size = (sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.is_dir()
            else out.stat().st_size)
    return {"format": name, "rows": report.rows, "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu, 1),
            "mb_out": round(size / 1e6), "base_mb": round(base),
            "peak_mb": round(high_water_mb())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="a ledger to export (built here if absent)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--one", nargs=2, metavar=("FORMAT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.db, args.one[0], Path(args.one[1]))))
        return
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "export.db"
        if not db.exists():
            build(db, args.events)
        with Ledger(db) as ledger:  # brings an older ledger's schema up to date
            stats = ledger.stats()
        print(f"ledger: {stats['articles']:,} articles, {stats['events']:,} events, "
              f"{db.stat().st_size / 1e6:,.0f} MB")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall seconds "
              "depend on it, memory does not)")
        print(f"{'format':<14} {'rows':>10} {'seconds':>8} {'CPU s':>6} {'rows/CPU s':>10} "
              f"{'MB out':>7} {'base MB':>8} {'peak MB':>8}")
        for name in args.formats.split(","):
            out = Path(folder) / f"out-{name}"
            done = subprocess.run([sys.executable, __file__, "--db", str(db), "--one", name,
                                   str(out)], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name:<14} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            rate = r["rows"] / r["cpu_seconds"] if r["cpu_seconds"] else 0
            print(f"{name:<14} {r['rows']:>10,} {r['seconds']:>8.1f} {r['cpu_seconds']:>6.1f} "
                  f"{rate:>10,.0f} "
                  f"{r['mb_out']:>7,} {r['base_mb']:>8,} {r['peak_mb']:>8,}", flush=True)
            subprocess.run(["rm", "-rf", str(out)], check=False)


if __name__ == "__main__":
    main()
