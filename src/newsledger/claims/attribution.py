"""Who says an event happened: the chain of sources above its trigger, nearest first.

Walking up from the event's trigger through the parse:

* "X said/stated/claimed/warned that S", "S, X said": the reporting verb's subject, or its
  passive agent ("was reported by state media");
* "according to X, S";
* "reports from X indicated that S", "X's statement said that S": a statement noun as subject
  gives the actor it comes from;
* "X, citing Y, said S": Y is the nearer source, X reports it;
* "in remarks reported by state media, Kim stated that S": Kim, then state media;
* "the accusations from Seoul and Washington that S": an accusation is a source too;
* nested reports ("state media reported that Kim said that S") give a chain: Kim, state media.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..actors.mentions import ActorMap
from ..model import Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .rules import SpeechRules

# How a reported clause hangs from the verb that reports it ("said that S", "S, X said"), and
# from a statement noun ("the accusations that S").
REPORTED_DEPS = ("ccomp", "xcomp", "parataxis")
NOUN_CONTENT_DEPS = ("acl", "ccomp", "relcl")
# Links through which a clause stays the same claim on the way up ("accused X of V-ing by W-ing").
INNER_DEPS = ("pcomp", "prep", "pobj", "conj")
# Verbs of a clause by which a speaker cites another source ("X, citing Y, said S").
CITING_VERBS = ("cite", "quote")


@dataclass(slots=True)
class Source:
    """One link of an attribution chain: the actors who say it, and how."""

    speakers: list[Mention]
    kind: str  # said | according to | reported by | citing | accusation | statement
    cue: Token  # the reporting verb, "according", or the statement noun
    verb: Token | None = None  # the reporting verb whose content the event is in
    cited: list[Mention] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(m.actor.code for m in self.speakers))


def attribution(trigger: Token, actors: ActorMap, rules: SpeechRules) -> list[Source]:
    """The sources of the event triggered by ``trigger``, nearest first."""
    chain: list[Source] = []
    seen: set[int] = set()
    node = trigger
    while True:
        _according_to(node, actors, chain, seen)
        for child in node.children:
            if child.dep_ == "parataxis" and child.lemma_.lower() in rules.reporting \
                    and child.i not in seen:  # "S, X said"
                _reported_by(child, actors, rules, chain, seen)
        head = node.head
        if head.i == node.i:
            break
        reporting = head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in rules.reporting
        if reporting and head.i not in seen and (
                node.dep_ in REPORTED_DEPS or (node.dep_ == "prep" and node.lower_ in (
                    "of", "for", "over"))):  # "accused X of V-ing"
            _reported_by(head, actors, rules, chain, seen)
        elif node.dep_ in NOUN_CONTENT_DEPS:
            if head.pos_ == "NOUN" and head.lemma_.lower() in rules.statement_nouns \
                    and head.i not in seen:
                speakers = _statement_speakers(head, actors)
                if speakers:  # "the accusations from Seoul and Washington that S"
                    kind = "accusation" if head.lemma_.lower() in (
                        "accusation", "allegation", "charge", "claim") else "statement"
                    chain.append(Source(speakers, kind, head))
                    seen.add(head.i)
        node = head
    return chain


def _reported_by(verb: Token, actors: ActorMap, rules: SpeechRules, chain: list[Source],
                 seen: set[int]) -> None:
    """Add the sources a reporting verb gives: whom its speakers cite, the speakers, then who
    reported the remarks it is in."""
    seen.add(verb.i)
    speakers = _verb_speakers(verb, actors, rules)
    cited = _cited(verb, actors)
    if cited:
        chain.append(Source(cited, "citing", verb, verb))
    if speakers:
        chain.append(Source(speakers, "said", verb, verb))
    chain.extend(_remarks_reporters(verb, actors, rules))


def _verb_speakers(verb: Token, actors: ActorMap, rules: SpeechRules) -> list[Mention]:
    """Who a reporting verb's speech is by: its subject ("X said"), the actor a statement noun
    as subject comes from ("reports from X indicated"), or its passive agent ("was reported by
    state media"); of several, the last counts."""
    speakers: list[Mention] = []
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            speakers = _actors(child, actors)
            if not speakers and child.lemma_.lower() in rules.statement_nouns:
                speakers = _statement_speakers(child, actors)
        elif child.dep_ == "agent":
            speakers = _object_actors(child, "pobj", actors)
    return speakers


def _cited(verb: Token, actors: ActorMap) -> list[Mention]:
    """Whom the speakers of a reporting verb cite ("X, citing Y, said S"): the objects of its
    last citing clause."""
    cited: list[Mention] = []
    for child in verb.children:
        if child.dep_ == "advcl" and child.lemma_.lower() in CITING_VERBS:
            cited = _object_actors(child, "dobj", actors)
    return cited


def _remarks_reporters(verb: Token, actors: ActorMap, rules: SpeechRules) -> list[Source]:
    """Who reported the remarks a reporting verb is in: "In remarks reported by state media,
    Kim stated that S" gives state media."""
    sources = []
    for clause in _remarks_clauses(verb, rules):
        reporters = [m for agent in clause.children if agent.dep_ == "agent"
                     for m in _object_actors(agent, "pobj", actors)]
        if reporters:
            sources.append(Source(reporters, "reported by", clause))
    return sources


def _remarks_clauses(verb: Token, rules: SpeechRules) -> list[Token]:
    """The reporting clauses on the statement nouns of a verb's "in" phrase ("in remarks
    reported by …")."""
    return [clause
            for child in verb.children if child.dep_ == "prep" and child.lower_ == "in"
            for noun in child.children
            if noun.dep_ == "pobj" and noun.lemma_.lower() in rules.statement_nouns
            for clause in noun.children
            if clause.dep_ == "acl" and clause.lemma_.lower() in rules.reporting]


def _object_actors(head: Token, dep: str, actors: ActorMap) -> list[Mention]:
    """The actors of ``head``'s objects of kind ``dep`` ("pobj" of a preposition or agent,
    "dobj" of a verb), with their conjuncts."""
    return [m for obj in head.children if obj.dep_ == dep for m in _actors(obj, actors)]


def _according_to(node: Token, actors: ActorMap, chain: list[Source], seen: set[int]) -> None:
    for child in node.children:
        if child.dep_ == "prep" and child.lower_ == "according" and child.i not in seen:
            seen.add(child.i)
            for to in child.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        found = _actors(obj, actors)
                        if found:
                            chain.append(Source(found, "according to", child))


def _statement_speakers(noun: Token, actors: ActorMap) -> list[Mention]:
    """Who a statement noun comes from: "reports from X", "X's statement", "the X report"."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            found = [m for obj in child.children if obj.dep_ == "pobj"
                     for m in _actors(obj, actors)]
            if found:
                return found
        if child.dep_ == "poss":
            found = _actors(child, actors)
            if found:
                return found
    return [m for m in actors.at(noun.i) if m.role == "modifier"]


def _actors(token: Token, actors: ActorMap) -> list[Mention]:
    members = [token]
    stack = [c for c in token.children if c.dep_ == "conj"]
    while stack:
        member = stack.pop(0)
        members.append(member)
        stack.extend(c for c in member.children if c.dep_ == "conj")
    return [m for member in members for m in actors.at(member.i) if m.role == "actor"]
