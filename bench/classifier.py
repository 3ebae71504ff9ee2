"""The sentence classifier's inference cost: numpy-only hashing (``hash_counts``, what ingest
uses) against scikit-learn's vectorizer (what it used before), on the sentences of a corpus.

    python bench/classifier.py ../shared/samples examples ../shared/data/gold/ecbplus_dev.jsonl

Splits the texts into sentences with a simple rule (no spaCy), then times
``SentenceClassifier.predict`` with each way of hashing, three times each (later runs show the
warm feature cache), in CPU seconds, and checks that both give the same probabilities.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from newsledger.events import classify


def sentences(paths: list[str]) -> list[str]:
    found = []
    for spec in paths:
        path = Path(spec)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            text = file.read_text(encoding="utf-8", errors="ignore")
            if file.suffix == ".jsonl":  # one record a line: its text
                text = "\n".join(json.loads(line).get("text") or "" for line in text.splitlines()
                                  if line.strip())
            found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 3]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    texts = sentences(args.paths)
    model = classify.default_classifier()
    head = model.heads["pentacode"]
    print(f"{len(texts):,} sentences")
    results = {}
    for name, counts in (("numpy hash_counts", classify.hash_counts),
                         ("sklearn vectorizer", lambda t: classify._vectorizer().transform(t))):
        for run in (1, 2, 3):
            started = time.process_time()  # CPU seconds: steadier than wall time on a busy box
            results[name] = head.probabilities(counts(texts))
            seconds = time.process_time() - started
            print(f"{name:20s} run {run}: {seconds:6.3f} CPU s  "
                  f"{1e6 * seconds / max(1, len(texts)):7.1f} µs/sentence")
    same = (results["numpy hash_counts"] == results["sklearn vectorizer"]).all()
    print("same probabilities:", bool(same))


if __name__ == "__main__":
    main()
