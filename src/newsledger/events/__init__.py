"""Events: find event predicates in the parse and code them (CAMEO, Goldstein, PLOVER).

    coder = Coder.default()
    for found in coder.sentence_events(sentence, actors): ...
"""

from __future__ import annotations

import functools

import yaml

from ..resources import data_path
from .extract import Extractor, Found, Frames, pairs
from .lexicon import Lexicon, Pattern, default_lexicon
from .ontology import Code, Ontology, ontology

__all__ = ["Code", "Coder", "Extractor", "Found", "Frames", "Lexicon", "Ontology", "Pattern",
           "default_coder", "ontology", "pairs"]


def load_frames() -> Frames:
    spec = yaml.safe_load(data_path("events", "frames.yaml").read_text(encoding="utf-8")) or {}
    coded = {verb: {str(k): str(v) for k, v in table.items()}
             for verb, table in (spec.get("coded") or {}).items()}
    commitment = spec.get("commitment") or {}
    return Frames(
        modal=frozenset(spec.get("modal", [])),
        symmetric=frozenset(str(code) for code in spec.get("symmetric", [])),
        coded={verb: {k: v for k, v in table.items() if k not in ("target", "object")}
               for verb, table in coded.items()},
        object_frames=frozenset(verb for verb, table in coded.items()
                                if table.get("object") == "required"),
        agent_targets=frozenset(verb for verb, table in coded.items()
                                if table.get("target") == "agent"),
        commitment_verbs=frozenset(commitment.get("verbs", []))
        | frozenset(commitment.get("adjectives", [])),
        commitment_codes={str(k): str(v) for k, v in (commitment.get("codes") or {}).items()},
        refusal={str(k): str(v) for k, v in (spec.get("refusal") or {}).items()},
        reporting=frozenset(spec.get("reporting", [])),
    )


class Coder(Extractor):
    """The event extractor with the package's lexicon and frames."""


@functools.cache
def default_coder() -> Coder:
    return Coder(default_lexicon(), load_frames())
