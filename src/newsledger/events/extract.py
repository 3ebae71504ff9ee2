"""Find event predicates in the dependency parse and code them.

For each verb (and each event noun with actors around it) of a sentence:

1. the lexicon gives a CAMEO code from the lemma, its particles and prepositions and the class of
   its object ("provide @weapons" → 072); a light verb takes the code of its object noun
   ("launched an attack" → 190); a frame verb ("agreed to", "plans to") passes its subject to the
   verb it governs, whose event carries the frame as modality; "threaten to", "refuse to" and
   "urge … to" give codes of their own, refined by the action they govern;
2. the source comes from the subject (or the passive agent "by X", or, for a verb governed by
   another, that verb's subject, or its object for "urged Iran to halt"), the target from the
   object, the dative, the passive subject or the prepositions the pattern names (against, with,
   to, at, on…); coordinated actors give one event per pair;
3. negation sets the polarity; the actor of a non-actor object ("condemned Washington's actions",
   "condemned an attack by X") is used as target.

Each event records the lexicon entry or model that produced it (``rule``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..actors.mentions import ActorMap
from ..layers import user_lines
from ..model import Mention
from ..resources import data_path, read_words
from .lexicon import LIGHT, Lexicon, Pattern, attachments

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")
OBJECT_DEPS = ("dobj", "obj")
COMPLEMENT_DEPS = ("xcomp", "ccomp")
FUTURE = frozenset({"will", "shall", "'ll", "wo", "would"})
# Material conflict can be coded without a known doer when its victims are known ("three
# soldiers were killed by a roadside bomb").
SOURCELESS_ROOTS = frozenset({"18", "19", "20"})


@dataclass(slots=True)
class Found:
    """An event found in a sentence, before it becomes an ``Event`` record."""

    code: str
    trigger: Token
    rule: str
    sources: list[Mention]
    targets: list[Mention]
    negated: bool = False
    frame: str | None = None  # the frame verb's lemma ("agree", "plan", "threaten"…)
    specificity: int = 0
    via: str = "lexicon"  # lexicon | light | noun | frame
    depth: int = 0  # distance of the trigger from the sentence root
    future: bool = False  # will, would, shall, is going to
    between: bool = False  # "between X and Y": the sources pair up with each other
    provenance: str = "rule"  # rule | model | both (see events/combine.py)
    realis: str | None = None  # the model's realis when it changed the event
    model_confidence: float | None = None  # P(event) × P(root), when the model read the sentence


@dataclass(slots=True)
class Frames:
    """Frame verbs and their codes, from the lexicon data (``frames.yaml``)."""

    modal: frozenset[str] = frozenset()  # agree to, plan to: modality of the governed event
    coded: dict[str, dict[str, str]] = field(default_factory=dict)  # threaten: root → code
    agent_targets: frozenset[str] = frozenset()  # coded frames whose target is the asked actor
    object_frames: frozenset[str] = frozenset()  # coded only with an object ("wants X to")
    symmetric: frozenset[str] = frozenset()  # roots or codes of symmetric events
    commitment_verbs: frozenset[str] = frozenset()  # agree, promise, vow…
    commitment_codes: dict[str, str] = field(default_factory=dict)  # governed code → 03x/13x
    refusal: dict[str, str] = field(default_factory=dict)  # root of a refused act → 12x
    reporting: frozenset[str] = frozenset()  # say, announce… (their future acts are announced)

    def committed(self, code: str) -> str:
        """The code of a commitment to the act ``code``: 03x intent or 13x threat."""
        for length in range(len(code), 1, -1):
            mapped = self.commitment_codes.get(code[:length])
            if mapped is not None:
                return code if mapped == "keep" else mapped
        return code


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue words the extractor reads beside the lexicon: word lists in ``data/events`` (one
    word a line), which a user's folder extends with files of the same name.

    negations: words that negate the verb they modify (``negations.txt``: "not", "never").
    target_prepositions: prepositions that introduce a target when the pattern names none,
        in the order they are tried (``target_prepositions.txt``: "against", "at", "on"…).
    """

    negations: frozenset[str] = frozenset()
    target_prepositions: tuple[str, ...] = ()

    @classmethod
    def load(cls, folder: Path | None = None, *, extra: Sequence[Path] = ()) -> Cues:
        """The cues in ``folder`` (default: the package's ``data/events``), with the words of
        the same files in each user folder of ``extra`` (folders of the shape of
        ``data/events``) added after the package's."""
        folder = folder or data_path("events")

        def words(name: str) -> tuple[str, ...]:
            found = [*read_words(folder / name), *user_lines(extra, name)]
            return tuple(dict.fromkeys(word.casefold() for word in found))

        return cls(negations=frozenset(words("negations.txt")),
                   target_prepositions=words("target_prepositions.txt"))


