"""Within-article reference: phrases that point back to an actor named before.

Handled, in text order, from what the article has said so far:

* pronouns: "he"/"she"/"his" → the last person; "it"/"its" → the last country or organisation;
  "they"/"their" → the last plural actor or coordinated group;
* "his country", "its country" → the country of the pronoun's referent;
* "the country", "the nation" → the last country; "the two nations", "both countries",
  "both sides" → the last two distinct countries;
* a definite agent without a country ("the official", "the ministry") → the last actor with the
  same head noun, else the same sector;
* a name seen before in full ("Kim" after "Kim Jong Un", "Pak Jong Chon" again), an appositive
  ("the official, Pak Jong Chon,"), or a surname that one person in the knowledge base holds on
  the article's date ("Putin").

This is deliberately simple, local and explainable: each resolved mention's rule names the phrase
it points to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Actor, Mention
from .resolve import ActorMap, _Candidate, _conjuncts, split_code

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .resolve import Resolver

PERSONAL = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
NEUTER = frozenset({"it", "its", "itself"})
PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
PRONOUN_WINDOW = 3  # sentences back


@dataclass(slots=True)
class _Seen:
    mention: Mention
    candidate: _Candidate


class Reference:
    """Completes the candidates of one article into an ``ActorMap``."""

    def __init__(self, resolver: Resolver, doc: Doc, day=None) -> None:
        self.resolver = resolver
        self.day = day
        self.kb = resolver.kb
        self.doc = doc
        self.sentence_of = {}
        for number, sentence in enumerate(doc.sents):
            for token in sentence:
                self.sentence_of[token.i] = number
        self.seen: list[_Seen] = []
        self.names: dict[str, list[tuple[str, str, str]]] = {}
        self.result = ActorMap()
        self.by_head: dict[int, list[Mention]] = {}

    def complete(self, candidates: list[_Candidate]) -> ActorMap:
        for candidate in sorted(candidates, key=lambda c: c.head.i):
            codes = candidate.codes
            if candidate.needs_reference:
                codes = self._refer(candidate) or codes
            for code, name, rule in codes:
                self._emit(candidate, code, name, rule)
        return self.result

    # -- output --

    def _emit(self, candidate: _Candidate, code: str, name: str, rule: str) -> None:
        country, sector = split_code(code, self.kb.sectors)
        span = candidate.span
        mention = Mention(
            actor=Actor(code=code, name=name, country=country, sector=sector),
            text=span.text, start=span.start_char, end=span.end_char, head=candidate.head.i,
            sentence=self.sentence_of.get(candidate.head.i, 0), rule=rule,
            kind=self._pronoun_kind(candidate) if candidate.kind in ("pronoun", "country-ref")
            else candidate.kind,
            plural=candidate.plural, role=candidate.role)
        self.result.add(mention)
        self.by_head.setdefault(candidate.head.i, []).append(mention)
        if candidate.role == "actor" and not code.startswith("---"):
            self.seen.append(_Seen(mention, candidate))
            self._remember_name(candidate, code, name, rule)

    def _pronoun_kind(self, candidate: _Candidate) -> str:
        word = candidate.head.lower_
        if candidate.kind == "country-ref":
            return "country"
        return "person" if word in PERSONAL else "group" if word in PLURAL else "organization"

    def _remember_name(self, candidate: _Candidate, code: str, name: str, rule: str) -> None:
        if candidate.kind != "person":
            return
        full = candidate.surname or (name if rule.startswith("person:") else None)
        if not full:
            return
        words = full.replace("-", " ").split()
        keys = {full.casefold(), words[-1].casefold()}
        if code[:3] in self.kb.family_name_first:
            keys.add(words[0].casefold())
        for key in keys:
            self.names.setdefault(key, [])
            if (code, name, rule) not in self.names[key]:
                self.names[key].append((code, name, rule))

    # -- reference --

    def _refer(self, candidate: _Candidate) -> list[tuple[str, str, str]]:
        head = candidate.head
        if head.dep_ == "appos" and head.head.i in self.by_head:
            same = [(m.actor.code, candidate.surname or m.actor.name, f"appositive:{m.text}")
                    for m in self.by_head[head.head.i]
                    if not m.actor.code.startswith("---") and _compatible(candidate, m)]
            if same:
                return same
        if candidate.kind == "pronoun":
            return self._pronoun(candidate)
        if candidate.kind == "country-ref":
            return country_reference(self, candidate)
        if candidate.surname is not None:
            return self._name(candidate)
        if candidate.agent is not None:
            return self._definite(candidate)
        return []

    def _recent(self, candidate: _Candidate, window: int | None = None) -> list[_Seen]:
        """Actors seen before ``candidate``, nearest first (within ``window`` sentences)."""
        here = self.sentence_of.get(candidate.head.i, 0)
        found = [s for s in reversed(self.seen) if s.candidate.head.i < candidate.head.i]
        if window is not None:
            found = [s for s in found if here - s.mention.sentence <= window]
        return found

    def _pronoun(self, candidate: _Candidate) -> list[tuple[str, str, str]]:
        word = candidate.head.lower_
        recent = self._recent(candidate, PRONOUN_WINDOW)
        if word in PERSONAL:
            for seen in recent:
                if seen.mention.kind == "person" and not seen.mention.plural:
                    return [self._pointing(seen.mention, word)]
        elif word in NEUTER:
            for seen in recent:
                if seen.mention.kind in ("country", "organization") and not seen.mention.plural:
                    return [self._pointing(seen.mention, word)]
        elif word in PLURAL:
            for seen in recent:
                group = self._group(seen)
                if len(group) > 1 or seen.mention.plural:
                    return [self._pointing(m, word) for m in group]
        return []

    def _group(self, seen: _Seen) -> list[Mention]:
        """The mentions of a coordinated phrase ("Seoul and Washington") or of one plural head."""
        heads = _conjuncts(seen.candidate.head)
        group = [m for h in heads for m in self.by_head.get(h.i, []) if m.role == "actor"
                 and not m.actor.code.startswith("---")]
        return group or [seen.mention]

    def _pointing(self, mention: Mention, word: str) -> tuple[str, str, str]:
        return mention.actor.code, mention.actor.name, f"coref:{word} → {mention.text}"

    def _name(self, candidate: _Candidate) -> list[tuple[str, str, str]]:
        key = (candidate.surname or "").casefold()
        if key in self.names:
            return [(code, name, f"coref:{candidate.surname} → {rule}")
                    for code, name, rule in self.names[key]]
        words = key.replace("-", " ").split()
        if words and words[-1] in self.names:
            return [(code, name, f"coref:{candidate.surname} → {rule}")
                    for code, name, rule in self.names[words[-1]]]
        people = self.kb.surnames.get(key, []) if len(words) == 1 else []
        day = self.day
        holders = [(p, p.role_on(day)) for p in people]
        holders = [(p, r) for p, r in holders if r is not None and (day is None or r.active(day))]
        if len(holders) == 1:
            person, role = holders[0]
            return [(role.code, person.name, f"surname:{candidate.surname} → person:{person.name}")]
        return []

    def _definite(self, candidate: _Candidate) -> list[tuple[str, str, str]]:
        lemma = candidate.head.lemma_.casefold()
        sector = candidate.agent.sector if candidate.agent else None
        recent = self._recent(candidate)
        for seen in recent:
            if seen.candidate.agent and seen.candidate.head.lemma_.casefold() == lemma:
                return [self._pointing(seen.mention, candidate.span.text)]
        for seen in recent:
            if sector and seen.mention.actor.sector == sector:
                return [self._pointing(seen.mention, candidate.span.text)]
        return []


def _compatible(candidate: _Candidate, mention: Mention) -> bool:
    """Can two phrases in apposition be one actor? A person is not an organisation."""
    people = {"person"}
    return (candidate.kind in people) == (mention.kind in people)


def country_reference(reference: Reference, candidate: _Candidate) -> list[tuple[str, str, str]]:
    """"his country" → the country of the pronoun's referent; "the two nations" → the last two
    countries; "the country" → the last country."""
    head = candidate.head
    possessors = [c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"]
    if possessors:
        pointed = reference.by_head.get(possessors[0].i, [])
        codes = []
        for mention in pointed:
            country = mention.actor.country
            if country:
                codes.append((country, reference.resolver._code_name(country),
                              f"coref:{possessors[0].text} {head.text} → {mention.text}"))
        return codes
    counted = any(c.lower_ in ("two", "both") for c in head.children)
    countries: list[Mention] = []
    for seen in reference._recent(candidate):
        country = seen.mention.actor.country
        if country and country not in {m.actor.country for m in countries}:
            countries.append(seen.mention)
        if len(countries) == (2 if counted else 1):
            break
    return [(m.actor.country, reference.resolver._code_name(m.actor.country),
             f"coref:{candidate.span.text} → {m.text}") for m in countries]
