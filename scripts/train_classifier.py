"""Train the sentence classifier that ships in the package (``data/events/classifier.npz``).

    python scripts/train_classifier.py [--shared ../shared]

Heads: ``pentacode`` from cameo_pentacode_train.tsv, ``plover`` from the synthetic PLOVER
stories. Training data only; the evaluation files are never read here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsledger.evaluate.gold import pentacode_records
from newsledger.events.classify import PENTACODE_C, Head, SentenceClassifier
from newsledger.events.training import extra_pentacode_examples, plover_synthetic, shared_folder
from newsledger.resources import data_path

PLOVER_C = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=data_path("events", "classifier.npz"))
    args = parser.parse_args()
    shared = args.shared or shared_folder()

    rows = pentacode_records(shared / "data" / "gold")
    extra_texts, extra_labels = extra_pentacode_examples()
    pentacode = Head.fit([t for t, _ in rows] + extra_texts,
                         [str(label) for _, label in rows] + extra_labels, c=PENTACODE_C)
    texts, labels = plover_synthetic(shared)
    # The synthetic labels are skewed (780 CONCEDE stories, 84 AID): balance the classes.
    plover = Head.fit(texts, labels, c=PLOVER_C, balanced=True)
    SentenceClassifier({"pentacode": pentacode, "plover": plover}).save(args.out)
    size = args.out.stat().st_size / 1e6
    print(f"pentacode head: {len(rows)} sentences, {len(pentacode.columns)} columns; "
          f"plover head: {len(texts)} stories, {len(plover.columns)} columns → {args.out} "
          f"({size:.1f} MB)")


if __name__ == "__main__":
    main()
