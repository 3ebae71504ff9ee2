"""Ingest speed against bare spaCy, on a corpus you pass.

    python bench/ingest.py ../shared/data/gold/ecbplus_dev.jsonl --workers 2
    python bench/ingest.py ../shared/data/gold/ecbplus_dev.jsonl --dask local:2

Prints articles/s, words/s and sentences/s for the whole ingest (read + clean + dedup + parse +
actors + events + store) and words/s for bare ``nlp.pipe`` over the same cleaned texts with the same number of
processes, and the ratio of the two (the target is at least 0.90). Each figure is the best of
``--repeat`` runs; process start-up is included in both. With ``--dask ADDRESS`` the ingest
parses and analyses on that Dask cluster (``local:N`` starts N local worker processes, whose
start-up is not counted; their first batch loads the pipeline and is).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from newsledger import Ledger, nlp
from newsledger.ingest import Cleaner, ReadOptions, read_inputs, to_article_fields
from newsledger.model import RawDocument
from newsledger.pipeline import Pipeline


def cleaned_texts(paths: list[str]) -> list[str]:
    cleaner = Cleaner()
    texts = []
    for item in read_inputs(paths, ReadOptions()):
        if isinstance(item, RawDocument):
            texts.append(to_article_fields(item, cleaner).text)
    return texts


def bare_spacy(texts: list[str], workers: int) -> float:
    started = time.perf_counter()
    for _ in nlp.parse(texts, n_process=workers, batch_size=nlp.BATCH_SIZE):
        pass
    return time.perf_counter() - started


def pipeline(paths: list[str], workers: int, client=None) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        with Ledger(Path(folder) / "bench.db") as ledger:
            started = time.perf_counter()
            report = ledger.ingest(paths, workers=workers, client=client)
            return time.perf_counter() - started, report.added, report.words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+", help="files or folders newsledger can ingest")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dask", metavar="ADDRESS", help="ingest on this Dask cluster")
    args = parser.parse_args()

    texts = cleaned_texts(args.corpus)
    words = sum(len(t.split()) for t in texts)
    sentences = sum(1 for doc in nlp.parse(texts) for _ in doc.sents)
    nlp.load()  # loading the model and the knowledge is not what either side measures
    Pipeline().prepare()
    print(f"corpus: {len(texts)} articles, {words:,} words; {args.workers} processes; "
          f"model {nlp.model_name()}")
    bare = min(bare_spacy(texts, args.workers) for _ in range(args.repeat))
    if args.dask:
        from newsledger.scale import cluster, workers

        with cluster(args.dask) as client:
            print(f"dask: {workers(client)} workers at {client.scheduler.address}")
            runs = [pipeline(args.corpus, args.workers, client) for _ in range(args.repeat)]
    else:
        runs = [pipeline(args.corpus, args.workers) for _ in range(args.repeat)]
    seconds, added, _ = min(runs)
    print(f"bare nlp.pipe : {words / bare:10,.0f} words/s  ({bare:.1f} s)")
    print(f"ingest        : {words / seconds:10,.0f} words/s  {added / seconds:8.1f} articles/s  "
          f"{sentences / seconds:8.1f} sentences/s  ({seconds:.1f} s, {added} articles stored)")
    print(f"ratio         : {bare / seconds:.2f} of bare spaCy speed (target >= 0.90)")


if __name__ == "__main__":
    main()
