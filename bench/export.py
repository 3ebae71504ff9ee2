"""Time and peak memory of each export format on a ledger of about 1,000,000 events.

    python bench/export.py [--events 1000000] [--db PATH] [--formats csv,gdelt,...]

Builds the synthetic ledger of bench/api.py (developing stories over five years, three coded
events per article) unless ``--db`` names one that exists, then exports every event in each
format, each in a fresh process, and prints the rows, the seconds, the output size and the
process's peak resident memory (``ru_maxrss``: Python, SQLite's cache and pyarrow included).
Streaming keeps the peak flat whatever the ledger's size; the target is under 500 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import build  # noqa: E402

from newsledger import Ledger  # noqa: E402

FORMATS = ("csv", "gdelt", "plover", "jsonl", "parquet", "parquet-month")


def one(db: Path, name: str, out: Path) -> dict:
    """Run one export in this process and measure it."""
    format, _, partition = name.partition("-")
    started = time.perf_counter()
    with Ledger(db, readonly=True) as ledger:
        report = ledger.export(out, format=format, partition=partition or None)
    seconds = time.perf_counter() - started
    size = (sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.is_dir()
            else out.stat().st_size)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"format": name, "rows": report.rows, "seconds": round(seconds, 1),
            "mb_out": round(size / 1e6), "peak_mb": round(peak)}


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
        print(f"{'format':<14} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'MB out':>7} "
              f"{'peak MB':>8}")
        for name in args.formats.split(","):
            out = Path(folder) / f"out-{name}"
            done = subprocess.run([sys.executable, __file__, "--db", str(db), "--one", name,
                                   str(out)], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name:<14} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            rate = r["rows"] / r["seconds"] if r["seconds"] else 0
            print(f"{name:<14} {r['rows']:>10,} {r['seconds']:>8.1f} {rate:>9,.0f} "
                  f"{r['mb_out']:>7,} {r['peak_mb']:>8,}", flush=True)
            subprocess.run(["rm", "-rf", str(out)], check=False)


if __name__ == "__main__":
    main()
