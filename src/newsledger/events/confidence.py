"""How much to trust a coded event: a logistic model over the evidence behind it.

The weights live in ``data/events/confidence.json`` and are fitted by
``scripts/fit_confidence.py`` on labelled training sentences (the project's own event cases and
the pentacode training split), so that a confidence of 0.8 means about 8 in 10 such events are
right. The evidence: how the event was found (a verb pattern, a light verb with an event noun,
an event noun alone, a frame, a model), how specific the pattern is, whether it has a target,
whether an actor came through a reference ("he", "the ministry"), whether an actor's country is
unknown, how deep the trigger sits in the parse, and whether the sentence classifier agrees.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass

from ..resources import data_path

VIAS = ("lexicon", "light", "noun", "frame", "model")


@dataclass(frozen=True, slots=True)
class Evidence:
    via: str
    specificity: int
    has_target: bool
    by_reference: bool
    unknown_country: bool
    depth: int
    agreement: float | None = None


def features(evidence: Evidence) -> list[float]:
    """The feature vector of ``evidence``, in the order of ``FEATURES``."""
    return [
        *(1.0 if evidence.via == via else 0.0 for via in VIAS),
        min(evidence.specificity, 6) / 6,
        float(evidence.has_target),
        float(evidence.by_reference),
        float(evidence.unknown_country),
        min(evidence.depth, 8) / 8,
        evidence.agreement if evidence.agreement is not None else 0.5,
    ]


FEATURES = (*(f"via_{via}" for via in VIAS), "specificity", "has_target", "by_reference",
            "unknown_country", "depth", "agreement")


@functools.cache
def weights() -> tuple[list[float], float]:
    spec = json.loads(data_path("events", "confidence.json").read_text(encoding="utf-8"))
    return [float(spec["weights"][name]) for name in FEATURES], float(spec["bias"])


def confidence(evidence: Evidence) -> float:
    coefficients, bias = weights()
    score = bias + sum(w * x for w, x in zip(coefficients, features(evidence)))
    return 1.0 / (1.0 + math.exp(-score))
