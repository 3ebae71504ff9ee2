"""The cost of each language stage, as a share of parsing, on a corpus you pass.

    python bench/stages.py ../shared/data/gold/ecbplus_dev.jsonl

Parses the cleaned texts once with spaCy (one process), then times each stage of the pipeline
over the same parsed documents and prints its seconds, sentences/s and its cost relative to the
parse. Stages run in order, each on the output of the ones before, as in the pipeline. One
process: the stages run per article, so N processes multiply these rates by about N (see
bench/ingest.py for the whole pipeline on several processes).
"""

from __future__ import annotations

import argparse
import time

from newsledger import nlp
from newsledger.ingest import Cleaner, ReadOptions, read_inputs, to_article_fields
from newsledger.model import Article, RawDocument
from newsledger.events.ontology import pentacode_of
from newsledger.events.records import to_events
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
    maps = [resolver.resolve(doc, None) for doc in docs]
    actors = time.perf_counter() - started
    print(f"{'actors':<12} {actors:8.2f} {sentences / actors:12,.0f} {actors / parse:9.1%}")

    coder, classifier = pipeline.lexicon_coder(), pipeline.classifier()
    started = time.perf_counter()
    events = 0
    for number, (doc, actor_map) in enumerate(zip(docs, maps)):
        found = [(s, coder.sentence_events(s, actor_map)) for s in doc.sents]
        coded = [s.text for s, f in found if f]
        classes = iter(classifier.predict("pentacode", coded) if coded else [])
        for sentence, items in found:
            if items:
                probabilities = next(classes)
                for item in items:
                    events += len(to_events(item, sentence, str(number),
                                            symmetric=coder.is_symmetric(item.code),
                                            agreement=probabilities.get(str(pentacode_of(item.code)))))
    coding = time.perf_counter() - started
    print(f"{'events':<12} {coding:8.2f} {sentences / coding:12,.0f} {coding / parse:9.1%}"
          f"   ({events:,} events)")

    articles = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
    started = time.perf_counter()
    claims = sum(len(pipeline.analyse(a, d).claims) for a, d in zip(articles, docs))
    everything = time.perf_counter() - started
    print(f"{'all stages':<12} {everything:8.2f} {sentences / everything:12,.0f} "
          f"{everything / parse:9.1%}   (actors, events, claims and context: {claims:,} claims)")


if __name__ == "__main__":
    main()
