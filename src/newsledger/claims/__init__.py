"""Claims: who asserts an event, who denies it, who confirms it.

    rules = speech_rules()
    sources = attribution(trigger, actors, rules)     # who says the event happened
    builder = ClaimBuilder(rules, lexicon)             # per article
"""

from __future__ import annotations

import functools

import yaml

from ..context.modality import ModalityRules
from ..resources import data_path
from .attribution import Source, attribution
from .rules import SpeechRules


@functools.cache
def _spec() -> dict:
    return yaml.safe_load(data_path("claims", "speech.yaml").read_text(encoding="utf-8"))


@functools.cache
def speech_rules() -> SpeechRules:
    spec = _spec()
    return SpeechRules(
        reporting=frozenset(spec["reporting"]),
        statement_nouns=frozenset(spec["statement_nouns"]),
        denial_verbs=frozenset(spec["denial_verbs"]),
        confirmation_verbs=frozenset(spec["confirmation_verbs"]),
        claim_nouns=frozenset(spec["claim_nouns"]),
        statement_code=str(spec["statement_code"]),
        accusation_code=str(spec["accusation_code"]),
        responsibility_code=str(spec["responsibility_code"]),
        responsibility_verbs=frozenset(spec["responsibility_verbs"]),
    )


@functools.cache
def modality_rules() -> ModalityRules:
    from ..events import load_frames

    spec = _spec()
    frames = load_frames()
    return ModalityRules(
        possible_auxiliaries=frozenset(spec["possible_auxiliaries"]),
        possible_governors=frozenset(spec["possible_governors"]),
        possible_adverbs=frozenset(spec["possible_adverbs"]),
        conditions=frozenset(spec["conditions"]),
        intention_frames=frames.modal - frames.commitment_verbs,
    )


from .build import ClaimBuilder  # noqa: E402  (uses the rules above)

__all__ = ["ClaimBuilder", "Source", "SpeechRules", "attribution", "modality_rules",
           "speech_rules"]
