"""The cost of one more article as the ledger grows, from 1,000 to 100,000 articles.

    python bench/stories.py [--sizes 1000,10000,25000,50000,100000] [--probe 200]

Synthetic articles (generated here: a few thousand developing stories over five years, each
article with its own words, actors and coded events) are added through ``Ledger.store`` — the
path that ``ingest`` and a Dask run take after the language stages: near-duplicate check,
storage with full-text index, event merging across articles and story placement. The language
stages themselves cost the same for every article and are measured by bench/stages.py. At each
size the time to add ``--probe`` more articles is printed per article: it must stay flat.

Story clustering and event merging compare the meaning of articles and events (the sentence
encoder's vectors, ``stories/embed.py``). The ledger is filled with vectors from a cheap hashing
stand-in (a bag of hashed word vectors: similar words, similar vectors; the comparisons cost
the same whatever made the vectors); each probe is stored twice over, once with the shipped
encoder (the cost a user sees: "ms per new article") and once with the stand-in (the
clustering and merging alone, without computing vectors), both printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

from newsledger import Ledger
from newsledger.stories import embed
from newsledger.events.ontology import ontology
from newsledger.model import Actor, ActorRef, Analysis, Article, Event, Mention

COUNTRIES = ("USA RUS UKR CHN PRK KOR JPN IRN ISR PSE SYR TUR GBR FRA DEU IND PAK AFG IRQ SAU "
             "EGY LBN YEM SDN ETH NGA KEN COD VEN COL BRA MEX CAN AUS IDN PHL MMR THA VNM BLR "
             "GEO ARM AZE QAT ARE JOR LBY MLI NER SOM").split()
CODES = ("010 012 020 036 040 042 043 046 051 057 061 070 072 073 0841 0871 0874 090 100 111 "
         "112 120 125 130 138 141 143 163 173 174 180 183 190 193 194 195").split()


def _pseudo_word(number: int) -> str:
    """A distinct made-up word of letters (the feature tokenizer ignores digits)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
        if number == 0:
            return "qx" + letters


WORDS = [_pseudo_word(i) for i in range(20000)]


SPAN_DAYS = 5 * 365


def make_article(rng: random.Random, number: int, stories: list[dict], start: dt.date,
                 total: int) -> tuple[Article, Analysis]:
    """Article ``number`` of ``total``, dated in arrival order along the timeline, in one of
    the stories running on its date."""
    day = start + dt.timedelta(days=SPAN_DAYS * number // total)
    running = [s for s in stories if s["start"] <= day <= s["start"] + dt.timedelta(days=s["days"])]
    story = rng.choice(running or stories)
    words = [rng.choice(story["words"]) for _ in range(60)] + rng.sample(WORDS, 90)
    text = " ".join(words) + f". Article {number}."
    article = Article(id=f"{number:016x}", text=text, title=" ".join(words[:6]),
                      outlet=f"Outlet {rng.randint(1, 40)}", published=day.isoformat(),
                      source=f"synthetic:{number}")
    mentions, events = [], []
    for index in range(3):
        source, target = rng.sample(story["actors"], 2)
        code = ontology()[rng.choice(story["codes"])]
        start_char = index * 40
        src = Mention(Actor(source, source, source), source, start_char, start_char + 5,
                      0, index, "synthetic")
        tgt = Mention(Actor(target, target, target), target, start_char + 10, start_char + 15,
                      0, index, "synthetic")
        mentions += [src, tgt]
        events.append(Event(
            id=f"{number:012x}{index:04x}", article_id=article.id,
            source=ActorRef.of(src), target=ActorRef.of(tgt), cameo=code.code,
            cameo_root=code.root, quad_class=code.quad_class, goldstein=code.goldstein,
            plover_event=code.plover_event, plover_mode=code.plover_mode,
            sentence_start=start_char, sentence_end=start_char + 40,
            sentence_text=text[start_char:start_char + 40], trigger_start=start_char + 6,
            trigger_end=start_char + 9, rule="synthetic", confidence=0.8,
            date=day.isoformat(), date_precision="day"))
    return article, Analysis(article_id=article.id, words=len(words), mentions=mentions,
                             events=events)


class HashingEmbedder:
    """A stand-in for the encoder: the normalised sum of one random vector per word."""

    name = "hashing stand-in"
    dimensions = 384

    def __init__(self) -> None:
        self.words: dict[str, np.ndarray] = {}

    def embed(self, texts) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.split():
                vector = self.words.get(word)
                if vector is None:
                    vector = np.random.default_rng(zlib.crc32(word.encode())).standard_normal(
                        self.dimensions).astype(np.float32)
                    self.words[word] = vector
                out[row] += vector
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,25000,50000,100000")
    parser.add_argument("--probe", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(42)
    start = dt.date(2020, 1, 1)
    stories = [{"start": start + dt.timedelta(days=rng.randint(0, SPAN_DAYS)),
                "days": rng.randint(1, 30), "words": rng.sample(WORDS, 40),
                "actors": rng.sample(COUNTRIES, 4), "codes": rng.sample(CODES, 5)}
               for _ in range(6000)]
    total = sizes[-1] + 2 * args.probe * len(sizes)
    number = 0
    shipped = embed.load()
    shipped.embed(["warm up"])
    stand_in = HashingEmbedder()
    embed.load = lambda folder=None: stand_in  # the fill and the second probe
    with tempfile.TemporaryDirectory() as folder:
        with Ledger(Path(folder) / "grow.db") as ledger:
            print(f"{'articles':>9} {'ms per new article':>19} {'without encoding':>17} "
                  f"{'stories':>8} {'merged events':>14}")
            for size in sizes:
                while number < size:
                    count = min(args.batch, size - number)
                    ledger.store(make_article(rng, number + i, stories, start, total)
                                 for i in range(count))
                    number += count
                timings = []
                for embedder in (shipped, stand_in):
                    embed.load = lambda folder=None, embedder=embedder: embedder
                    probe = [make_article(rng, number + i, stories, start, total)
                             for i in range(args.probe)]
                    started = time.perf_counter()
                    ledger.store(probe)
                    timings.append(time.perf_counter() - started)
                    number += args.probe
                embed.load = lambda folder=None: stand_in
                counts = ledger.conn.execute(
                    "SELECT (SELECT COUNT(*) FROM stories), (SELECT COUNT(*) FROM merged_events)"
                ).fetchone()
                print(f"{size:>9,} {1000 * timings[0] / args.probe:>19.2f} "
                      f"{1000 * timings[1] / args.probe:>17.2f} {counts[0]:>8,} "
                      f"{counts[1]:>14,}", flush=True)


if __name__ == "__main__":
    main()
