"""Tune the story clustering settings on the train part of ECB+ (never on its dev part).

    python scripts/tune_stories.py [--gold ../shared/data/gold] [--cache /tmp/stories-train.pkl]
                                   [--write]

The documents of ``split.train_part("ecbplus_dev.jsonl", …)`` (the 80% that
``newsledger eval`` never scores) are ingested once, in file order, through the whole pipeline
(as the scorer does), and what story clustering is given for each of them (article, analysis)
is kept, with the encoder's vectors of every text it embeds (cached in ``--cache``). Then each
setting is replayed: the articles are clustered again in order into an empty ledger, and B³ F1
against gold subtopics is computed on four interleaved chunks of the train part, each of the
dev part's size (the dev part scores ~92 documents of all topics, so its stories are small; a
setting must suit that), averaged.
The grid is searched coordinate-wise from the shipped settings; the best is printed and, with
``--write``, written to ``data/stories/clustering.yaml``. The dev figure is for the end only:
``newsledger eval --only stories``.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import pickle
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsledger import Ledger  # noqa: E402
from newsledger.evaluate.gold import ecbplus_records  # noqa: E402
from newsledger.evaluate.split import train_part  # noqa: E402
from newsledger.evaluate.stories import b_cubed  # noqa: E402
from newsledger.ingest.dedup import Fingerprint  # noqa: E402
from newsledger.store import articles as article_store  # noqa: E402
from newsledger.store.db import connect  # noqa: E402
from newsledger.stories import cluster, embed  # noqa: E402

GRID = {
    "embedding_weight": [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    "embedding_floor": [0.1, 0.2, 0.3, 0.4],
    "lead_sentences": [1, 2, 3, 5, 8],
    "event_sentences": [0, 1, 3, 6],
    "threshold": [round(0.10 + 0.025 * i, 3) for i in range(25)],
}
CHUNKS = 4


class MemoEmbedder:
    """The shipped embedder with its vectors kept per text (the same text, the same vector)."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors
        self._inner: embed.Embedder | None = None
        self.name = "tune"
        self.dimensions = 384

    def embed(self, texts):
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            if self._inner is None:
                self._inner = embed.load()
            for text, vector in zip(missing, self._inner.embed(missing)):
                self.vectors[text] = vector
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 384))


def analysed(gold: Path, cache: Path) -> tuple[list, list[str], dict[str, np.ndarray]]:
    """(article, analysis) of each train document as clustering gets them, in order, and the
    gold subtopic of each; cached."""
    if cache.is_file():
        with cache.open("rb") as handle:
            return pickle.load(handle)
    import tempfile

    documents = train_part("ecbplus_dev.jsonl", ecbplus_records(gold))
    seen: list = []
    original = cluster.Clusterer.assign

    def spy(self, article, analysis):
        seen.append((article, analysis))
        return original(self, article, analysis)

    cluster.Clusterer.assign = spy
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "train.jsonl"
            import json

            path.write_text("\n".join(json.dumps({"text": d.text}) for d in documents) + "\n",
                            encoding="utf-8")
            with Ledger(":memory:") as ledger:
                ledger.ingest(path)
                by_source = dict(ledger.conn.execute(
                    "SELECT source, article_id FROM article_sources"))
                by_source.update(dict(ledger.conn.execute("SELECT source, id FROM articles")))
    finally:
        cluster.Clusterer.assign = original
    line_of = {}
    for source, article_id in by_source.items():
        match = re.search(r":(\d+)$", source)
        if match:
            line_of.setdefault(article_id, []).append(int(match.group(1)))
    subtopic = {}
    for article, _ in seen:
        lines = line_of.get(article.id, [])
        subtopic[article.id] = [documents[n - 1].subtopic for n in lines]
    data = (seen, subtopic, {})
    with cache.open("wb") as handle:
        pickle.dump(data, handle)
    return data


def replay(items: list, config: cluster.Settings, embedder: MemoEmbedder) -> dict[str, str]:
    """Article id → story, clustering ``items`` in order into an empty ledger."""
    conn = connect(":memory:")
    clusterer = cluster.Clusterer(conn, config, embedder=embedder)
    story = {}
    conn.execute("BEGIN")
    for article, analysis in items:
        if article.duplicate_of and article.duplicate_of not in story:
            article = dataclasses.replace(article, duplicate_of=None, similarity=None)
        article_store.insert_article(conn, article, Fingerprint.of(article.text))
        placed = clusterer.assign(article, analysis)
        story[article.id] = placed.story_id
    conn.execute("ROLLBACK")
    conn.close()
    return story


def score(seen: list, subtopic: dict, config: cluster.Settings, embedder: MemoEmbedder
          ) -> float:
    f1s = []
    for start in range(CHUNKS):  # every CHUNKS-th article, in order: all topics in each
        items = seen[start::CHUNKS]
        story = replay(items, config, embedder)
        predicted, gold = {}, {}
        for article, _ in items:
            for n, topic in enumerate(subtopic[article.id]):
                predicted[f"{article.id}/{n}"] = story[article.id]
                gold[f"{article.id}/{n}"] = topic
        f1s.append(b_cubed(predicted, gold)["f1"])
    return float(np.mean(f1s))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "data" / "gold")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stories-train.pkl"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    seen, subtopic, vectors = analysed(args.gold, args.cache)
    embedder = MemoEmbedder(vectors)
    print(f"{len(seen)} train articles analysed ({time.perf_counter() - started:.0f} s)",
          flush=True)
    config = cluster.settings()
    best = score(seen, subtopic, config, embedder)
    print(f"shipped settings: train B³ F1 {best:.4f}", flush=True)
    for round_ in range(args.rounds):
        changed = False
        for name, values in GRID.items():
            for value in values:
                trial = dataclasses.replace(config, **{name: value})
                f1 = score(seen, subtopic, trial, embedder)
                if f1 > best + 1e-9:
                    best, config, changed = f1, trial, True
                    print(f"  round {round_ + 1}: {name} = {value}: train B³ F1 {f1:.4f}",
                          flush=True)
        # threshold and weight together, around the best
        for weight, threshold in itertools.product(GRID["embedding_weight"], GRID["threshold"]):
            trial = dataclasses.replace(config, embedding_weight=weight, threshold=threshold)
            f1 = score(seen, subtopic, trial, embedder)
            if f1 > best + 1e-9:
                best, config, changed = f1, trial, True
                print(f"  round {round_ + 1}: weight {weight}, threshold {threshold}:"
                      f" train B³ F1 {f1:.4f}", flush=True)
        with args.cache.open("wb") as handle:  # the vectors computed so far
            pickle.dump((seen, subtopic, embedder.vectors), handle)
        if not changed:
            break
    print(f"best on train (mean of {CHUNKS} chunks): B³ F1 {best:.4f} "
          f"({time.perf_counter() - started:.0f} s)")
    print("settings:", config.to_dict())
    if args.write:
        path = ROOT / "src" / "newsledger" / "data" / "stories" / "clustering.yaml"
        text = path.read_text(encoding="utf-8")
        for name, value in config.to_dict().items():
            text = re.sub(rf"^{name}:\s*\S+", lambda m: f"{name}: {value}".ljust(len(m.group(0))),
                          text, flags=re.M)
        path.write_text(text, encoding="utf-8")
        print(f"written to {path}")


if __name__ == "__main__":
    main()
