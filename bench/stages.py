"""The cost of each language stage, as a share of parsing, on a corpus you pass.

    python bench/stages.py ../shared/data/gold/ecbplus_dev.jsonl

Parses the cleaned texts once with spaCy (one process), then times each stage of the pipeline
over the same parsed documents and prints its seconds, sentences/s and its cost relative to the
parse. Stages run in order, each on the output of the ones before, as in the pipeline.
"""

from __future__ import annotations

import argparse
import time

from newsledger import nlp
from newsledger.ingest import Cleaner, ReadOptions, read_inputs, to_article_fields
from newsledger.model import RawDocument
from newsledger.pipeline import Pipeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+")
    args = parser.parse_args()

    cleaner = Cleaner()
    texts = [to_article_fields(item, cleaner).text
             for item in read_inputs(args.corpus, ReadOptions()) if isinstance(item, RawDocument)]
    pipeline = Pipeline()
    pipeline.prepare()  # knowledge is built once per process, outside the timing
    resolver = pipeline.resolver()
    nlp.load()

    started = time.perf_counter()
    docs = list(nlp.parse(texts))
    parse = time.perf_counter() - started
    sentences = sum(1 for doc in docs for _ in doc.sents)
    words = sum(len(doc) for doc in docs)
    print(f"corpus: {len(docs)} articles, {sentences:,} sentences, {words:,} tokens")
    print(f"{'stage':<12} {'seconds':>8} {'sentences/s':>12} {'vs parse':>9}")
    print(f"{'parse':<12} {parse:8.2f} {sentences / parse:12,.0f} {'100.0%':>9}")

    started = time.perf_counter()
    for doc in docs:
        resolver.resolve(doc, None)
    actors = time.perf_counter() - started
    print(f"{'actors':<12} {actors:8.2f} {sentences / actors:12,.0f} {actors / parse:9.1%}")


if __name__ == "__main__":
    main()
