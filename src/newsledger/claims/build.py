"""Build the claims of one article from its events, their sources, and its denials.

* An event with sources is asserted by its nearest source ("Seoul and Washington accuse … that
  North Korea had sent troops" → asserted by KOR, USA).
* A denial over a clause or a gerund ("denied that it had sent troops", "denied attacking the
  tanker") denies the events in it.
* A denial over a noun refers back: an event noun to an event of the same kind ("denied the
  troop deployment" → the sending of troops), a claim noun to a claim ("denied the reports"),
  other nouns ("denied such transfers") to the latest claim; events done by the denier come
  first. Confirmations work the same way.
* Status: reported, disputed (asserted and denied), denied (only denied), confirmed (by the
  actor who did it, or asserted and confirmed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..actors.codes import country_of
from ..model import Claim, ClaimStatus, Event, Mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..actors.mentions import ActorMap
    from ..events.lexicon import Lexicon
    from .attribution import Source
    from .rules import SpeechRules


@dataclass(slots=True)
class _Stance:
    """A denial or confirmation: who, over what (events, or a noun that refers back)."""

    role: str  # denied | confirmed
    by: list[Mention]
    verb: Token
    sentence: Span
    events: list[Event] = field(default_factory=list)
    referent: Token | None = None


@dataclass(slots=True)
class _Coded:
    event: Event
    trigger: Token
    sources: list[Source]
    position: int


class ClaimBuilder:
    """Collects an article's events, sources and stances, then makes its claims."""

    def __init__(self, rules: SpeechRules, lexicon: Lexicon, article_id: str) -> None:
        self.rules = rules
        self.lexicon = lexicon
        self.article_id = article_id
        self.coded: list[_Coded] = []
        self.stances: list[_Stance] = []

    # -- collecting --

    def add_event(self, event: Event, trigger: Token, sources: list[Source]) -> None:
        self.coded.append(_Coded(event, trigger, sources, trigger.i))

    def scan_stances(self, sentence: Span, actors: ActorMap, events: list[tuple[Event, Token]]
                     ) -> None:
        """Find denials and confirmations in ``sentence``; ``events`` are its coded events."""
        for verb in sentence:
            role = self._stance_role(verb)
            if role is None:
                continue
            by = _subject_actors(verb, actors)
            if not by:
                continue
            stance = _Stance(role, by, verb, sentence, _complement_events(verb, events))
            if not stance.events:
                stance.referent = _first_object(verb)
            if stance.events or stance.referent is not None:
                self.stances.append(stance)

    def _stance_role(self, token: Token) -> str | None:
        """The stance ``token`` takes as a verb of denial ("denied") or of confirmation
        ("confirmed"); None for any other token."""
        lemma = token.lemma_.lower()
        role = ("denied" if lemma in self.rules.denial_verbs else
                "confirmed" if lemma in self.rules.confirmation_verbs else None)
        if role is None or token.pos_ not in ("VERB", "AUX"):
            return None
        return role

    # -- building --

    def claims(self) -> list[Claim]:
        claims: dict[str, Claim] = {}

        def claim_for(event: Event) -> Claim:
            if event.id not in claims:
                claims[event.id] = Claim(
                    id=hashlib.sha1(f"claim|{event.id}".encode()).hexdigest()[:16],
                    article_id=self.article_id, event_id=event.id)
            return claims[event.id]

        for coded in self.coded:
            if not coded.sources or coded.event.content:
                continue
            nearest = coded.sources[0]
            claim = claim_for(coded.event)
            _add(claim.asserted_by, nearest.codes)
            claim.evidence.append(_evidence("asserted", nearest.codes, nearest.cue,
                                            coded.event))
        for stance in self.stances:
            targets = ([self._restated(e, stance) or e for e in stance.events]
                       or self._referred(stance, claims))
            for event in targets:
                claim = claim_for(event)
                codes = [m.actor.code for m in stance.by]
                _add(claim.denied_by if stance.role == "denied" else claim.confirmed_by, codes)
                claim.evidence.append(_evidence(stance.role, codes, stance.verb, event,
                                                sentence=stance.sentence))
        for claim in claims.values():
            claim.status = _status(claim, self._event(claim.event_id))
        return list(claims.values())

    def _event(self, event_id: str) -> Event | None:
        return next((c.event for c in self.coded if c.event.id == event_id), None)

    def _restated(self, event: Event, stance: _Stance) -> Event | None:
        """An earlier reported event that ``event`` (denied or confirmed) restates: "Manila said
        Chinese ships attacked the boat. Beijing denied that its forces attacked the boat." The
        same kind of event by the same country, the targets not contradicting each other."""
        if event.source is None:
            return None
        doer = country_of(event.source.code)
        for coded in reversed(self.coded):
            earlier = coded.event
            if (coded.position >= stance.verb.i or earlier.content or not coded.sources
                    or earlier.source is None or country_of(earlier.source.code) != doer):
                continue
            same_kind = earlier.cameo_root == event.cameo_root or (
                earlier.plover_event is not None and earlier.plover_event == event.plover_event)
            targets_agree = event.target is None or earlier.target is None or (
                country_of(event.target.code) == country_of(earlier.target.code))
            # a denied act is negative when the learned coder reads the denial ("denied that
            # its forces attacked"): it still restates the earlier, positive report
            polarity_agrees = earlier.polarity == event.polarity or (
                stance.role == "denied" and event.polarity == "negative")
            if same_kind and targets_agree and polarity_agrees:
                return earlier
        return None

    def _referred(self, stance: _Stance, claims: dict[str, Claim]) -> list[Event]:
        """The events a noun in a denial or confirmation refers back to."""
        noun = stance.referent
        earlier = [c for c in self.coded if c.position < stance.verb.i and not c.event.content]
        if noun is None or not earlier:
            return []
        candidates = self._referent_candidates(noun, earlier, claims)
        if not candidates:
            return []
        countries = {m.actor.country for m in stance.by if m.actor.country}
        return _latest_event(candidates, countries)

    def _referent_candidates(self, noun: Token, earlier: list[_Coded], claims: dict[str, Claim]
                             ) -> list[_Coded]:
        """The earlier events ``noun`` may refer to: an event noun those of its kind ("denied
        the troop deployment"), a claim noun the claims ("denied the reports"), another noun
        the claims or else the last three events ("such transfers")."""
        pattern = self.lexicon.match_noun(noun)
        if pattern is not None and pattern.code not in (None, "light"):
            return _of_kind(earlier, pattern.code)
        claimed = [c for c in earlier if c.event.id in claims]
        if noun.lemma_.lower() in self.rules.claim_nouns:
            return claimed
        return claimed or earlier[-3:]


