"""A sentence's event class from its coded events and the sentence classifier.

The rules give structure; the classifier decides where the rules are unsure. A sentence's class
is its main event's when that event's confidence reaches the threshold fitted by
``scripts/fit_confidence.py``, else the classifier's most probable class.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping

from ..resources import data_path
from ..model import Event


@functools.cache
def decision_threshold() -> float:
    spec = json.loads(data_path("events", "confidence.json").read_text(encoding="utf-8"))
    return float(spec.get("decision_threshold", 0.5))


def main_event(events: Iterable[Event], *, need_plover: bool = False) -> Event | None:
    """The sentence's main event: events come nearest-the-root first; negated ones are not
    events that happened."""
    for event in events:
        if event.polarity != "positive":
            continue
        if need_plover and not event.plover_event:
            continue
        return event
    return None


def sentence_class(events: Iterable[Event], probabilities: Mapping[str, float] | None,
                   threshold: float | None = None) -> int | None:
    """The pentacode class (0 statement, 1-4 quad class) of a sentence."""
    threshold = decision_threshold() if threshold is None else threshold
    main = main_event(events)
    if main is not None and (probabilities is None or main.confidence >= threshold):
        return 0 if main.cameo_root == "01" else main.quad_class
    if probabilities:
        return int(max(probabilities, key=probabilities.get))
    return None