@dataclass(slots=True)
class Coding:
    """What the lexicon makes of one verb, before its actors are found."""

    code: str
    rule: str
    via: str  # lexicon | light (the code of the light verb's object noun)
    specificity: int
    pattern: Pattern | None  # the verb's pattern (None: a light verb the lexicon knows only so)
    noun_pattern: Pattern | None  # the object noun's pattern that codes a light verb
    direct: Token | None  # the object, or the passive subject
    passive: bool


class Extractor:
    """Codes the events of parsed sentences with one lexicon.

    lexicon, frames: the verb and noun patterns and the frame verbs (``events.load_frames``).
    cues: the cue-word lists (default: the package's, ``Cues.load()``).
    """

    def __init__(self, lexicon: Lexicon, frames: Frames, cues: Cues | None = None) -> None:
        self.lexicon = lexicon
        self.frames = frames
        self.cues = cues if cues is not None else Cues.load()

    def is_symmetric(self, code: str) -> bool:
        return code in self.frames.symmetric or code[:2] in self.frames.symmetric

    def sentence_events(self, sentence: Span, actors: ActorMap) -> list[Found]:
        found: list[Found] = []
        covered: set[int] = set()
        for token in sentence:
            if token.pos_ in ("VERB", "AUX") and token.dep_ != "aux":
                event = self._verb_event(token, actors, covered)
                if event:
                    found.append(event)
        for token in sentence:
            if token.pos_ in ("NOUN", "PROPN") and token.i not in covered:
                event = self._noun_event(token, actors)
                if event:
                    found.append(event)
        return _deduplicate(found)

    # -- verbs --

    def _verb_event(self, verb: Token, actors: ActorMap, covered: set[int]) -> Found | None:
        """The event of ``verb``: its code from the lexicon, its actors from the parse, then
        what a frame verb above it makes of it (an appeal, a refusal, a commitment)."""
        if self._is_modal_frame(verb):
            return None
        complement = self._coded_frame_complement(verb)
        if complement is not None:
            if self._codes(complement):
                return None  # the complement's event carries the frame
            return self._frame_default(verb, complement, actors)
        coding = self._code_verb(verb, covered)
        if coding is None:
            return None
        sources, targets = self._arguments(verb, actors, coding)
        found = Found(code=coding.code, trigger=verb, rule=coding.rule, sources=sources,
                      targets=targets, negated=self._negated(verb), frame=self._frame_of(verb),
                      specificity=coding.specificity, via=coding.via, future=_future(verb))
        self._apply_frame(found, verb, actors)
        if not found.sources and not self._sourceless(found, verb, coding.passive):
            return None
        found.depth = _depth(found.trigger)
        return found

    def _coded_frame_complement(self, verb: Token) -> Token | None:
        """The verb a coded frame governs ("refused to allow", "urged Iran to halt"), when
        ``verb`` is such a frame (a frame coded only with an object, "wants X to", needs one)."""
        lemma = verb.lemma_.lower()
        if lemma not in self.frames.coded:
            return None
        if lemma in self.frames.object_frames and not any(
                _asks_another(verb, c) for c in verb.children if c.dep_ in COMPLEMENT_DEPS):
            return None
        return next((c for c in verb.children if c.dep_ in COMPLEMENT_DEPS
                     and c.pos_ in ("VERB", "AUX")), None)

    def _code_verb(self, verb: Token, covered: set[int]) -> Coding | None:
        """The lexicon's code for ``verb`` with its object ("provide @weapons" → 072), or for a
        light verb its object noun's ("launched an attack" → 190; the noun is then ``covered``,
        not an event of its own). None: the verb codes no event."""
        passive = _is_passive(verb)
        direct = _direct_object(verb, passive)
        pattern = self.lexicon.match_verb(verb, direct)
        if pattern is not None and pattern.code is None:
            return None  # the lexicon says this use of the verb is no event
        noun = self._light_object(verb, pattern, direct)
        if noun is not None:
            covered.add(direct.i)
            rule = f"{pattern.rule if pattern else 'verb:' + verb.lemma_} + {noun.rule}"
            coding = Coding(noun.code, rule, "light", noun.specificity + 1, pattern, noun,
                            direct, passive)
        elif pattern is not None:
            coding = Coding(pattern.code, pattern.rule, "lexicon", pattern.specificity, pattern,
                            None, direct, passive)
        else:
            return None
        return None if coding.code == LIGHT else coding

    def _light_object(self, verb: Token, pattern: Pattern | None, direct: Token | None
                      ) -> Pattern | None:
        """The object noun's pattern that gives a light verb its code: the verb's pattern says
        LIGHT, or it has none and the verb is light ("launched an attack", "held talks")."""
        if direct is None or (pattern is not None and pattern.code != LIGHT):
            return None
        noun = self.lexicon.match_noun(direct)
        if noun is None or not noun.code:
            return None
        if pattern is None and not self._is_light(verb):
            return None
        return noun

    def _arguments(self, verb: Token, actors: ActorMap, coding: Coding
                   ) -> tuple[list[Mention], list[Mention]]:
        """The sources and targets of the verb's own event: subject and object, the pattern's
        source preposition ("received shells from X"), a protest's place."""
        pattern = coding.pattern
        sources = self._sources(verb, actors, coding.passive)
        targets = self._targets(verb, actors, coding.passive, pattern, coding.direct,
                                coding.noun_pattern, sources)
        if pattern is not None and any(role == "source" for _, role in pattern.roles):
            sources, targets = self._swap(verb, actors, pattern, sources)
        if not targets and coding.code[:2] == "14":
            targets = self._place_target(verb, actors)
        return sources, targets

    def _apply_frame(self, found: Found, verb: Token, actors: ActorMap) -> None:
        """What the frame verb above ``verb`` makes of its event: an appeal or threat coded by
        the frame, a refusal, or a commitment (intent or threat)."""
        frame = found.frame
        if frame and frame in self.frames.coded and (
                frame not in self.frames.object_frames
                or _asks_another(self._frame_verb(verb), verb)):
            self._as_frame_event(found, verb, actors)
        elif found.negated and (found.future or frame) and found.code[:2] in self.frames.refusal:
            self._as_refusal(found)
        elif frame in self.frames.commitment_verbs or (found.future and self._reported(verb)):
            self._as_commitment(found)

    def _as_frame_event(self, found: Found, verb: Token, actors: ActorMap) -> None:
        """"France urged Iran to negotiate": an appeal by France to Iran, not Iran's talks;
        "Japan threatened to attack China": a threat by Japan against China. The frame verb
        becomes the trigger, its subject the source, its object (or the asked actor) the
        target."""
        frame = found.frame
        table = self.frames.coded[frame]
        asked = found.sources
        found.code = table.get(found.code[:2], table["default"])
        found.rule = f"frame:{frame} + {found.rule}"
        found.via = "frame"
        trigger = found.trigger = self._frame_verb(verb)
        controller = _first_child(trigger, OBJECT_DEPS)
        found.sources = self._sources(trigger, actors, _is_passive(trigger))
        if controller is not None and self._actors_of(controller, actors):
            found.targets = self._actors_of(controller, actors)
        elif frame in self.frames.agent_targets and asked:
            found.targets = asked
        found.negated = self._negated(trigger)

    def _as_refusal(self, found: Found) -> None:
        """"would not provide support", "did not agree to meet": a refusal, not a non-event."""
        found.code = self.frames.refusal[found.code[:2]]
        found.rule = f"refusal + {found.rule}"
        found.via = "frame"
        found.negated = False

    def _as_commitment(self, found: Found) -> None:
        """"agreed to lift sanctions" is an intent (03x); "vowed to retaliate" a threat (13x);
        so is "said it would withdraw" and "announced it will impose a curfew"."""
        committed = self.frames.committed(found.code)
        if committed != found.code:
            found.rule = f"{'frame:' + found.frame if found.frame else 'announced'} + {found.rule}"
            found.code, found.via = committed, "frame"

    def _sourceless(self, found: Found, verb: Token, passive: bool) -> bool:
        """Material conflict with known victims and no doer named stands without a source
        ("three soldiers were killed by a roadside bomb")."""
        return bool(found.code[:2] in SOURCELESS_ROOTS and found.targets
                    and self._agentless(verb, passive))

    def _codes(self, verb: Token) -> bool:
        """Does the lexicon give ``verb`` an event (directly or through its object)?"""
        direct = _first_child(verb, OBJECT_DEPS)
        pattern = self.lexicon.match_verb(verb, direct)
        if pattern is not None and pattern.code not in (None, LIGHT):
            return True
        if direct is not None and (pattern is not None or self._is_light(verb)):
            noun = self.lexicon.match_noun(direct)
            return noun is not None and noun.code not in (None, LIGHT)
        return False

    def _frame_default(self, verb: Token, complement: Token, actors: ActorMap) -> Found | None:
        """"refused to allow the planes to land": a refusal even when the refused act has no
        code of its own; likewise a threat, an appeal, a demand."""
        table = self.frames.coded[verb.lemma_.lower()]
        sources = self._sources(verb, actors, _is_passive(verb))
        if not sources:
            return None
        controller = _first_child(verb, OBJECT_DEPS)
        targets = self._actors_of(controller, actors) if controller is not None else []
        if not targets:
            asked = _first_child(complement, SUBJECT_DEPS) if verb.lemma_.lower() in \
                self.frames.agent_targets else _first_child(complement, OBJECT_DEPS)
            targets = self._actors_of(asked, actors) if asked is not None else []
        return Found(code=table["default"], trigger=verb, rule=f"frame:{verb.lemma_.lower()}",
                     sources=sources, targets=[t for t in targets if t not in sources],
                     negated=self._negated(verb), frame=verb.lemma_.lower(), via="frame",
                     depth=_depth(verb))

    def _agentless(self, verb: Token, passive: bool) -> bool:
        """No doer is named: a passive ("were killed"), or an instrument as subject ("a roadside
        bomb killed", "the shelling killed"), not any subject at all ("the hurricane struck")."""
        if passive:
            return True
        subject = _first_child(verb, SUBJECT_DEPS)
        return subject is not None and (
            self.lexicon.match_noun(subject) is not None
            or self.lexicon.in_class(subject, "weapons") or self.lexicon.in_class(subject, "attack"))

    def _is_light(self, verb: Token) -> bool:
        patterns = self.lexicon.verbs.get(verb.lemma_.lower(), [])
        return any(p.code == LIGHT and not p.object_class for p in patterns)

    def _is_modal_frame(self, verb: Token) -> bool:
        """"agreed to lift", "plans to deploy": the frame verb is not an event of its own."""
        if verb.lemma_.lower() not in self.frames.modal:
            return False
        return any(c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")
                   for c in verb.children)

    def _frame_verb(self, verb: Token) -> Token:
        """The frame verb governing ``verb`` (the nearest one up the complement links)."""
        node = verb
        while node.dep_ in ("xcomp", "ccomp") and node.head.i != node.i:
            node = node.head
            lemma = node.lemma_.lower()
            if lemma in self.frames.modal or lemma in self.frames.coded:
                return node
        return verb

    def _frame_of(self, verb: Token) -> str | None:
        """The frame verb governing ``verb`` ("wants to attack", "demanded that X resign",
        "is willing to withdraw")."""
        node = verb
        while node.dep_ in ("xcomp", "ccomp") and node.head.i != node.i:
            head = node.head
            lemma = head.lemma_.lower()
            if head.pos_ == "ADJ" and lemma in self.frames.commitment_verbs:
                return lemma
            if lemma in self.frames.modal or lemma in self.frames.coded:
                if node.dep_ == "ccomp" and lemma not in self.frames.coded and \
                        lemma not in self.frames.commitment_verbs:
                    return None
                if lemma in self.frames.object_frames and not _asks_another(head, node):
                    return lemma if lemma in self.frames.modal else None
                return lemma
            if node.dep_ == "ccomp":
                return None
            node = head
        return None

    def _reported(self, verb: Token) -> bool:
        """Is ``verb`` in a clause that someone says or announces?"""
        node = verb
        while node.dep_ in ("ccomp", "xcomp", "conj") and node.head.i != node.i:
            node = node.head
            if node.lemma_.lower() in self.frames.reporting:
                return True
        return False

    def _negated(self, verb: Token) -> bool:
        """"did not attack", "never signed" (a word of ``Cues.negations``, or the parser's
        negation), or a negated frame above ("did not agree to provide")."""
        if any(c.dep_ == "neg" or c.lower_ in self.cues.negations and c.dep_ in ("advmod", "neg")
               for c in verb.children):
            return True
        node = verb
        while node.dep_ in ("xcomp",) and node.head.i != node.i:
            node = node.head
            if any(c.dep_ == "neg" for c in node.children):
                return True
        return False

    def _place_target(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """A protest with no target protests against the state where it happens ("staged a
        protest in Beijing")."""
        places = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "at")]
        direct = _first_child(verb, OBJECT_DEPS)
        if direct is not None:
            places += [c for c in direct.children if c.dep_ == "prep" and c.lower_ in ("in", "at")]
        for place in places:
            for obj in place.children:
                if obj.dep_ == "pobj":
                    found = [m for m in self._actors_of(obj, actors) if m.actor.country]
                    if found:
                        return found[:1]
        return []

    # -- arguments --

    def _sources(self, verb: Token, actors: ActorMap, passive: bool) -> list[Mention]:
        """The doers of ``verb``: the passive's agent, else the subject, else (a verb with no
        subject of its own) the doer of the verb or noun that governs it."""
        if passive:
            return self._agent_sources(verb, actors) or self._instrument_sources(verb, actors)
        subject = _first_child(verb, SUBJECT_DEPS)
        if subject is not None:
            return self._actors_of(subject, actors)
        return self._inherited_sources(verb, actors)

    def _agent_sources(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """The passive's agent: "was attacked by Russia"."""
        for child in verb.children:
            if child.dep_ == "agent":
                found = self._objects_actors(child, actors)
                if found:
                    return found
        return []

    def _instrument_sources(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """The doer of the act a passive happened in: "killed in Israeli shelling", "killed by
        a Russian missile", "wounded during a raid by the army"."""
        for child in verb.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in ("in", "by", "during"):
                for obj in child.children:
                    if obj.dep_ == "pobj" and self.lexicon.match_noun(obj) is not None:
                        found = [m for m in actors.at(obj.i) if m.role == "modifier"] or \
                            self._noun_sources(obj, actors)
                        if found:
                            return found
        return []

    def _inherited_sources(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """The doer of a verb without a subject, from the word that governs it: a complement
        ("agreed to lift"), a coordinated verb ("shelled and bombed"), a relative or participle
        clause ("troops that entered", "…, killing six"), a preposition's clause ("accused X of
        violating")."""
        dep, head = verb.dep_, verb.head
        if dep == "xcomp":
            return self._complement_sources(verb, actors)
        if dep == "conj" and head.pos_ in ("VERB", "AUX"):
            return self._sources(head, actors, _is_passive(head))
        if dep in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
            return self._actors_of(head, actors)
        if dep == "advcl" and verb.tag_ == "VBG":
            return self._sources(head, actors, _is_passive(head))
        if dep == "pcomp" and head.dep_ == "prep":
            return self._prepositional_clause_sources(verb, actors)
        return []

    def _complement_sources(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """A governed verb takes its subject from the verb above it: "Obama is willing to
        attend", "Obama is scheduled to attend", "urged Iran to halt" (the object), "Iran
        agreed to halt" (the subject)."""
        head = verb.head
        if head.pos_ == "ADJ" and head.dep_ == "acomp":
            return self._sources(head.head, actors, False)
        if _is_passive(head):  # "Obama is scheduled to attend", "was forced to resign"
            subject = _passive_subject(head)
            return self._actors_of(subject, actors) if subject is not None else []
        return self._object_actors(head, actors) or self._sources(head, actors, False)

    def _prepositional_clause_sources(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """"accused Moscow of violating …", "praised X for helping": the governing verb's object
        does it; "denied attacking the tanker", "after shelling": its subject."""
        governor = verb.head.head
        if governor.pos_ in ("VERB", "AUX"):
            return self._object_actors(governor, actors) or \
                self._sources(governor, actors, _is_passive(governor))
        if governor.dep_ == "pcomp":  # "of violating laws by trading arms"
            return self._sources(governor, actors, False)
        return []

    def _targets(self, verb: Token, actors: ActorMap, passive: bool, pattern: Pattern | None,
                 direct: Token | None, noun_pattern: Pattern | None,
                 sources: list[Mention] | None = None) -> list[Mention]:
        """The targets of ``verb``'s event: who is acted on (the object or the passive subject),
        else the dative, else the object of a preposition (the pattern's, then
        ``Cues.target_prepositions``), else the beneficiary of a purpose clause; an acted-on
        thing of no other country is a target only when nothing better is found."""
        theme = pattern is not None and pattern.object_class is not None
        found, fallback = self._acted_on(verb, actors, passive, direct, noun_pattern, theme,
                                         sources or [])
        if found:
            return found
        found = self._dative_targets(verb, actors) or \
            self._prepositional_targets(verb, actors, pattern, direct)
        if found:
            return found
        if theme:
            found = self._purpose_targets(verb, actors)
            if found:
                return found
        return fallback

    def _acted_on(self, verb: Token, actors: ActorMap, passive: bool, direct: Token | None,
                  noun_pattern: Pattern | None, theme: bool, sources: list[Mention]
                  ) -> tuple[list[Mention], list[Mention]]:
        """(targets, fallback targets) from the passive subject or the object. A light verb's
        event noun gives its own ("launched an attack on Kyiv"); the thing acted on by a
        pattern with an object class ("expelled the ambassador") is a target only if it is
        someone else's actor (see ``_others``)."""
        patient = _passive_subject(verb) if passive else direct
        if patient is None:
            return [], []
        if not passive and noun_pattern is not None:
            found = self._noun_targets(patient, actors)
            if found:
                return found, []
        found = self._actors_of(patient, actors)
        if not theme:
            return found, []
        return _others(found, {m.actor.country for m in sources if m.actor.country},
                       {m.actor.code for m in sources})

    def _dative_targets(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """The dative: "gave Ukraine tanks", "sent a letter to the UN" (parsed as dative)."""
        for child in verb.children:
            if child.dep_ == "dative":
                found = self._actors_of(child, actors) or self._objects_actors(child, actors)
                if found:
                    return found
        return []

    def _prepositional_targets(self, verb: Token, actors: ActorMap, pattern: Pattern | None,
                               direct: Token | None) -> list[Mention]:
        """The actors after the prepositions the pattern names as target (or with no role),
        then after ``Cues.target_prepositions``, the first that has any."""
        attached = attachments(verb, direct)
        named = [p for p in (pattern.particles if pattern else ()) if pattern.role_of(p) in (
            None, "target")]
        for preposition in [*named, *self.cues.target_prepositions]:
            child = attached.get(preposition)
            if child is not None and child.dep_ == "prep":
                found = self._objects_actors(child, actors)
                if found:
                    return found
        return []

    def _purpose_targets(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """"sent soldiers to assist Russia": the beneficiary of a purpose clause."""
        for child in verb.children:
            if child.dep_ in ("advcl", "xcomp") and child.tag_ == "VB":
                found = self._object_actors(child, actors)
                if found:
                    return found
        return []

    def _object_actors(self, verb: Token, actors: ActorMap) -> list[Mention]:
        """The actors of ``verb``'s object ([] when it has none)."""
        obj = _first_child(verb, OBJECT_DEPS)
        return self._actors_of(obj, actors) if obj is not None else []

    def _objects_actors(self, preposition: Token, actors: ActorMap) -> list[Mention]:
        """The actors of the objects of ``preposition`` ("against Russia and Belarus")."""
        return [m for obj in preposition.children if obj.dep_ == "pobj"
                for m in self._actors_of(obj, actors)]

    def _swap(self, verb: Token, actors: ActorMap, pattern: Pattern, subject: list[Mention]
              ) -> tuple[list[Mention], list[Mention]]:
        """"Russia received shells from North Korea": the source is the object of "from"."""
        for prep, role in pattern.roles:
            if role != "source":
                continue
            child = attachments(verb, _first_child(verb, OBJECT_DEPS)).get(prep)
            if child is not None:
                found = [m for obj in child.children if obj.dep_ == "pobj"
                         for m in self._actors_of(obj, actors)]
                if found:
                    return found, subject
        return [], []

    def _actors_of(self, token: Token, actors: ActorMap) -> list[Mention]:
        """The actors a phrase head stands for, with its coordinated members; for a phrase that
        is not an actor itself, the actor it belongs to ("Washington's actions")."""
        members = [token, *(c for c in _conjunct_tail(token))]
        for mention in actors.at(token.i):  # a name the parser split: "Barack Obama and …"
            for inner in token.doc.char_span(mention.start, mention.end,
                                             alignment_mode="expand") or []:
                if inner.i != token.i:
                    members += [c for c in _conjunct_tail(inner) if c not in members]
        found: list[Mention] = []
        for member in members:
            own = [m for m in actors.at(member.i) if m.role == "actor"]
            if not own:
                own = [m for m in actors.at(member.i) if m.role == "modifier"]
            if not own:
                own = self._event_noun_agent(member, actors)
            found.extend(own)
        return _unique(found)

    def _event_noun_agent(self, noun: Token, actors: ActorMap) -> list[Mention]:
        """The doer of an event noun: "an attack by X", "X's military assistance"."""
        if noun.pos_ not in ("NOUN", "PROPN") or self.lexicon.match_noun(noun) is None:
            return []
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                found = [m for obj in child.children if obj.dep_ == "pobj"
                         for m in actors.at(obj.i) if m.role == "actor"]
                if found:
                    return found
        return []

    # -- nouns --

    def _noun_event(self, noun: Token, actors: ActorMap) -> Found | None:
        pattern = self.lexicon.match_noun(noun)
        if pattern is None or pattern.code in (None, LIGHT):
            return None
        between = [m for child in noun.children if child.dep_ == "prep" and child.lower_ == "between"
                   for obj in child.children if obj.dep_ == "pobj"
                   for m in self._actors_of(obj, actors)]
        if len({m.actor.code for m in between}) > 1:
            # "talks between Russia and Ukraine": each side acts towards the other.
            return Found(code=pattern.code, trigger=noun, rule=f"{pattern.rule} between",
                         sources=between, targets=[], specificity=pattern.specificity,
                         via="noun", depth=_depth(noun), between=True)
        sources = self._noun_sources(noun, actors)
        # "the Russian invasion of Ukraine": with a doer named, "of" gives the target.
        targets = self._noun_targets(noun, actors, with_of=bool(sources))
        targets = [m for m in targets if m.actor.code not in {s.actor.code for s in sources}]
        if not sources or not targets:
            return None
        return Found(code=pattern.code, trigger=noun, rule=pattern.rule, sources=sources,
                     targets=targets, negated=self._negated(noun.head) if noun.dep_ in OBJECT_DEPS
                     else False, specificity=pattern.specificity, via="noun", depth=_depth(noun))

    def _noun_sources(self, noun: Token, actors: ActorMap) -> list[Mention]:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                found = [m for obj in child.children if obj.dep_ == "pobj"
                         for m in actors.at(obj.i) if m.role == "actor"]
                if found:
                    return found
            if child.dep_ == "poss":
                found = [m for m in actors.at(child.i) if m.role == "actor"]
                if found:
                    return found
        own = [m for m in actors.at(noun.i) if m.role == "modifier"]
        return own

    def _noun_targets(self, noun: Token, actors: ActorMap, *, with_of: bool = False
                      ) -> list[Mention]:
        for preposition in (*self.cues.target_prepositions, *(("of",) if with_of else ())):
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ == preposition:
                    found = [m for obj in child.children if obj.dep_ == "pobj"
                             for m in self._actors_of(obj, actors)]
                    if found:
                        return found
        return []


def pairs(event: Found, symmetric: bool = False
          ) -> Iterator[tuple[Mention | None, Mention | None]]:
    """Every (source, target) pair of an event; a source is never its own target. A symmetric
    event ("Chile and Peru signed a treaty", "X, Y and Z met") with several sources and no
    target pairs the sources with each other."""
    if (symmetric or event.between) and not event.targets and len(
            {m.actor.code for m in event.sources}) > 1:
        for source in event.sources:
            for other in event.sources:
                if other.actor.code != source.actor.code:
                    yield source, other
        return
    targets: list[Mention | None] = list(event.targets) or [None]
    if not event.sources:
        for target in targets:
            yield None, target
        return
    for source in event.sources:
        others = [t for t in targets if t is None or t.actor.code != source.actor.code]
        for target in others or [None]:  # "Syria bombed Aleppo": no target but itself
            yield source, target


def _deduplicate(found: list[Found]) -> list[Found]:
    """One event per trigger (a frame's reading first, then the most specific); between
    triggers with the same code and actors keep the more specific. The events come in order of
    how close their trigger is to the sentence's root (the main event first)."""
    per_trigger: dict[int, Found] = {}
    for event in found:
        rank = (event.via == "frame", event.specificity)
        kept = per_trigger.get(event.trigger.i)
        if kept is None or rank > (kept.via == "frame", kept.specificity):
            per_trigger[event.trigger.i] = event
    best: dict[tuple, Found] = {}
    for event in per_trigger.values():
        key = (event.code, tuple(m.actor.code for m in event.sources),
               tuple(m.actor.code for m in event.targets))
        if key not in best or event.specificity > best[key].specificity:
            best[key] = event
    return sorted(best.values(), key=lambda e: (e.depth, e.trigger.i))


def _others(found: list[Mention], countries: set[str], codes: set[str]
            ) -> tuple[list[Mention], list[Mention]]:
    """Split the actors an acted-on object stands for into (targets, fallback targets).

    Another country's actors are targets: "expelled the Russian ambassador", "rejected Egypt's
    peace plan". Actors of no known country are targets only when nothing better is found
    ("police beat protesters", but "released the hostages to the Red Cross" targets the Red
    Cross); forces of no named country are the doer's own ("sent 10,000 soldiers").
    """
    known = [m for m in found if m.actor.country and m.actor.country not in countries]
    unknown = [m for m in found if not m.actor.country and m.actor.code not in codes
               and m.actor.sector not in ("MIL", None)]
    return known, unknown


def _asks_another(frame: Token, complement: Token) -> bool:
    """"wants Putin to attack": the frame's object, or the complement's own subject, is someone
    other than the frame's subject."""
    if _first_child(frame, OBJECT_DEPS) is not None:
        return True
    return complement.dep_ == "ccomp" and _first_child(complement, SUBJECT_DEPS) is not None \
        and any(c.lower_ == "to" for c in complement.children)


def _direct_object(verb: Token, passive: bool) -> Token | None:
    """What ``verb`` acts on: the passive subject, else the object, else the object a
    coordinated verb shares ("shelled and bombed Kharkiv")."""
    if passive:
        return _passive_subject(verb)
    direct = _first_child(verb, OBJECT_DEPS)
    return direct if direct is not None else _shared_object(verb)


def _shared_object(verb: Token) -> Token | None:
    """"shelled and bombed Kharkiv": the object of the last conjunct is the first one's too."""
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
            found = _first_child(child, OBJECT_DEPS) or _shared_object(child)
            if found is not None:
                return found
    return None


def _first_child(token: Token, deps: tuple[str, ...]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _conjunct_tail(token: Token) -> list[Token]:
    found, stack = [], [c for c in token.children if c.dep_ == "conj"]
    while stack:
        member = stack.pop(0)
        found.append(member)
        stack.extend(c for c in member.children if c.dep_ == "conj")
    return found


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen, result = set(), []
    for mention in mentions:
        if mention.actor.code not in seen:
            seen.add(mention.actor.code)
            result.append(mention)
    return result


def _is_passive(verb: Token) -> bool:
    """A passive verb, or a past participle modifying its patient ("soldiers killed in …")."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)


def _passive_subject(verb: Token) -> Token | None:
    subject = _first_child(verb, PASSIVE_SUBJECT_DEPS)
    if subject is None and verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head
    return subject


def _future(verb: Token) -> bool:
    """"will attack", "would withdraw", "is going to sign" (on the verb or its frame)."""
    node = verb
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in FUTURE for c in node.children):
            return True
        if node.dep_ == "xcomp" and node.head.lemma_ == "go" and any(
                c.dep_ == "aux" and c.lemma_ == "be" for c in node.head.children):
            return True
        if node.dep_ != "xcomp" or node.head.i == node.i:
            break
        node = node.head
    return False


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth
