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

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..errors import ConfigError, Errors
from ..layers import item_lines, read_yaml, user_files
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


def load(folder: Path | None = None, *, extra: Sequence[Path] = (),
         warnings: list[str] | None = None) -> Lexicon:
    """Read the lexicon: ``classes.yaml`` and every ``lexicon/*.yaml`` under ``folder`` (the
    package's ``data/events`` by default), then the same files of each user folder in ``extra``
    (folders of the shape of ``data/events``).

    A user's word class adds its members to the class of that name (or makes a new class); a
    user's entries add patterns, and a user pattern with the same text as an earlier one
    (``"provide @weapons"``) replaces it. A bad user entry (an unknown CAMEO code or class, a
    malformed pattern) is skipped with a warning naming its file and line, appended to
    ``warnings``; in the package's files it is a ``ConfigError``.
    """
    folder = folder or data_path("events")
    users = [Path(f) for f in extra]
    notes: list[str] = [] if warnings is None else warnings
    lexicon = Lexicon()
    _add_classes(lexicon, _yaml(folder / "classes.yaml") or {})
    for path in user_files(users, "classes.yaml"):
        _add_classes(lexicon, _user_mapping(path, notes))
    files = _pattern_files(folder, users, notes)
    for source in files:
        _add_classes(lexicon, source.content.get("classes") or {}
                     if isinstance(source.content, dict) else {})
    known = ontology()
    for source in files:
        _add_entries(lexicon, source, known, notes)
    return lexicon


@dataclass(frozen=True, slots=True)
class _PatternFile:
    """One lexicon file: its path, content, the line of each entry (user files), and whether
    it is the package's (errors) or a user's (warnings)."""

    path: Path
    content: object
    lines: tuple[int, ...] = ()
    user: bool = False

    def entries(self) -> list:
        entries = self.content.get("entries", []) if isinstance(self.content, dict) \
            else self.content
        return entries if isinstance(entries, list) else []

    def line(self, number: int) -> int | str:
        """The line of entry ``number`` (from 1): in the file for a user's, else the number."""
        if not self.user:
            return number
        return self.lines[number - 1] if number <= len(self.lines) else "?"


def _pattern_files(folder: Path, users: Sequence[Path], notes: list[str]) -> list[_PatternFile]:
    """The package's lexicon files by name, then each user folder's."""
    files = [_PatternFile(path, _yaml(path))
             for path in sorted((folder / "lexicon").glob("*.yaml"))]
    for user in users:
        for path in sorted((user / "lexicon").glob("*.yaml")):
            content = read_yaml(path, notes)
            if content is not None:
                files.append(_PatternFile(path, content, tuple(item_lines(path)), user=True))
    return files


def _user_mapping(path: Path, notes: list[str]) -> dict:
    content = read_yaml(path, notes)
    if content is not None and not isinstance(content, dict):
        notes.append(f"{path}:1: expected a mapping of class names to words; file skipped")
        return {}
    return content or {}


def _add_classes(lexicon: Lexicon, classes: dict) -> None:
    """Add word classes (name → phrases); a known class gets the new members too."""
    for name, members in classes.items():
        lexicon.classes[name] = lexicon.classes.get(name, frozenset()) | frozenset(
            tuple(str(m).lower().split()) for m in members or [])


def _add_entries(lexicon: Lexicon, source: _PatternFile, known, notes: list[str]) -> None:
    """Add the patterns of every entry of one lexicon file."""
    for number, entry in enumerate(source.entries(), start=1):
        try:
            patterns = _entry_patterns(lexicon, source, number, entry, known)
        except ConfigError as error:
            if not source.user:
                raise
            notes.append(f"{error}; entry skipped")
            continue
        for pattern in patterns:
            if source.user:
                _drop_same_text(lexicon, pattern)
            lexicon.add(pattern)


def _entry_patterns(lexicon: Lexicon, source: _PatternFile, number: int, entry: object,
                    known) -> list[Pattern]:
    """The patterns of one entry, checked: a known CAMEO code, known word classes."""
    path, line = source.path, source.line(number)
    if not isinstance(entry, dict):
        raise ConfigError(Errors.E303.format(path=path, line=line,
                                             detail=f"an entry is a mapping with a code: {entry}"))
    where = f"{path.name}#{number}"
    code = entry.get("code")
    code = None if code in (None, "null") else str(code)
    if code not in (None, LIGHT) and code not in known:
        raise ConfigError(Errors.E303.format(path=path, line=line,
                                             detail=f"unknown CAMEO code '{code}'"))
    patterns = []
    for text in entry.get("verbs") or []:
        try:
            pattern = parse_verb_pattern(str(text), code, where)
        except ConfigError as error:
            raise ConfigError(str(error).replace(f"{where}:?", f"{path}:{line}", 1)) from None
        for _, name in pattern.prep_classes + ((None, pattern.object_class),):
            if name and name not in lexicon.classes:
                raise ConfigError(Errors.E303.format(
                    path=path, line=line, detail=f"unknown class '@{name}' in '{text}'"))
        patterns.append(pattern)
    patterns += [parse_noun_pattern(str(text), code, where) for text in entry.get("nouns") or []]
    return patterns


def _drop_same_text(lexicon: Lexicon, pattern: Pattern) -> None:
    """Remove the patterns a user's pattern replaces: those of the same kind and text."""
    index = lexicon.verbs if pattern.kind == "verb" else lexicon.nouns
    kept = [p for p in index.get(pattern.lemma, []) if p.text.lower() != pattern.text.lower()]
    index[pattern.lemma] = kept


def _yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(Errors.E303.format(path=path, line="?", detail=exc)) from None


def default_lexicon() -> Lexicon:
    """The package's lexicon, read anew (a ``Knowledge`` keeps one: ``Knowledge.lexicon``)."""
    return load()
