"""Events: find event predicates in the parse and code them (CAMEO, Goldstein, PLOVER).

    coder = Coder.default()
    for found in coder.sentence_events(sentence, actors): ...
"""

from __future__ import annotations

import yaml

from ..resources import data_path
from .extract import Extractor, Found, Frames, pairs
from .lexicon import Lexicon, Pattern
from .ontology import Code, Ontology, ontology

__all__ = ["Code", "Coder", "Extractor", "Found", "Frames", "Lexicon", "Ontology", "Pattern",
           "default_coder", "ontology", "pairs"]


def load_frames() -> Frames:
    """The frames of the package's ``data/events/frames.yaml`` (a ``Knowledge`` adds a user's:
    ``newsledger.knowledge``)."""
    from ..knowledge import frames_from

    spec = yaml.safe_load(data_path("events", "frames.yaml").read_text(encoding="utf-8")) or {}
    return frames_from(spec)


class Coder(Extractor):
    """The event extractor with the package's lexicon and frames."""


def default_coder() -> Extractor:
    """The rule coder of the default ``Knowledge`` (``newsledger.knowledge.default``)."""
    from ..knowledge import default

    return default().coder
