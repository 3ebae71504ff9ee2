"""How an event is told: asserted as fact, or possible, intended, future, conditional, or past
background. Negation is the event's polarity. None of these is coded as plain fact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Modality, values

if TYPE_CHECKING:
    from spacy.tokens import Token

MODALITIES = values(Modality)


@dataclass(frozen=True, slots=True)
class ModalityRules:
    possible_auxiliaries: frozenset[str]
    possible_governors: frozenset[str]
    possible_adverbs: frozenset[str]
    conditions: frozenset[str]
    intention_frames: frozenset[str]


def modality(trigger: Token, rules: ModalityRules, *, frame: str | None, future: bool,
             frame_coded: bool) -> str:
    """The modality of the event whose trigger is ``trigger``.

    frame: the frame verb governing it ("plan", "agree"…); frame_coded: whether the frame
    itself became the event's code (an intent 03x, a threat 13x), which is then asserted.
    """
    chain = _chain(trigger)
    if any(_conditional(node, rules) for node in chain):
        return "conditional"
    if any(_possible(node, rules) for node in chain):
        return "possible"
    if frame and not frame_coded and frame in rules.intention_frames:
        return "intended"
    if future:
        return "future"
    if any(c.dep_ == "aux" and c.lower_ == "had" for c in trigger.children) and \
            trigger.tag_ == "VBN":
        return "background"
    return "asserted"


def _chain(trigger: Token) -> list[Token]:
    """The trigger and the verbs above it within its clause (through xcomp links)."""
    chain, node = [trigger], trigger
    while node.dep_ in ("xcomp", "conj") and node.head.i != node.i:
        node = node.head
        chain.append(node)
    return chain


def _conditional(node: Token, rules: ModalityRules) -> bool:
    if node.dep_ != "advcl":
        return False
    return any(c.dep_ in ("mark", "aux") and c.lower_ in rules.conditions for c in node.children)


def _possible(node: Token, rules: ModalityRules) -> bool:
    for child in node.children:
        if child.dep_ == "aux" and child.lower_ in rules.possible_auxiliaries:
            return True
        if child.dep_ == "advmod" and child.lower_ in rules.possible_adverbs:
            return True
    head = node.head
    # "risks escalating the conflict", "could lead to": a governing verb of possibility
    return node.dep_ in ("xcomp", "ccomp", "pcomp") and head.lemma_.lower() in \
        rules.possible_governors and head.i != node.i
