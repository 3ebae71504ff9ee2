"""Article metadata and event context figures.

    python bench/metadata.py [--clean-only] [--db PATH] [INPUT ...]

INPUT defaults to ``../shared/data/gold/ecbplus_dev.jsonl`` and ``examples/articles``. For each
input it prints, at the cleaning stage: articles read, with a url, with a published date, with an
outlet, the count per date rule (``date_source``), and the share of articles dated among those
whose URL or text carries a date. Unless ``--clean-only``, it then ingests the input into a
fresh in-memory ledger with ``coder="rules"`` (the lexicon coder, for speed) and prints: articles
with a date and with an outlet, events with a date, with a location, and event sources with a
country (of events that have a source).
"""

from __future__ import annotations

import collections
import re
import sys
import time
from pathlib import Path

from newsledger.errors import InputError
from newsledger.ingest.clean import Cleaner, to_article_fields
from newsledger.ingest.sources import read_inputs

# A date anywhere in the first 300 characters of the raw text (URL line included): the articles
# whose URL or text carries a date, the denominator of the dating target.
_ANY_DATE = re.compile(
    r"(?:19|20)\d\d\s*[/_-]\s*(?:\d{1,2}|[a-z]{3,9})\s*[/_-]\s*\d{1,2}(?!\d)"
    r"|(?<!\d)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
    r"|/\s*(?:19|20)\d\d\s*/\s*(?:0?[1-9]|1[0-2])\s*/"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? (?:19|20)\d\d\b"
    r"|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (?:19|20)\d\d\b",
    re.IGNORECASE)


def clean_figures(spec: str) -> dict[str, object]:
    """Cleaning-stage figures of one input."""
    cleaner = Cleaner()
    counts: collections.Counter[str] = collections.Counter()
    rules: collections.Counter[str] = collections.Counter()
    for item in read_inputs([spec]):
        if isinstance(item, InputError):
            counts["errors"] += 1
            continue
        try:
            cleaned = to_article_fields(item, cleaner)
        except InputError:
            counts["errors"] += 1
            continue
        head = " ".join(filter(None, (item.url, (item.text or "")[:300])))
        carries = bool(_ANY_DATE.search(head)) or item.published is not None
        counts["articles"] += 1
        counts["with url"] += cleaned.url is not None
        counts["with date"] += cleaned.published is not None
        counts["with outlet"] += cleaned.outlet is not None
        counts["carry a date"] += carries
        counts["dated of those"] += carries and cleaned.published is not None
        rules[getattr(cleaned, "date_source", None) or "-"] += 1
    return {**counts, "date rules": dict(rules)}


def ledger_figures(spec: str, db: str = ":memory:") -> dict[str, object]:
    """Figures of a fresh ledger (in memory, or at ``db``) holding ``spec``, coded with the
    lexicon coder."""
    from newsledger import Ledger

    started = time.perf_counter()
    with Ledger(db, coder="rules") as ledger:
        ledger.ingest([spec])
        conn = ledger.conn
        in_dated = conn.execute(
            "SELECT COUNT(*), COUNT(e.date) FROM events e JOIN articles a ON a.id = e.article_id"
            " WHERE a.published IS NOT NULL").fetchone()
        where = dict(conn.execute(
            "SELECT COALESCE(json_extract(location, '$.source'), '-'), COUNT(*) FROM events"
            " GROUP BY 1").fetchall())
        articles = conn.execute(
            "SELECT COUNT(*), COUNT(published), COUNT(outlet) FROM articles").fetchone()
        events = conn.execute(
            "SELECT COUNT(*), COUNT(date), COUNT(location),"
            " SUM(source_code IS NOT NULL), SUM(source_code IS NOT NULL AND source_country IS NOT NULL)"
            " FROM events").fetchone()
    total, dated, located, sourced, with_country = (value or 0 for value in events)
    return {
        "articles": articles[0],
        "articles dated": _share(articles[1], articles[0]),
        "articles with outlet": _share(articles[2], articles[0]),
        "events": total,
        "events dated": _share(dated, total),
        "events of dated articles dated": _share(in_dated[1], in_dated[0]),
        "events located": _share(located, total),
        "location from": where,
        "sources with country": _share(with_country, sourced),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def main(argv: list[str]) -> None:
    clean_only = "--clean-only" in argv
    db = ":memory:"
    if "--db" in argv:  # keep the ledger of the (single) input for a look afterwards
        db = argv[argv.index("--db") + 1]
        argv = [a for i, a in enumerate(argv) if a != "--db" and argv[i - 1] != "--db"]
    specs = [a for a in argv if a != "--clean-only"] or [
        "../shared/data/gold/ecbplus_dev.jsonl", "examples/articles"]
    for spec in specs:
        if not Path(spec).exists():
            print(f"{spec}: absent, skipped")
            continue
        print(spec, "cleaning:", clean_figures(spec))
        if not clean_only:
            print(spec, "ledger:", ledger_figures(spec, db), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
