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

from bisect import bisect_left, insort
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Actor, Mention
from .codes import UNKNOWN_COUNTRY, compose, country_of, split_code
from .mentions import ActorMap, Candidate, CodeNames, conjuncts

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .kb import KnowledgeBase

PERSONAL = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
NEUTER = frozenset({"it", "its", "itself"})
PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
RELATIVE = frozenset({"who", "which", "that", "whom", "whose"})
STATE_WORDS = frozenset({"state", "state-run", "state-owned", "state-controlled", "official"})
# "his country" is his own; "its allies" are others.
SELF_NOUNS = frozenset({"country", "nation", "state", "government"})
# what a person's possessive hands on its country: "his troops", not "his lawyer"
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG"})
PRONOUN_WINDOW = 3  # sentences back


@dataclass(slots=True)
class _Seen:
    mention: Mention
    candidate: Candidate


def _position(seen: _Seen) -> int:
    return seen.candidate.head.i


class Reference:
    """Completes the candidates of one article into an ``ActorMap``."""

    def __init__(self, kb: KnowledgeBase, names: CodeNames, doc: Doc, day=None) -> None:
        self.kb = kb
        self.code_names = names
        self.day = day
        self.doc = doc
        self.sentence_of = {}
        for number, sentence in enumerate(doc.sents):
            for token in sentence:
                self.sentence_of[token.i] = number
        # the actors seen so far in text order, and those with a country by head lemma and by
        # sector, so that "the nearest before" is a bisection, not a walk back over the article
        self.seen: list[_Seen] = []
        self.by_lemma: dict[str, list[_Seen]] = {}
        self.by_sector: dict[str, list[_Seen]] = {}
        self.names: dict[str, list[tuple[str, str, str]]] = {}
        self.result = ActorMap()
        self.by_head: dict[int, list[Mention]] = {}

    def complete(self, candidates: list[Candidate]) -> ActorMap:
        """Emit the phrases that name their actor, then resolve the references in text order
        (a reference only looks at what came before it, names aside)."""
        ordered = sorted(candidates, key=lambda c: c.head.i)
        for candidate in ordered:
            if not candidate.needs_reference:
                for code, name, rule in candidate.codes:
                    self._emit(candidate, code, name, rule)
        for candidate in ordered:
            if candidate.needs_reference:
                for code, name, rule in self._refer(candidate) or candidate.codes:
                    self._emit(candidate, code, name, rule)
        return self.result

    # -- output --

    def _emit(self, candidate: Candidate, code: str, name: str, rule: str) -> None:
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
        if candidate.role == "actor":
            seen = _Seen(mention, candidate)
            insort(self.seen, seen, key=_position)
            if country:
                if candidate.agent:
                    lemma = candidate.head.lemma_.casefold()
                    insort(self.by_lemma.setdefault(lemma, []), seen, key=_position)
                if sector:
                    insort(self.by_sector.setdefault(sector, []), seen, key=_position)
            if not code.startswith(UNKNOWN_COUNTRY):
                self._remember_name(candidate, code, name, rule)

    def _pronoun_kind(self, candidate: Candidate) -> str:
        word = candidate.head.lower_
        if candidate.kind == "country-ref":
            return "country"
        return "person" if word in PERSONAL else "group" if word in PLURAL else "organization"

    def _remember_name(self, candidate: Candidate, code: str, name: str, rule: str) -> None:
        # A person, or a dictionary entry the parser reads as a person's name (PETRARCH lists
        # people and organisations alike).
        named_person = candidate.head.ent_type_ == "PERSON" and rule.startswith("petrarch:")
        if candidate.kind != "person" and not named_person:
            return
        full = candidate.surname or (name if rule.startswith("person:") or named_person
                                     else None)
        if not full:
            return
        words = full.replace("-", " ").split()
        keys = {full.casefold(), words[-1].casefold()}
        if country_of(code) in self.kb.family_name_first:
            keys.add(words[0].casefold())
        for key in keys:
            known = self.names.setdefault(key, [])
            if code not in {c for c, _, _ in known}:
                known.append((code, name, rule))

    # -- reference --

    def _refer(self, candidate: Candidate) -> list[tuple[str, str, str]]:
        head = candidate.head
        if head.dep_ == "appos" and head.head.i in self.by_head:
            same = [(m.actor.code, candidate.surname or m.actor.name, f"appositive:{m.text}")
                    for m in self.by_head[head.head.i]
                    if not m.actor.code.startswith(UNKNOWN_COUNTRY) and _compatible(candidate, m)]
            if same:
                return same
        for child in head.children:
            if child.dep_ == "appos" and child.i in self.by_head:
                same = [(m.actor.code, candidate.surname or m.actor.name, f"appositive:{m.text}")
                        for m in self.by_head[child.i]
                        if not m.actor.code.startswith(UNKNOWN_COUNTRY) and _compatible(candidate, m)]
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

    def _recent(self, candidate: Candidate, window: int | None = None) -> list[_Seen]:
        """Actors seen before ``candidate``, nearest first (within ``window`` sentences)."""
        return list(self.before(candidate, window))

    def before(self, candidate: Candidate, window: int | None = None) -> Iterator[_Seen]:
        """Actors seen before ``candidate``, nearest first, one at a time (within ``window``
        sentences): a caller that stops early reads only as far back as it needs."""
        here = self.sentence_of.get(candidate.head.i, 0)
        for index in range(bisect_left(self.seen, candidate.head.i, key=_position) - 1, -1, -1):
            seen = self.seen[index]
            if window is not None and here - seen.mention.sentence > window:
                return  # text order: every earlier actor is further back still
            yield seen

    def _salient(self, candidate: Candidate, window: int) -> list[_Seen]:
        """Actors seen before ``candidate``: this sentence's subjects first, then by sentence,
        subjects before other phrases, nearest first."""
        here = self.sentence_of.get(candidate.head.i, 0)
        recent = self._recent(candidate, window)
        return sorted(recent, key=lambda s: (here - s.mention.sentence,
                                             not _is_subject(s.candidate.head),
                                             not _is_main_subject(s.candidate.head),
                                             -s.candidate.head.i))

    def _state_agent(self, candidate: Candidate) -> list[tuple[str, str, str]]:
        """"state media", "state television": the state of the actor the passage is about."""
        sector = candidate.agent.sector if candidate.agent else ""
        for seen in self._salient(candidate, 1):
            country = seen.mention.actor.country
            if country and len(country) == 3 and seen.mention.actor.sector in (None, "GOV",
                                                                                  "MIL"):
                return [(country + sector, f"{self.code_names.code_name(country)} "
                         f"{self.kb.sector_label(sector)}",
                         f"state agent:{candidate.span.text} → {seen.mention.text}")]
        return []

    def _pronoun(self, candidate: Candidate) -> list[tuple[str, str, str]]:
        word = candidate.head.lower_
        if word in RELATIVE:
            return self._relative(candidate)
        recent = self._salient(candidate, PRONOUN_WINDOW)
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
                if len(conjuncts(seen.candidate.head)) > 1 or seen.mention.plural:
                    return [self._pointing(m, word) for m in group]
            for seen in recent:  # "The US claimed that they had …": a state as "they"
                if seen.mention.kind in ("country", "organization"):
                    return [self._pointing(seen.mention, word)]
        return []

    def _relative(self, candidate: Candidate) -> list[tuple[str, str, str]]:
        """"South Korea, which has resisted …": the relative pronoun is its antecedent."""
        clause = candidate.head.head
        if clause.dep_ != "relcl":
            return []
        antecedent = clause.head
        return [(m.actor.code, m.actor.name, f"relative:{candidate.head.text} → {m.text}")
                for m in self.by_head.get(antecedent.i, []) if m.role == "actor"]

    def _group(self, seen: _Seen) -> list[Mention]:
        """The mentions of a coordinated phrase ("Seoul and Washington") or of one plural head."""
        heads = conjuncts(seen.candidate.head)
        group = [m for h in heads for m in self.by_head.get(h.i, []) if m.role == "actor"
                 and not m.actor.code.startswith(UNKNOWN_COUNTRY)]
        return group or [seen.mention]

    def _pointing(self, mention: Mention, word: str) -> tuple[str, str, str]:
        return mention.actor.code, mention.actor.name, f"coref:{word} → {mention.text}"

    def _name(self, candidate: Candidate) -> list[tuple[str, str, str]]:
        key = (candidate.surname or "").casefold()
        if key in self.names:
            return [(code, name, f"coref:{candidate.surname} → {rule}")
                    for code, name, rule in self.names[key]]
        words = key.replace("-", " ").split()
        if words and words[-1] in self.names:
            return [(code, name, f"coref:{candidate.surname} → {rule}")
                    for code, name, rule in self.names[words[-1]]]
        # A bare surname links to a person of the knowledge base only with a title in its own
        # phrase ("President Putin", "Director-General Chan"); else only a full name earlier in
        # the article links it (``self.names`` above). The role must be held on the article's
        # date; in an undated article only a role without an end date is taken.
        people = self.kb.surnames.get(key, []) if len(words) == 1 and (
            candidate.agent is not None) else []
        day = self.day
        holders = [(p, p.role_on(day)) for p in people]
        holders = [(p, r) for p, r in holders if r is not None and (
            r.active(day) if day is not None else r.end is None)]
        if len(holders) == 1:
            person, role = holders[0]
            return [(role.code, person.name,
                 f"surname:{candidate.span.text} → person:{person.name}")]
        return []

    def _definite(self, candidate: Candidate) -> list[tuple[str, str, str]]:
        if _is_state_agent(candidate):
            return self._state_agent(candidate)
        if not _is_definite(candidate.head):
            return []
        owned = self._possessed(candidate)
        if owned:
            return owned
        # the nearest earlier actor with a country and the same head noun, else the same sector
        lemma = candidate.head.lemma_.casefold()
        sector = candidate.agent.sector if candidate.agent else None
        for index in (self.by_lemma.get(lemma), self.by_sector.get(sector) if sector else None):
            nearest = _last_before(index or [], candidate.head.i)
            if nearest is not None:
                return [self._pointing(nearest.mention, candidate.span.text)]
        return []


    def _possessed(self, candidate: Candidate) -> list[tuple[str, str, str]]:
        """"its forces", "their troops", "his government": the agent of the possessor's
        country (the possessive pronoun is resolved first: it comes earlier in the text)."""
        head = candidate.head
        possessors = [c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"]
        if not possessors or candidate.agent is None or head.lemma_.casefold() in SELF_NOUNS:
            return []
        if possessors[0].lower_ in PERSONAL and candidate.agent.sector not in STATE_SECTORS:
            return []  # "his government" is his country's; "his lawyer" need not be
        codes = []
        for mention in self.by_head.get(possessors[0].i, []):
            country = mention.actor.country
            if not country:
                continue
            base = mention.actor.code if len(country) > 3 else country
            code = compose(base, [candidate.agent.sector])
            if code not in {c for c, _, _ in codes}:
                codes.append((code, self.code_names.composed_name(country, [candidate.agent.sector]),
                              f"coref:{possessors[0].text} {head.text} → {mention.text}"))
        return codes


def _is_definite(head) -> bool:
    """"the official", "these forces", "his government" (not "officials", "10,000 soldiers")."""
    return any(child.dep_ in ("det", "poss") and child.lower_ in (
        "the", "this", "that", "these", "those", "his", "her", "its", "their")
               for child in head.children)


def _is_main_subject(token) -> bool:
    """The subject of its sentence's main clause ("A journalist said Mexico's president had
    lied": the journalist), which a later "he" refers to before an embedded clause's subject."""
    node = token.head if token.dep_ != "conj" else token.head.head
    return node.dep_ == "ROOT"


def _is_subject(token) -> bool:
    return token.dep_ in ("nsubj", "nsubjpass") or (
        token.dep_ == "conj" and token.head.dep_ in ("nsubj", "nsubjpass"))


def _is_state_agent(candidate: Candidate) -> bool:
    """"state media", "state-run television", "official news agency" with no country."""
    words = {token.lower_ for token in candidate.span}
    return bool(words & STATE_WORDS) and candidate.agent is not None and \
        candidate.agent.sector in ("MED", "GOVMED")


def _compatible(candidate: Candidate, mention: Mention) -> bool:
    """Can two phrases in apposition be one actor? A person is not an organisation."""
    people = {"person"}
    return (candidate.kind in people) == (mention.kind in people)


def country_reference(reference: Reference, candidate: Candidate) -> list[tuple[str, str, str]]:
    """"his country" → the country of the pronoun's referent; "the two nations" → the last two
    countries; "the country" → the last country."""
    head = candidate.head
    possessors = [c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"]
    if possessors and head.lemma_.casefold() in SELF_NOUNS:
        pointed = reference.by_head.get(possessors[0].i, [])
        codes = []
        for mention in pointed:
            country = mention.actor.country
            if country:
                codes.append((country, reference.code_names.code_name(country),
                              f"coref:{possessors[0].text} {head.text} → {mention.text}"))
        return codes
    counted = any(c.lower_ in ("two", "both") for c in head.children)
    if not counted and head.lemma_.casefold() not in SELF_NOUNS:
        return []
    countries: list[Mention] = []
    for seen in reference.before(candidate):
        country = seen.mention.actor.country
        if country and country not in {m.actor.country for m in countries}:
            countries.append(seen.mention)
        if len(countries) == (2 if counted else 1):
            break
    return [(m.actor.country, reference.code_names.code_name(m.actor.country),
             f"coref:{candidate.span.text} → {m.text}") for m in countries]


def _last_before(seen: list[_Seen], position: int) -> _Seen | None:
    """The last of ``seen`` (in text order) whose head comes before token ``position``."""
    index = bisect_left(seen, position, key=_position)
    return seen[index - 1] if index else None
