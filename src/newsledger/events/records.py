"""From events found in a sentence to ``Event`` records: codes looked up in the ontology,
stable ids, and a confidence computed from the evidence (see ``confidence.py``)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from ..model import ActorRef, Event, Mention
from .confidence import Evidence, confidence
from .extract import Found, pairs
from .ontology import ontology

if TYPE_CHECKING:
    from spacy.tokens import Span

REFERENCE_RULES = ("coref:", "appositive:", "relative:", "surname:", "state agent:")


def event_id(article_id: str, trigger_start: int, code: str, source: str, target: str | None
             ) -> str:
    key = f"{article_id}|{trigger_start}|{code}|{source}|{target or ''}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def to_events(found: Found, sentence: Span, article_id: str, *, symmetric: bool,
              agreement: float | None = None) -> list[Event]:
    """One ``Event`` per (source, target) pair of ``found``.

    agreement: how strongly the sentence classifier agrees with the event's class (0-1), when
        it was asked.
    """
    code = ontology()[found.code]
    trigger = found.trigger
    events = []
    for source, target in pairs(found, symmetric):
        evidence = Evidence(
            via=found.via, specificity=found.specificity, has_target=target is not None,
            by_reference=any(_by_reference(m) for m in (source, target) if m is not None),
            unknown_country=any(m.actor.country is None for m in (source, target)
                                if m is not None) or source is None,
            depth=found.depth, agreement=agreement)
        events.append(Event(
            id=event_id(article_id, trigger.idx, code.code,
                        source.actor.code if source else "", target.actor.code if target else None),
            article_id=article_id,
            source=ActorRef.of(source) if source else None,
            target=ActorRef.of(target) if target else None,
            cameo=code.code, cameo_root=code.root, quad_class=code.quad_class,
            goldstein=code.goldstein, plover_event=code.plover_event,
            plover_mode=code.plover_mode,
            sentence_start=sentence.start_char, sentence_end=sentence.end_char,
            sentence_text=sentence.text,
            trigger_start=trigger.idx, trigger_end=trigger.idx + len(trigger.text),
            rule=found.rule,
            confidence=(found.model_confidence if found.model_confidence is not None
                        else confidence(evidence)),
            polarity="negative" if found.negated else "positive",
            provenance=found.provenance,
            evidence=evidence,
        ))
    return events


def _by_reference(mention: Mention) -> bool:
    return mention.rule.startswith(REFERENCE_RULES)
