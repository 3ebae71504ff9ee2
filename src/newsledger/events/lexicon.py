"""The event lexicon: which predicates mean which CAMEO event, as data.

Entries live in ``data/events/lexicon/*.yaml`` (a list of entries, or a mapping with ``classes``
of its own and ``entries``), each a CAMEO code with verb and noun patterns::

    - code: "111"                    # Criticize or denounce
      verbs: [criticize, condemn, lash out at]
      nouns: [criticism, condemnation]
    - code: "072"                    # Provide military aid
      verbs: [provide @weapons, supply @weapons, provide with @weapons, receive @weapons from:source]

A verb pattern is a lemma followed by elements:

* ``word``: a particle or preposition attached to the verb ("lash out at", "meet with"); a
  preposition's object is a target unless marked ``word:source`` (then the subject becomes the
  target: "receive … from X") or ``word:none``;
* ``@class``: the direct object belongs to a word class of ``data/events/classes.yaml``; right
  after a preposition it constrains that preposition's object instead ("provide with @weapons").

A noun pattern is an event noun, optionally with modifiers: "air strike", "military aid". The code
``light`` marks light verbs ("carry out", "launch", "hold") that take the event of their object
noun; the code ``null`` marks a pattern that means no event (it blocks less specific ones).
The most specific matching pattern wins: each particle, preposition and class counts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..errors import ConfigError, Errors
from ..resources import data_path
from .ontology import ontology

if TYPE_CHECKING:
    from spacy.tokens import Token

LIGHT = "light"
ROLES = ("source", "target", "none")
# Words that are particles of phrasal verbs, not prepositions: "turn down @proposal" puts the
# class on the direct object, "provide with @weapons" on the preposition's object.
PARTICLES = frozenset({"up", "down", "out", "off", "back", "away", "aside", "forward", "together",
                       "apart", "around", "about", "ahead"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})
PARTICLE_DEPS = frozenset({"prt", "prep", "agent", "dative", "advmod"})


@dataclass(frozen=True, slots=True)
class Pattern:
    """One lexicon pattern: a predicate lemma with its constraints and the code it gives."""

    code: str | None
    kind: str  # verb | noun
    lemma: str
    text: str
    where: str
    particles: tuple[str, ...] = ()
    object_class: str | None = None
    prep_classes: tuple[tuple[str, str], ...] = ()
    roles: tuple[tuple[str, str], ...] = ()
    modifiers: tuple[str, ...] = ()

    @property
    def specificity(self) -> int:
        return (len(self.particles) + 2 * bool(self.object_class) + 2 * len(self.prep_classes)
                + len(self.modifiers))

    def role_of(self, preposition: str) -> str | None:
        return dict(self.roles).get(preposition)

    @property
    def rule(self) -> str:
        return f"{self.kind}:{self.text}"


@dataclass(slots=True)
class Lexicon:
    """Patterns by lemma, and the word classes they use."""

    verbs: dict[str, list[Pattern]] = field(default_factory=dict)
    nouns: dict[str, list[Pattern]] = field(default_factory=dict)
    classes: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)

    # -- building --

    def add(self, pattern: Pattern) -> None:
        index = self.verbs if pattern.kind == "verb" else self.nouns
        index.setdefault(pattern.lemma, []).append(pattern)

    # -- matching --

    def in_class(self, token: Token, name: str) -> bool:
        """Is ``token`` (with its modifiers) a member of the word class ``name``? A measure
        noun stands for what follows its "of" ("5 million dollars of aid")."""
        if name != "measures" and self.in_class(token, "measures"):
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    if any(c.dep_ == "pobj" and self.in_class(c, name) for c in child.children):
                        return True
        members = self.classes.get(name, frozenset())
        lemma = token.lemma_.lower()
        if (lemma,) in members or (token.lower_,) in members:
            return True
        modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in MODIFIER_DEPS}
        return any(len(m) > 1 and m[-1] in (lemma, token.lower_) and set(m[:-1]) <= modifiers
                   for m in members)

    def match_verb(self, token: Token, direct_object: Token | None) -> Pattern | None:
        """The most specific verb pattern that ``token`` satisfies, or None."""
        candidates = self.verbs.get(token.lemma_.lower()) or self.verbs.get(token.lower_)
        if not candidates:
            return None
        attached = attachments(token, direct_object)
        best: Pattern | None = None
        for pattern in candidates:
            if any(word not in attached for word in pattern.particles):
                continue
            if pattern.object_class and (direct_object is None or not self.in_class(
                    direct_object, pattern.object_class)):
                continue
            if any(not self._prep_object_in(attached[prep], name)
                   for prep, name in pattern.prep_classes):
                continue
            if best is None or pattern.specificity > best.specificity:
                best = pattern
        return best

    def match_noun(self, token: Token) -> Pattern | None:
        """The most specific event-noun pattern ``token`` satisfies, or None."""
        candidates = self.nouns.get(token.lemma_.lower()) or self.nouns.get(token.lower_)
        if not candidates:
            return None
        modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in MODIFIER_DEPS}
        best = None
        for pattern in candidates:
            if set(pattern.modifiers) <= modifiers and (
                    best is None or pattern.specificity > best.specificity):
                best = pattern
        return best

    def _prep_object_in(self, preposition: Token | None, name: str) -> bool:
        """Is the object of ``preposition`` in the class: a noun ("of war crimes"), or a gerund
        or its object ("of committing war crimes")?"""
        if preposition is None:
            return False
        for child in preposition.children:
            if child.dep_ == "pobj" and self.in_class(child, name):
                return True
            if child.dep_ == "pcomp":
                objects = [c for c in child.children if c.dep_ in ("dobj", "pobj")]
                if self.in_class(child, name) or any(self.in_class(o, name) for o in objects):
                    return True
        return False


def attachments(verb: Token, direct_object: Token | None) -> dict[str, Token]:
    """Particles and prepositions of a verb, including those the parser hung on its object
    ("received shells from X", "ratified a pact with Y")."""
    attached = {}
    if direct_object is not None:
        attached.update({c.lower_: c for c in direct_object.children if c.dep_ == "prep"})
    attached.update({c.lower_: c for c in verb.children if c.dep_ in PARTICLE_DEPS})
    return attached


def parse_verb_pattern(text: str, code: str | None, where: str) -> Pattern:
    """Read a verb pattern such as ``provide with @weapons`` or ``receive @arms from:source``."""
    words = text.split()
    if not words or words[0].startswith("@"):
        raise ConfigError(Errors.E303.format(path=where, line="?",
                                             detail=f"a verb pattern starts with a verb: '{text}'"))
    particles, roles, prep_classes = [], [], []
    object_class = None
    previous_prep: str | None = None
    for word in words[1:]:
        if word.startswith("@"):
            if previous_prep and previous_prep not in PARTICLES:
                prep_classes.append((previous_prep, word[1:]))
            else:
                object_class = word[1:]
            previous_prep = None
            continue
        word, _, role = word.partition(":")
        if role and role not in ROLES:
            raise ConfigError(Errors.E303.format(path=where, line="?",
                                                 detail=f"unknown role '{role}' in '{text}'"))
        particles.append(word.lower())
        if role:
            roles.append((word.lower(), role))
        previous_prep = word.lower()
    return Pattern(code=code, kind="verb", lemma=words[0].lower(), text=text, where=where,
                   particles=tuple(particles), object_class=object_class,
                   prep_classes=tuple(prep_classes), roles=tuple(roles))


def parse_noun_pattern(text: str, code: str | None, where: str) -> Pattern:
    words = text.lower().split()
    return Pattern(code=code, kind="noun", lemma=words[-1], text=text, where=where,
                   modifiers=tuple(words[:-1]))


def load(folder: Path | None = None) -> Lexicon:
    """Read the lexicon: ``classes.yaml`` and every ``lexicon/*.yaml`` under ``folder``."""
    folder = folder or data_path("events")
    lexicon = Lexicon()
    classes = _yaml(folder / "classes.yaml") or {}
    for name, members in classes.items():
        lexicon.classes[name] = frozenset(tuple(m.lower().split()) for m in members)
    known = ontology()
    files = [(path, _yaml(path)) for path in sorted((folder / "lexicon").glob("*.yaml"))]
    for path, content in files:
        if isinstance(content, dict):
            for name, members in (content.get("classes") or {}).items():
                lexicon.classes[name] = lexicon.classes.get(name, frozenset()) | frozenset(
                    tuple(m.lower().split()) for m in members)
    for path, content in files:
        entries = content.get("entries", []) if isinstance(content, dict) else content
        for number, entry in enumerate(entries or [], start=1):
            where = f"{path.name}#{number}"
            code = entry.get("code")
            code = None if code in (None, "null") else str(code)
            if code not in (None, LIGHT) and code not in known:
                raise ConfigError(Errors.E303.format(path=path, line=number,
                                                     detail=f"unknown CAMEO code '{code}'"))
            for text in entry.get("verbs") or []:
                pattern = parse_verb_pattern(str(text), code, where)
                for _, name in pattern.prep_classes + ((None, pattern.object_class),):
                    if name and name not in lexicon.classes:
                        raise ConfigError(Errors.E303.format(
                            path=path, line=number, detail=f"unknown class '@{name}' in '{text}'"))
                lexicon.add(pattern)
            for text in entry.get("nouns") or []:
                lexicon.add(parse_noun_pattern(str(text), code, where))
    return lexicon


def _yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(Errors.E303.format(path=path, line="?", detail=exc)) from None


@functools.cache
def default_lexicon() -> Lexicon:
    return load()
