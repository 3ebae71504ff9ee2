"""Fuzzing bench: 10,000 generated bad inputs mixed with 100 good articles, ingested by one
``newsledger ingest`` process; prints tracebacks, hangs, how many bad inputs were reported (and
how: the error codes), how many good articles were stored, time and peak memory.

    python bench/fuzz.py                   # 10,000 bad + 100 good, coder "rules"
    python bench/fuzz.py --bad 2000 --seed 3 --keep /tmp/fuzz --rerun

Bad inputs: random bytes, invalid UTF-8, UTF-16 with a byte-order mark (invalid UTF-16 or too
short to be an article) and without one, NULs, empty and blank files, truncated and wrongly typed
JSONL and JSON, deep-nested HTML with no article in it, a 60 MB page, non-XML and empty feeds, a
billion-laughs feed, XXE feeds (pointing at a local secret file), FIFOs, symlink loops, dangling
symlinks and file names that are not UTF-8. Good inputs: 100 distinct articles as .txt, .html,
.jsonl and RSS files. They are written to one folder in a shuffled order, so bad and good ones
are interleaved; one FIFO and one symlink loop are also given on the command line.

Every input is then accounted for from the run's JSON report and the ledger: *reported* (in
``failed`` or ``skipped``, by its path), *stored* (an article_sources row names it), or
*silent* (neither, which must never happen). A bad input must be reported and never stored;
a good one stored. The run has a time limit (``--timeout``): a hang is a run that reaches it.
Peak memory is the ingest process's maximum resident set (``getrusage`` of the child).
Exit status: 0 when every criterion holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "FUZZ-SECRET-7c21 the vault code is 0451"

# The generated good articles share their word lists with the stress tests (one definition).
sys.path.insert(0, str(ROOT / "tests" / "stress"))
from stressdata import COUNTRIES, DAYS, EVENTS, FILLER  # noqa: E402

# How many of each kind of bad input, as shares of --bad (the special files are fixed counts).
SHARES = {"random-bytes": 0.15, "invalid-utf8": 0.10, "utf16-bom": 0.06, "utf16-no-bom": 0.06,
          "nul": 0.08, "empty": 0.05, "jsonl-truncated": 0.10, "jsonl-types": 0.12,
          "json-bad": 0.05, "deep-html": 0.05, "feed-not-xml": 0.08, "billion-laughs": 0.03,
          "xxe": 0.03, "bad-name": 0.02}
SPECIAL = {"fifo": 5, "symlink-loop": 5, "dangling-link": 5, "page-60mb": 1}


def article(rng: random.Random, i: int) -> tuple[str, str]:
    a, b = rng.sample(COUNTRIES, 2)
    event = rng.choice(EVENTS).format(a=a, b=b, day=rng.choice(DAYS))
    filler = " ".join(rng.choice(FILLER) for _ in range(45))
    return f"Report {i} from {a}", f"{event} Correspondents noted item {i}: {filler}."


def good_input(rng: random.Random, i: int) -> tuple[str, bytes]:
    title, text = article(rng, i)
    kind = ("txt", "html", "jsonl", "rss")[i % 4]
    if kind == "txt":
        return ".txt", text.encode()
    if kind == "html":
        return ".html", (f"<html><head><title>{title}</title></head><body><nav>Home | World"
                         f"</nav><article><h1>{title}</h1><p>{text}</p></article>"
                         "<footer>Copyright</footer></body></html>").encode()
    if kind == "jsonl":
        return ".jsonl", (json.dumps({"title": title, "text": text, "outlet": "Fuzz Post",
                                      "published": "2024-03-0%d" % (1 + i % 9)}) + "\n").encode()
    return ".rss", (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Fuzz Wire</title>'
                    f"<item><title>{title}</title><link>https://example.org/{i}</link>"
                    f"<description>{text}</description></item></channel></rss>").encode()


def _text(rng: random.Random, words: int = 40) -> str:
    return " ".join(rng.choice(FILLER) for _ in range(words)) + "."


def bad_input(kind: str, rng: random.Random, secret: Path) -> tuple[str, bytes]:
    """A bad input of ``kind``: (suffix, content)."""
    suffixes = (".txt", ".html", ".jsonl", ".json", ".xml", ".rss", ".bin", "")
    if kind == "random-bytes":
        return rng.choice(suffixes), rng.randbytes(rng.randint(1, 4096))
    if kind == "invalid-utf8":
        raw = bytearray(_text(rng, 60).encode())
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(raw))
            raw[at:at] = rng.choice((b"\xff", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80",
                                     b"\xf8\x88\x80\x80\x80", b"\xe2\x82"))
        return rng.choice((".txt", ".html", ".jsonl", ".xml")), bytes(raw)
    if kind == "utf16-bom":
        codec, bom = rng.choice((("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")))
        if rng.random() < 0.5:  # a lone surrogate: not valid UTF-16
            body = "Talks ".encode(codec) + (b"\x00\xd8" if codec.endswith("le") else b"\xd8\x00")
            body += _text(rng).encode(codec)
        else:  # valid UTF-16, too short to be an article
            body = rng.choice(("Hi", "OK.", "x", "Home")).encode(codec)
        return rng.choice((".txt", ".jsonl", ".html")), bom + body
    if kind == "utf16-no-bom":
        return rng.choice((".txt", ".html", ".xml")), _text(rng, 60).encode(
            rng.choice(("utf-16-le", "utf-16-be")))
    if kind == "nul":
        raw = bytearray(_text(rng, rng.choice((60, 3000))).encode())
        at = rng.randrange(len(raw))
        raw[at:at] = b"\x00" * rng.randint(1, 3)
        return rng.choice((".txt", ".html", ".jsonl")), bytes(raw)
    if kind == "empty":
        return rng.choice(suffixes[:6]), rng.choice((b"", b" ", b"\n\n", b"\t \r\n",
                                                     b"\xef\xbb\xbf"))
    if kind == "jsonl-truncated":
        line = json.dumps({"title": "Talks", "text": _text(rng, 50)})
        return ".jsonl", line[:rng.randint(1, len(line) - 2)].encode()
    if kind == "jsonl-types":
        record = rng.choice((
            {"text": rng.randint(-10**6, 10**6)}, {"text": None}, {"text": ["a", "b"]},
            {"text": {"nested": "x"}}, {"title": "no text"}, {}, [1, 2, 3], "just a string",
            42, None, {"text": ""}, {"text": "   "}, {"html": 5}, {"text": True},
            {"text": "ok", "published": 12}, {"text": "\ud800 lone surrogate " + _text(rng)},
        ))
        if rng.random() < 0.1:
            return ".jsonl", b"[" * 100_000 + b"]" * 100_000
        if rng.random() < 0.05:
            return ".jsonl", b'{"text": ' + b"9" * 5000 + b"}"
        return ".jsonl", json.dumps(record).encode()
    if kind == "json-bad":
        return ".json", rng.choice((b"{", b"[]", b"null", b"[1, 2]", b'{"text": 5}',
                                    b'[{"title": "x"}]', b"\"text\"", b"{" * 50_000))
    if kind == "deep-html":
        depth = rng.choice((1_000, 10_000, 100_000))
        tag = rng.choice(("div", "span", "b", "table"))
        return ".html", (f"<{tag}>" * depth + "<nav>Home | News</nav>" + f"</{tag}>" * depth
                         ).encode()
    if kind == "feed-not-xml":
        return rng.choice((".xml", ".rss", ".atom")), rng.choice((
            b"<<< definitely not a feed", b"<html><body>not a feed</body></html>",
            b'{"feed": "json"}', b"plain text, no markup at all",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>',
            b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>',
            b'<?xml version="1.0"?><note><to>you</to></note>', rng.randbytes(200)))
    if kind == "billion-laughs":
        entities = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
        return rng.choice((".xml", ".rss")), (
            '<?xml version="1.0"?><!DOCTYPE rss [' + "".join(entities) + "]>"
            '<rss version="2.0"><channel><title>&lol9;</title><item><title>Laughs</title>'
            "<description>&lol9;</description></item></channel></rss>").encode()
    if kind == "xxe":
        return rng.choice((".xml", ".rss", ".atom")), (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
            '<rss version="2.0"><channel><title>Leak</title><item><title>Talks &leak;</title>'
            f"<description>{_text(rng)} &leak;</description></item></channel></rss>").encode()
    raise ValueError(kind)


def build(folder: Path, bad: int, good: int, seed: int) -> tuple[dict[str, str], list[str]]:
    """Write the inputs; returns {path: kind} ("good" for good ones) and the extra command-line
    inputs (a FIFO and a symlink loop outside the folder)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    secret = folder.parent / "secret.txt"
    secret.write_text(SECRET + "\n")
    counts = {kind: int(bad * share) for kind, share in SHARES.items()}
    counts["random-bytes"] += bad - sum(counts.values()) - sum(SPECIAL.values())
    plan = [k for k, n in counts.items() for _ in range(n)]
    plan += [k for k, n in SPECIAL.items() for _ in range(n)] + ["good"] * good
    rng.shuffle(plan)
    kinds: dict[str, str] = {}
    good_index = 0
    for i, kind in enumerate(plan):
        stem = folder / f"{i:05d}-{kind}"
        if kind == "good":
            suffix, content = good_input(rng, good_index)
            good_index += 1
        elif kind == "fifo":
            path = stem.with_suffix(".txt")
            os.mkfifo(path)
            kinds[str(path)] = kind
            continue
        elif kind == "symlink-loop":
            a, b = stem.with_suffix(".a.txt"), stem.with_suffix(".b.txt")
            a.symlink_to(b.name)
            b.symlink_to(a.name)
            kinds[str(a)] = kinds[str(b)] = kind
            continue
        elif kind == "dangling-link":
            path = stem.with_suffix(".html")
            path.symlink_to("no-such-target.html")
            kinds[str(path)] = kind
            continue
        elif kind == "page-60mb":
            path = stem.with_suffix(".html")
            with path.open("wb") as out:
                out.write(b"<html><body>")
                chunk = b"<p>" + _text(rng, 100).encode() + b"</p>\n"
                for _ in range(60_000_000 // len(chunk) + 1):
                    out.write(chunk)
                out.write(b"</body></html>")
            kinds[str(path)] = kind
            continue
        elif kind == "bad-name":
            suffix, content = ".txt", _text(rng, 60).encode()
            path = Path(os.fsdecode(bytes(stem) + b"-caf\xe9" + suffix.encode()))
            path.write_bytes(content)
            kinds[str(path)] = kind
            continue
        else:
            suffix, content = bad_input(kind, rng, secret)
        path = Path(f"{stem}{suffix}")
        path.write_bytes(content)
        kinds[str(path)] = kind
    extra_fifo, extra_loop = folder.parent / "arg-fifo.txt", folder.parent / "arg-loop.txt"
    os.mkfifo(extra_fifo)
    extra_loop.symlink_to(extra_loop.name)
    kinds[str(extra_fifo)], kinds[str(extra_loop)] = "fifo", "symlink-loop"
    return kinds, [str(extra_fifo), str(extra_loop)]


def owner(source: str, kinds: dict[str, str]) -> str | None:
    """The generated input a report entry or a stored source is about."""
    if source in kinds:
        return source
    for cut in (source.rsplit(":", 1)[0], source.split("#", 1)[0], source.split("[", 1)[0]):
        if cut in kinds:
            return cut
    for path in kinds:  # a non-UTF-8 name is shown with \x escapes
        if kinds[path] == "bad-name" and os.fsencode(path).decode("utf-8", "backslashreplace") \
                in source:
            return path
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bad", type=int, default=10_000)
    parser.add_argument("--good", type=int, default=100)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--coder", default="rules")
    parser.add_argument("--timeout", type=float, default=3600.0,
                        help="seconds before the run counts as hung")
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    parser.add_argument("--rerun", action="store_true", help="ingest again: must add nothing")
    args = parser.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="newsledger-fuzz-"))
    if args.keep:
        base.mkdir(parents=True, exist_ok=False)
    started = time.perf_counter()
    kinds, extra = build(base / "inputs", args.bad, args.good, args.seed)
    built = time.perf_counter() - started
    bad_paths = sum(1 for k in kinds.values() if k != "good")
    print(f"{args.bad} bad inputs in the folder and 2 on the command line ({bad_paths} paths, "
          f"counting both links of each symlink loop) and {args.good} good articles written to "
          f"{base} in {built:.1f} s", flush=True)

    db = base / "fuzz.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "newsledger", "--db", str(db), "ingest", "--coder",
               args.coder, "--json", str(base / "inputs"), *extra]
    started = time.perf_counter()
    stderr_path = base / "ingest.stderr"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=stderr)
        try:
            out, _ = process.communicate(timeout=args.timeout)
            hung = 0
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
            hung = 1
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    errors = stderr_path.read_text(errors="replace")
    tracebacks = errors.count("Traceback (most recent call last)")
    report = json.loads(out) if out.strip() else {"failed": [], "skipped": [], "added": 0}

    reported: dict[str, list[str]] = defaultdict(list)
    unowned = []
    for entry in report["failed"] + report["skipped"]:
        path = owner(entry["input"], kinds)
        if path is None:
            unowned.append(entry["input"])
        else:
            reported[path].append(entry["code"])
    conn = sqlite3.connect(db)
    stored_sources = [row[0] for row in conn.execute("SELECT source FROM article_sources")]
    conn.close()
    stored = {owner(source, kinds) for source in stored_sources} - {None}

    by_kind: dict[str, Counter] = defaultdict(Counter)
    codes: dict[str, Counter] = defaultdict(Counter)
    for path, kind in kinds.items():
        row = by_kind[kind]
        row["inputs"] += 1
        row["reported"] += path in reported
        row["stored"] += path in stored
        row["silent"] += path not in reported and path not in stored
        codes[kind].update(set(reported.get(path, [])))

    sys.path.insert(0, str(ROOT / "src"))
    from newsledger.store.db import connect, health

    ledger = connect(db)
    found = health(ledger)
    leaked = SECRET.split()[0] in "\n".join(ledger.iterdump())
    ledger.close()

    print(f"\nexit status {process.returncode} (1 = some inputs failed), {seconds:.1f} s, "
          f"peak memory {peak_mib:.0f} MiB (max RSS of the ingest process)")
    print(f"{'input kind':18} {'inputs':>7} {'reported':>9} {'stored':>7} {'silent':>7}  codes")
    for kind in sorted(by_kind, key=lambda k: (k == "good", k)):
        row = by_kind[kind]
        top = ", ".join(f"{c} {n}" for c, n in codes[kind].most_common(4))
        print(f"{kind:18} {row['inputs']:>7} {row['reported']:>9} {row['stored']:>7} "
              f"{row['silent']:>7}  {top}")
    bad_rows = [row for kind, row in by_kind.items() if kind != "good"]
    bad_reported = sum(r["reported"] for r in bad_rows)
    bad_paths = sum(r["inputs"] for r in bad_rows)
    bad_stored = sum(r["stored"] for r in bad_rows)
    silent = sum(r["silent"] for r in by_kind.values())
    good_stored = by_kind["good"]["stored"]
    print(f"\ntracebacks: {tracebacks}    hangs: {hung}    bad inputs reported: {bad_reported} "
          f"of {bad_paths} paths    bad inputs stored: {bad_stored}    silent: {silent}    "
          f"good articles stored: {good_stored} of {args.good}    report entries naming no "
          f"input: {len(unowned)}    secret leaked: {leaked}")
    print(f"ledger health: {found}")
    print(f"report: added {report['added']}, duplicates {report.get('duplicates')}, "
          f"unchanged {report.get('unchanged')}, failed {len(report['failed'])}, "
          f"skipped {len(report['skipped'])}")
    ok = (tracebacks == 0 and not hung and bad_reported == bad_paths and bad_stored == 0
          and silent == 0 and good_stored == args.good and not leaked
          and found["integrity"] == "ok" and not found["orphans"] and process.returncode == 1)

    if args.rerun and not hung:
        started = time.perf_counter()
        again = subprocess.run(command, env=env, capture_output=True, timeout=args.timeout)
        second = json.loads(again.stdout)
        print(f"re-run: added {second['added']}, duplicates {second['duplicates']}, unchanged "
              f"{second['unchanged']}, failed {len(second['failed'])} "
              f"({time.perf_counter() - started:.1f} s)")
        ok = ok and second["added"] == 0 and second["duplicates"] == 0 \
            and b"Traceback" not in again.stderr
    if unowned:
        print("entries naming no generated input (first 5):", unowned[:5])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
