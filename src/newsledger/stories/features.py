"""What an article is about, as a sparse vector of weighted features.

Words (lower case, stop words out) weighted by TF-IDF, with capitalised words counted double
(names say which story an article belongs to more than common words do); the countries and
organisations of its actors (``@PRK``), the people it names (``#kim jong un``), its places
(``$seoul``), and what happened in it (``!194``). The IDF comes from the ledger's own document frequencies, updated as articles
arrive. The stop words are the package's (``data/stories/stopwords.txt``) unless a caller passes
others (a ``Knowledge``'s, with a user's added).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

from ..resources import data_path
from ..model import Analysis, Article

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")
PROPER_WEIGHT = 2.0
ACTOR_WEIGHT = 1.5
PERSON_WEIGHT = 3.0
PLACE_WEIGHT = 2.0
EVENT_WEIGHT = 1.5


@functools.cache
def stopwords() -> frozenset[str]:
    """The package's stop words (``data/stories/stopwords.txt``), read once."""
    lines = data_path("stories", "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def terms(article: Article, stop: frozenset[str] | None = None) -> Counter[str]:
    """Word counts of the title and text, leaving out the words of ``stop`` (the package's
    ``stopwords()`` when None); capitalised words count double."""
    counts: Counter[str] = Counter()
    stop = stopwords() if stop is None else stop
    for text, weight in ((article.title or "", 2.0), (article.text, 1.0)):
        for match in _WORD.finditer(text):
            word = match.group(0)
            key = word.lower().removesuffix("'s").removesuffix("\u2019s").strip("'-")
            if key in stop or len(key) < 3:
                continue
            counts[key] += weight * (PROPER_WEIGHT if word[0].isupper() else 1.0)
    return counts


def entities(article: Article, analysis: Analysis) -> dict[str, float]:
    """Actors, people and places of the article as features."""
    found: dict[str, float] = {}
    for mention in analysis.mentions:
        if mention.role != "actor" or not mention.actor.country:
            continue
        key = "@" + mention.actor.country
        found[key] = found.get(key, 0.0) + ACTOR_WEIGHT
        if mention.rule.startswith("person:"):
            key = "#" + mention.actor.name.lower()
            found[key] = found.get(key, 0.0) + PERSON_WEIGHT
    for event in analysis.events:
        if event.polarity == "positive" and not event.content:  # what happened: "!194"
            key = "!" + event.cameo
            found[key] = found.get(key, 0.0) + EVENT_WEIGHT
        if event.location and event.location.get("name"):
            key = "$" + event.location["name"].lower()
            found[key] = found.get(key, 0.0) + PLACE_WEIGHT
    if article.dateline:
        found["$" + article.dateline.place.lower()] = PLACE_WEIGHT
    return found


def vector(counts: Counter[str], entity_features: dict[str, float], idf) -> dict[str, float]:
    """The article's unit-length feature vector; ``idf(term)`` weighs words."""
    weights = {term: (1.0 + math.log(count)) * idf(term) for term, count in counts.items()}
    for key, value in entity_features.items():
        weights[key] = (1.0 + math.log(value)) * 2.0
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {key: w / norm for key, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(k, 0.0) for k, w in a.items())
    norm_b = math.sqrt(sum(w * w for w in b.values())) or 1.0
    norm_a = math.sqrt(sum(w * w for w in a.values())) or 1.0
    return dot / (norm_a * norm_b)
