"""Fuzzed ingest: bad inputs of every kind issue 17 found (and more) mixed with good articles,
ingested by one ``newsledger ingest`` process, as a user would.

Prints: the exit status, tracebacks in its output (must be 0), whether it finished within the
time limit (no hang), how many bad inputs were reported (each must be, by its name), how many
good articles were stored (all must be), the time, and the ingest process's peak memory.

    python bench/reliability.py                 # 1,000 bad inputs, 100 good articles
    python bench/reliability.py --bad 10000 --long 1200000
    python bench/reliability.py --parse-only 1200000   # spaCy alone on one long text
    python bench/reliability.py --analyse-only 20000,80000,250000,1200000   # the whole analysis

The good articles are generated sentences, each article different enough not to be taken for a
near-duplicate of another. ``--long N`` adds one good text of N characters (parsed in pieces).
Nothing here reaches the network.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLACES = ("Lima", "Quito", "Accra", "Nairobi", "Seoul", "Hanoi", "Tunis", "Oslo", "Manila", "Dakar")
ACTORS = ("the foreign minister", "the army", "protesters", "the president", "the opposition",
          "police", "the central bank", "rebels", "the prime minister", "election officials")
ACTS = ("met envoys from", "criticised", "signed an accord with", "accused", "praised",
        "threatened", "demanded talks with", "sent aid to", "expelled diplomats of", "visited")
THINGS = ("fuel prices", "the border", "a new tax", "the vote count", "fishing rights",
          "a ceasefire", "the water supply", "student loans", "mining permits", "a dam")


def good_article(rng: random.Random, number: int) -> str:
    sentences = []
    for _ in range(6):
        sentences.append(f"In {rng.choice(PLACES)}, {rng.choice(ACTORS)} {rng.choice(ACTS)} "
                         f"{rng.choice(ACTORS)} over {rng.choice(THINGS)} "
                         f"on day {rng.randint(1, 900)}.")
    return f"Report {number}. " + " ".join(sentences)


def long_text(rng: random.Random, size: int) -> str:
    parts, length = [], 0
    while length < size:
        paragraph = good_article(rng, len(parts))
        parts.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(parts)[:size]


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b'<rss version="2.0"><channel><item><description>&lol3;</description>'
                  b'</item></channel></rss>')
XXE = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<rss version="2.0"><channel><item><description>&x;</description></item>'
       b'</channel></rss>')
NAVIGATION = b'<html><body><nav><a href="/">Home</a> <a href="/a">About</a></nav></body></html>'


def bad_inputs(rng: random.Random, folder: Path, count: int) -> list[str]:
    """Write ``count`` bad inputs into ``folder``; the names of those that must be reported."""
    text = "Officials met in Lima on Tuesday to discuss the border and fuel prices again."
    makers = [
        ("random.txt", lambda i: rng.randbytes(rng.randint(1, 4000)) + b"\x00"),
        ("latin1.txt", lambda i: f"Caf\xe9 talks {i} in Lima were held".encode("latin-1")),
        ("utf16bare.txt", lambda i: f"{text} {i}".encode("utf-16-le")),
        ("utf16bare.jsonl", lambda i: json.dumps({"text": f"{text} {i}"}).encode("utf-16-le")),
        ("latenul.txt", lambda i: (f"{text} {i}. " * 150).encode() + b"\x00"),
        ("empty.txt", lambda i: b""),
        ("empty.jsonl", lambda i: b""),
        ("empty.html", lambda i: b"  \n"),
        ("truncated.jsonl", lambda i: b'{"text": "The talks ended without'),
        ("wrongtype.jsonl", lambda i: json.dumps({"text": i, "title": [1]}).encode()),
        ("surrogate.jsonl", lambda i: json.dumps({"text": f"{text} {i} \ud800"}).encode()),
        ("surrogatetitle.jsonl",
         lambda i: json.dumps({"text": f"{text} {i}", "title": "\udfff"}).encode()),
        ("deep.jsonl", lambda i: b"[" * 100_000 + b"]" * 100_000),
        ("hugeint.jsonl", lambda i: b'{"text": "x", "n": ' + b"9" * 5000 + b"}"),
        ("onebyte.txt", lambda i: bytes([rng.randint(65, 90)])),
        ("nav.html", lambda i: NAVIGATION),
        ("scan.txt", lambda i: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("office.txt", lambda i: b"PK\x03\x04\x14\x00\x06\x00word/document.xml"),
        ("quiet.rss", lambda i: b'<?xml version="1.0"?><rss version="2.0"><channel>'
                                b'<title>Quiet</title></channel></rss>'),
        ("notfeed.xml", lambda i: b"<<< not a feed"),
        ("laughs.xml", lambda i: BILLION_LAUGHS),
        ("xxe.rss", lambda i: XXE),
        ("deep.html", lambda i: b"<html><body>" + b"<div>" * 50_000 + b"x" + b"</div>" * 50_000),
    ]
    names = []
    for i in range(count):
        suffix_name, make = makers[i % len(makers)]
        stem, suffix = suffix_name.rsplit(".", 1)
        name = f"bad-{i:05d}-{stem}.{suffix}"
        (folder / name).write_bytes(make(i))
        names.append(name)
    specials = []
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "bad-fifo.txt")
        specials.append("bad-fifo.txt")
    (folder / "bad-dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "bad-loop.txt").symlink_to(folder / "bad-loop.txt")
    specials += ["bad-dangling.txt", "bad-loop.txt"]
    try:
        with open(os.fsencode(folder) + b"/bad-caf\xe9.txt", "wb") as stream:
            stream.write(text.encode())
        specials.append("bad-caf\\xe9.txt")
    except OSError:
        pass
    return names + specials


def parse_only(text: str) -> None:
    """Parse one long text as ingest does (``nlp.parse_batch``) and print the figures."""
    from newsledger import nlp

    language = nlp.load()
    started = time.perf_counter()
    [doc] = nlp.parse_batch(language, [text])
    seconds = time.perf_counter() - started
    pieces = len(nlp.split_text(text, nlp.piece_limit(language)))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"text: {len(text):,} characters (spaCy max_length {language.max_length:,}), "
          f"{pieces} pieces of at most {nlp.piece_limit(language):,}")
    print(f"same text and offsets: {doc.text == text}; {len(doc):,} tokens, "
          f"{sum(1 for _ in doc.sents):,} sentences, {len(doc.ents):,} entities")
    print(f"time: {seconds:.1f} s; peak memory of this process: {peak_mib:.0f} MiB")


def analyse_only(sizes: list[int], rng: random.Random, coder: str) -> None:
    """Analyse one long text per size with ``newsledger.extract`` (parse, actors, events,
    claims) and print the seconds per 10,000 characters: flat when the analysis is linear."""
    import newsledger

    newsledger.extract("Russia attacked Ukraine on Monday.", coder=coder)  # load once
    for size in sizes:
        text = long_text(rng, size)
        started = time.perf_counter()
        found = newsledger.extract(text, coder=coder)
        seconds = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{len(text):>10,} characters: {seconds:6.1f} s, "
              f"{seconds / len(text) * 10_000:5.2f} s per 10k characters, "
              f"{len(found.events):,} events; peak memory {peak_mib:.0f} MiB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bad", type=int, default=1000, help="bad inputs (default 1000)")
    parser.add_argument("--good", type=int, default=100, help="good articles (default 100)")
    parser.add_argument("--long", type=int, default=0,
                        help="add one good text of this many characters (e.g. 1200000)")
    parser.add_argument("--parse-only", type=int, default=0, metavar="N",
                        help="only parse one text of N characters in this process, in pieces, "
                             "and print its time, pieces and peak memory")
    parser.add_argument("--analyse-only", default="", metavar="N,N,...",
                        help="only analyse one text of each size (characters) with extract, "
                             "and print the time per 10k characters")
    parser.add_argument("--coder", default="model", help="event coder for --analyse-only")
    parser.add_argument("--time-limit", type=float, default=3600.0)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.parse_only:
        parse_only(long_text(rng, args.parse_only))
        return
    if args.analyse_only:
        analyse_only([int(n) for n in args.analyse_only.split(",")], rng, args.coder)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        bad = bad_inputs(rng, folder, args.bad)
        for i in range(args.good):
            (folder / f"good-{i:04d}.txt").write_text(good_article(rng, i), encoding="utf-8")
        if args.long:
            (folder / "good-long.txt").write_text(long_text(rng, args.long), encoding="utf-8")
        db = Path(tmp) / "fuzz.db"
        command = [sys.executable, "-m", "newsledger", "--db", str(db), "ingest", "--json",
                   "--coder", "rules", str(folder)]
        if Path("/dev/zero").exists():
            command.append("/dev/zero")
            bad.append("zero")
        started = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                  timeout=args.time_limit)
            hung = False
        except subprocess.TimeoutExpired as expired:
            done, hung = expired, True
        seconds = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        stdout, stderr = done.stdout or "", done.stderr or ""
        if isinstance(stdout, bytes):
            stdout, stderr = stdout.decode(errors="replace"), stderr.decode(errors="replace")
        report = json.loads(stdout) if stdout.strip().startswith("{") else {}
        problems = report.get("failed", []) + report.get("skipped", [])
        reported = {Path(p["input"].split(":")[0].split("#")[0].split("[")[0]).name
                    for p in problems}
        missing = [name for name in bad if name not in reported]
        stored = 0
        if db.exists():
            import sqlite3

            conn = sqlite3.connect(db)
            stored = conn.execute("SELECT COUNT(*) FROM article_sources WHERE source LIKE ?",
                                  (f"%{os.sep}good-%",)).fetchone()[0]
            conn.close()
        good_total = args.good + (1 if args.long else 0)
        codes: dict[str, int] = {}
        for problem in problems:
            codes[problem["code"]] = codes.get(problem["code"], 0) + 1
        print(f"inputs: {len(bad)} bad, {good_total} good"
              + (f" (one of {args.long:,} characters)" if args.long else ""))
        print(f"exit status: {'hung' if hung else done.returncode} (1 = some inputs failed)")
        print(f"tracebacks: {stderr.count('Traceback')}")
        print(f"bad inputs reported: {len(bad) - len(missing)}/{len(bad)}"
              + (f"; not reported: {missing[:10]}" if missing else ""))
        print(f"good articles stored: {stored}/{good_total}")
        print(f"codes: {dict(sorted(codes.items()))}")
        print(f"time: {seconds:.1f} s; peak memory of the ingest: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
