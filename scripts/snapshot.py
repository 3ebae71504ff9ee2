"""Write (or check) the behaviour snapshot: what ingesting the bundled inputs gives.

The snapshot holds every event, claim and story of ingesting ``../shared/samples`` and
``examples/articles`` with the default coder, in a canonical JSON form (sorted, no clock
times). ``tests/test_snapshot.py`` compares a fresh ingest with it, so a refactor that changes
behaviour by accident fails. A change of behaviour on purpose regenerates it:

    python scripts/snapshot.py            # rewrite tests/snapshots/ingest.json
    python scripts/snapshot.py --check    # exit 1 and print the first differences
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import newsledger

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "snapshots" / "ingest.json"
INPUTS = [ROOT.parent / "shared" / "samples", ROOT / "examples" / "articles"]
VOLATILE = {"ingested_at", "created_at", "updated_at", "analysed_at", "path"}


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in sorted(value.items()) if k not in VOLATILE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def take(inputs: list[Path] | None = None) -> dict[str, Any]:
    """The canonical snapshot of ingesting ``inputs`` into a new in-memory ledger."""
    ledger = newsledger.Ledger(":memory:")
    try:
        ledger.ingest([str(p) for p in (inputs or INPUTS) if p.exists()])
        articles = {a.id: a.title or a.url or a.id for a in ledger.articles(limit=100_000)}
        events = sorted((_clean(e.to_dict()) for e in ledger.events(limit=100_000)),
                        key=lambda e: json.dumps(e, sort_keys=True))
        claims = sorted((_clean(c.to_dict()) for c in ledger.claims(limit=100_000)),
                        key=lambda c: json.dumps(c, sort_keys=True))
        stories = []
        for row in ledger.stories(limit=100_000):
            story = ledger.story(row["id"])
            stories.append({"label": story.get("label"),
                            "articles": sorted(articles.get(a["id"], a["id"])
                                               for a in story["article_list"])})
        stories.sort(key=lambda s: json.dumps(s, sort_keys=True))
        return {"articles": sorted(articles.values()),
                "events": events, "claims": claims,
                "stories": stories}
    finally:
        ledger.close()


def differences(old: dict[str, Any], new: dict[str, Any], limit: int = 10) -> list[str]:
    """Up to ``limit`` lines saying where ``new`` differs from ``old``."""
    lines = []
    for part in ("articles", "events", "claims", "stories"):
        a, b = old.get(part, []), new.get(part, [])
        if len(a) != len(b):
            lines.append(f"{part}: {len(a)} in the snapshot, {len(b)} now")
        gone = [x for x in a if x not in b]
        added = [x for x in b if x not in a]
        for x in gone[:limit]:
            lines.append(f"{part} gone: {json.dumps(x, sort_keys=True)[:300]}")
        for x in added[:limit]:
            lines.append(f"{part} new:  {json.dumps(x, sort_keys=True)[:300]}")
    return lines[:limit * 4]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    new = take()
    if args.check:
        lines = differences(json.loads(SNAPSHOT.read_text()), new)
        print("\n".join(lines) or "snapshot equal")
        return 1 if lines else 0
    SNAPSHOT.write_text(json.dumps(new, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"wrote {SNAPSHOT}: {len(new['articles'])} articles, {len(new['events'])} events, "
          f"{len(new['claims'])} claims, {len(new['stories'])} stories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
