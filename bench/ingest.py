"""Ingest speed and memory against bare spaCy, on a corpus you pass, for each event coder.

    python bench/ingest.py ../shared/data/gold/ecbplus_dev.jsonl --workers 2
    python bench/ingest.py ../shared/data/gold/ecbplus_dev.jsonl --coder model --dask local:2

Prints articles/s, words/s and sentences/s for the whole ingest (read + clean + dedup + parse +
actors + events + store) and words/s for bare ``nlp.pipe`` over the same cleaned texts with the same number of
processes, and the ratio of the two (the target is at least 0.90). Each figure is the best of
``--repeat`` runs; process start-up is included in both. Each coder (``--coder model,rules``)
runs in a fresh process, which prints its peak resident memory and that of its largest worker
process. With ``--dask ADDRESS`` the ingest
parses and analyses on that Dask cluster (``local:N`` starts N local worker processes, whose
start-up is not counted; their first batch loads the pipeline and is).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
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


def pipeline(paths: list[str], workers: int, coder: str, client=None) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        with Ledger(Path(folder) / "bench.db", coder=coder) as ledger:
            started = time.perf_counter()
            report = ledger.ingest(paths, workers=workers, client=client)
            return time.perf_counter() - started, report.added, report.words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+", help="files or folders newsledger can ingest")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dask", metavar="ADDRESS", help="ingest on this Dask cluster")
    parser.add_argument("--coder", default="model,rules",
                        help="event coders to measure, comma-separated (model, rules)")
    args = parser.parse_args()
    coders = args.coder.split(",")
    if len(coders) > 1:  # each coder in a fresh process, so that memory figures are its own
        for coder in coders:
            subprocess.run([sys.executable, __file__, *sys.argv[1:], "--coder", coder],
                           check=True)
        return
    run_one(args, coders[0])


def peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def run_one(args: argparse.Namespace, coder: str) -> None:
    texts = cleaned_texts(args.corpus)
    words = sum(len(t.split()) for t in texts)
    sentences = sum(1 for doc in nlp.parse(texts) for _ in doc.sents)
    nlp.load()  # loading the model and the knowledge is not what either side measures
    Pipeline(coder=coder).prepare()
    print(f"== coder {coder} ==")
    print(f"corpus: {len(texts)} articles, {words:,} words, {sentences:,} sentences; "
          f"{args.workers} processes; model {nlp.model_name()}")
    bare = min(bare_spacy(texts, args.workers) for _ in range(args.repeat))
    if args.dask:
        from newsledger.scale import cluster, workers

        with cluster(args.dask) as client:
            print(f"dask: {workers(client)} workers at {client.scheduler.address}")
            runs = [pipeline(args.corpus, args.workers, coder, client)
                    for _ in range(args.repeat)]
    else:
        runs = [pipeline(args.corpus, args.workers, coder) for _ in range(args.repeat)]
    seconds, added, _ = min(runs)
    print(f"bare nlp.pipe : {words / bare:10,.0f} words/s  ({bare:.1f} s)")
    print(f"ingest        : {words / seconds:10,.0f} words/s  {added / seconds:8.1f} articles/s  "
          f"{sentences / seconds:8.1f} sentences/s  ({seconds:.1f} s, {added} articles stored)")
    print(f"bare nlp.pipe : {sentences / bare:10,.1f} sentences/s")
    print(f"ratio         : {bare / seconds:.2f} of bare spaCy speed")
    print(f"peak memory   : {peak_mib(resource.RUSAGE_SELF):,.0f} MiB main process, "
          f"{peak_mib(resource.RUSAGE_CHILDREN):,.0f} MiB largest worker process")


if __name__ == "__main__":
    main()