def _of_kind(coded: list[_Coded], code: str) -> list[_Coded]:
    """The events of ``coded`` of the kind of event code ``code``: the same CAMEO root, or the
    same PLOVER event."""
    kind = code[:2]
    return [c for c in coded if c.event.cameo_root == kind or (
        c.event.plover_event and _plover(code) == c.event.plover_event)]


def _latest_event(candidates: list[_Coded], countries: set[str]) -> list[Event]:
    """The latest of ``candidates``, those done by ``countries`` (the denier's or confirmer's)
    first, with all the pairs coded at its trigger."""
    own = [c for c in candidates if c.event.source and country_of(c.event.source.code)
           in countries]
    preferred = own or candidates
    chosen = preferred[-1]
    return [c.event for c in preferred if c.trigger.i == chosen.trigger.i]


def _plover(code: str) -> str | None:
    from ..events.ontology import ontology

    return ontology()[code].plover_event if code in ontology() else None


def _status(claim: Claim, event: Event | None) -> str:
    doer = country_of(event.source.code) if event and event.source else None
    return status_of(claim.asserted_by, claim.denied_by, claim.confirmed_by, doer)


def status_of(asserted: list[str], denied: list[str], confirmed: list[str], doer: str | None
              ) -> str:
    """reported, disputed, denied or confirmed, from who asserts, denies and confirms; ``doer``
    is the country of the event's source (its own confirmation settles it)."""
    self_confirmed = doer is not None and any(country_of(code) == doer for code in confirmed)
    if self_confirmed or (confirmed and not denied):
        return ClaimStatus.CONFIRMED
    if asserted and denied:
        return ClaimStatus.DISPUTED
    if denied:
        return ClaimStatus.DENIED
    return ClaimStatus.REPORTED


def _add(codes: list[str], more: list[str]) -> None:
    for code in more:
        if code not in codes:
            codes.append(code)


def _evidence(role: str, by: list[str], cue: Token, event: Event, *, sentence=None
              ) -> dict[str, object]:
    span = sentence or cue.sent
    return {"role": role, "by": list(by), "text": span.text,
            "span": [span.start_char, span.end_char], "cue": cue.text}


def _complement_events(verb: Token, events: list[tuple[Event, Token]]) -> list[Event]:
    """The events of ``events`` inside a clause or gerund ``verb`` governs ("denied that it
    had sent troops", "denied attacking the tanker"), the verb itself not among them."""
    complements = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "pcomp")
                   or (c.dep_ == "dobj" and c.pos_ == "VERB")]
    return [event for event, trigger in events
            if any(_within(trigger, c) for c in complements) and trigger.i != verb.i]


def _first_object(verb: Token) -> Token | None:
    """The first direct object of ``verb`` ("denied the reports"), if any."""
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def _within(token: Token, ancestor: Token) -> bool:
    node = token
    while True:
        if node.i == ancestor.i:
            return True
        if node.head.i == node.i:
            return False
        node = node.head


def _subject_actors(verb: Token, actors: ActorMap) -> list[Mention]:
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            members = [child, *(c for c in child.subtree if c.dep_ == "conj"
                                and c.head.i in {child.i} | {x.i for x in child.subtree})]
            found = [m for member in members for m in actors.at(member.i) if m.role == "actor"]
            if found:
                return found
    if verb.dep_ == "conj":
        return _subject_actors(verb.head, actors)
    return []
