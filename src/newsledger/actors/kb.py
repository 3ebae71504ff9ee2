"""The actor knowledge base: who can be named in news, and how.

Named actors (countries, their adjectives and capitals, seats of power, organisations, media,
people with dated roles) and agent phrases ("military official" → MIL) come from the data files
in ``data/actors/``, and optionally from PETRARCH/Phoenix dictionaries (see ``petrarch.py``).
Everything is indexed in token tries, so that one pass over a parsed article finds every name.

Codes follow CAMEO: a country's ISO-3 code, then sector codes (``PRKMIL``); international codes
start with ``IGO``, ``NGO`` or ``IMG``; ``---`` stands for an unknown country (``---GOV``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from ..errors import ConfigError, Errors
from .codes import country_of
from ..gazetteer import Gazetteer, gazetteer
from ..layers import item_lines, layered_rows, read_yaml, user_files, user_lines, user_specs
from ..resources import data_path, split_list


@dataclass(frozen=True, slots=True)
class Role:
    """A code an actor holds, from ``start`` to ``end`` inclusive (None: open)."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None
    title: str | None = None

    def active(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(slots=True)
class Entry:
    """A named actor: its display name, kind, roles and where the knowledge comes from."""

    name: str
    kind: str  # country, adjective, people, capital, seat, organization, media, person, petrarch
    roles: tuple[Role, ...]
    source: str
    default: str | None = None  # code when no dated role applies (PETRARCH's undated block)
    priority: int = 0  # a user's dictionaries (1) win over the package's data (0)

    def role_on(self, day: dt.date | None) -> Role | None:
        """The role held on ``day``; undated articles get the latest role."""
        if day is not None:
            for role in self.roles:
                if role.active(day):
                    return role
            return Role(self.default) if self.default else None
        dated = [r for r in self.roles if r.start or r.end]
        if not dated:
            return self.roles[0] if self.roles else (Role(self.default) if self.default else None)
        return max(dated, key=lambda r: (r.end is None, r.end or dt.date.min, r.start or dt.date.min))

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent phrase: a noun phrase that names a sector ("foreign ministry" → GOV)."""

    phrase: str
    sector: str
    source: str
    human: bool = True
    prefix: bool = False  # PETRARCH ``[NGO~]``: the code goes before the actor's code
    priority: int = 0  # a user's dictionaries (1) win over the package's data (0)


# -- token tries -------------------------------------------------------------------------------

CASE_ANY, CASE_CAPITAL, CASE_EXACT, CASE_FIRST = 0, 1, 2, 3
MIN_STEM = 4  # shorter stems match as whole words only ("AU" must not match "Australian")


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    stems: list[tuple[str, list[tuple[int, tuple[str, ...], object]]]] = field(default_factory=list)
    values: list[tuple[int, tuple[str, ...], object]] = field(default_factory=list)


class PhraseIndex:
    """Longest-match lookup of token sequences, with a case rule per phrase.

    CASE_ANY matches in any case; CASE_CAPITAL needs each capitalised word of the phrase to be
    capitalised in the text (so "china" the porcelain is not China, and "Russia today" is not
    Russia Today); CASE_EXACT needs acronyms spelt the same (so "Who" is not the WHO);
    CASE_FIRST needs the first word capitalised (for all-capitals dictionaries like PETRARCH's).
    A phrase may end in a stem that matches any word it begins (PETRARCH's "ARGENTIN").
    """

    def __init__(self) -> None:
        self.root = _Node()
        self.size = 0

    def add(self, words: Sequence[str], value: object, *, case: int = CASE_CAPITAL,
            stem: bool = False) -> None:
        if not words:
            return
        node = self.root
        keys = [_key(w) for w in words]
        stem = stem and len(keys[-1]) >= MIN_STEM
        for key in keys[:-1] if stem else keys:
            node = node.children.setdefault(key, _Node())
        item = (case, tuple(words), value)
        if stem:
            for existing_stem, items in node.stems:
                if existing_stem == keys[-1]:
                    items.append(item)
                    break
            else:
                node.stems.append((keys[-1], [item]))
        else:
            node.values.append(item)
        self.size += 1

    def longest(self, texts: Sequence[str], start: int,
                keys: Sequence[str] | None = None) -> tuple[int, list[object]]:
        """The longest phrase starting at ``start``: (end, values), or (start, []) for none.
        Phrases of the same length (a stem and a whole word) pool their values. ``keys`` are
        the case-folded ``texts`` (all of them), when the caller has them already."""
        if keys is None:
            keys = [_key(t) for t in texts]
        best_end, best = start, []

        def consider(end: int, found: list[object]) -> None:
            nonlocal best_end, best
            if not found:
                return
            if end > best_end:
                best_end, best = end, list(found)
            elif end == best_end:
                best.extend(found)

        node = self.root
        for position in range(start, min(len(texts), start + 12)):
            key = keys[position]
            for stem, items in node.stems:
                if key.startswith(stem):
                    consider(position + 1, _accept(items, texts, start))
            child = node.children.get(key)
            if child is None:
                break
            node = child
            if node.values:
                consider(position + 1, _accept(node.values, texts, start))
        return best_end, best

    def scan(self, texts: Sequence[str]) -> list[tuple[int, int, list[object]]]:
        """Non-overlapping longest matches, left to right: (start, end, values)."""
        keys = [_key(t) for t in texts]
        first = self.root.children
        stems = bool(self.root.stems)
        found, i = [], 0
        while i < len(texts):
            if not stems and keys[i] not in first:
                i += 1
                continue
            end, values = self.longest(texts, i, keys)
            if values:
                found.append((i, end, values))
                i = end
            else:
                i += 1
        return found


def _key(word: str) -> str:
    return word.replace("\u2019", "'").casefold()


def _accept(items: list[tuple[int, tuple[str, ...], object]], texts: Sequence[str], start: int
            ) -> list[object]:
    accepted = []
    for case, words, value in items:
        span = texts[start:start + len(words)]
        if case == CASE_CAPITAL and not (
                any(ch.isupper() for t in span for ch in t)
                and all(t[:1].isupper() or not w[:1].isupper() for w, t in zip(words, span))):
            continue
        if case == CASE_FIRST and not span[0][:1].isupper():
            continue
        if case == CASE_EXACT and any(
                w.isupper() and t.replace("\u2019", "'") != w for w, t in zip(words, span)):
            continue
        accepted.append(value)
    return accepted


# -- the knowledge base --------------------------------------------------------------------------


@dataclass(slots=True)
class KnowledgeBase:
    """Named actors, agents and the tries that find them in a parsed text."""

    names: PhraseIndex = field(default_factory=PhraseIndex)
    agents: PhraseIndex = field(default_factory=PhraseIndex)
    surnames: dict[str, list[Entry]] = field(default_factory=dict)
    sectors: dict[str, tuple[str, bool]] = field(default_factory=dict)
    # sectors whose members belong to the country where they act (sectors.tsv ``domestic``)
    domestic_sectors: frozenset[str] = frozenset()
    collectives: frozenset[str] = frozenset()
    family_name_first: frozenset[str] = frozenset()
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # skipped lines of user dictionaries

    # -- building --

    def add_entry(self, entry: Entry, variants: Iterable[str], tokenize, *, stem: bool = False,
                  case: int | None = None) -> None:
        self.entries.append(entry)
        for variant in variants:
            words = [w for w in tokenize(variant) if w]
            if words and words[0].casefold() == "the" and len(words) > 1:
                words = words[1:]
            if not words:
                continue
            rule = case if case is not None else _case_rule(words)
            self.names.add(words, entry, case=rule, stem=stem)

    def add_agent(self, agent: Agent, tokenize, *, plurals: bool = True,
                  stem: bool = False) -> None:
        words = [w for w in tokenize(agent.phrase) if w]
        if not words:
            return
        self.agents.add(words, agent, case=CASE_ANY, stem=stem)
        if plurals and not stem:
            for plural in _plurals(words[-1]):
                self.agents.add([*words[:-1], plural], agent, case=CASE_ANY)

    def add_surname(self, entry: Entry) -> None:
        surname = self.surname_of(entry)
        if surname:
            self.surnames.setdefault(surname.casefold(), []).append(entry)

    def surname_of(self, entry: Entry) -> str | None:
        words = entry.name.replace("-", " ").split()
        if len(words) < 2:
            return None
        countries = {country_of(role.code) for role in entry.roles}
        return words[0] if countries & self.family_name_first else words[-1]

    # -- questions --

    def sector_label(self, sector: str) -> str:
        return self.sectors.get(sector, (sector.lower(), True))[0]

    def is_human_agent(self, agent: Agent, head_word: str) -> bool:
        head = head_word.casefold()
        singular = head[:-1] if head.endswith("s") else head
        return agent.human and head not in self.collectives and singular not in self.collectives


def _case_rule(words: Sequence[str]) -> int:
    if any(len(w) > 1 and w.isupper() for w in words):
        return CASE_EXACT
    return CASE_CAPITAL


def _plurals(word: str) -> list[str]:
    lower = word.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es"] if not lower.endswith("ss") else [word + "es"]
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    if lower.endswith("man"):
        return [word[:-3] + "men", word + "s"] if lower != "man" else ["men"]
    return [word + "s"]


def _people_plural(adjective: str) -> str | None:
    """"American" → "Americans"; "British", "Chinese", "Swiss" have no such plural."""
    if adjective.endswith(("sh", "ch", "se", "ss", "s")) or " " in adjective:
        return None
    return adjective + "s"


def _date(value: object, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(Errors.E303.format(path=where, line="?",
                                             detail=f"'{value}' is not a YYYY-MM-DD date")) from None


def simple_tokenizer(text: str) -> list[str]:
    """Split like spaCy's English tokenizer does on names: hyphens, possessives, punctuation."""
    return re.findall(r"[A-Za-z\u00C0-\u024F0-9]+(?:\.[A-Za-z]\.?)*\.?|'s|[^\sA-Za-z0-9]", text)


@dataclass(slots=True)
class ActorTables:
    """The rows of the actor data files, the package's with a user's over them (see
    ``read_tables``), before they are tokenised into a knowledge base."""

    sectors: list[dict[str, str]]
    seats: list[dict[str, str]]
    organizations: list[dict[str, str]]
    media: list[dict[str, str]]
    agents: list[dict[str, str]]
    people: list[tuple[str, dict]]  # (where, record)
    collectives: frozenset[str]
    family_name_first: frozenset[str]
    warnings: list[str] = field(default_factory=list)


def _name_key(row: dict[str, str]) -> str:
    return row["name"].casefold().removeprefix("the ").strip()


def read_tables(folder: Path | None = None, extra: Sequence[Path] = ()) -> ActorTables:
    """Read the actor files of ``folder`` (the package's ``data/actors`` by default) and of each
    user folder in ``extra`` (the same file names, every file optional).

    A user's row replaces the package's row with the same key (``name`` for seats,
    organizations, media and people, ``phrase`` for agents, ``code`` for sectors); other rows
    are added; collectives and ``family_name_first`` are added to. A malformed user line is
    skipped with a warning naming its file and line (``ActorTables.warnings``).
    """
    folder = folder or data_path("actors")
    users = [Path(f) for f in extra]
    warnings: list[str] = []

    def table(name: str, key) -> list[dict[str, str]]:
        return layered_rows(folder / name, user_files(users, name), key, warnings)

    collectives = [line for line in (folder / "collectives.txt").read_text().splitlines()
                   if line.strip() and not line.startswith("#")]
    naming = [read_yaml(folder / "naming.yaml") or {}]
    naming += [spec for _, spec in user_specs(users, ["naming.yaml"], warnings)]
    return ActorTables(
        sectors=table("sectors.tsv", lambda row: row["code"]),
        seats=table("seats.tsv", _name_key),
        organizations=table("organizations.tsv", _name_key),
        media=table("media.tsv", _name_key),
        agents=table("agents.tsv", lambda row: row["phrase"].casefold()),
        people=_people_records(folder / "people.yaml", user_files(users, "people.yaml"),
                               warnings),
        collectives=frozenset(line.strip().casefold() for line in
                              [*collectives, *user_lines(users, "collectives.txt")]),
        family_name_first=frozenset(code for spec in naming
                                    for code in spec.get("family_name_first", []) or []),
        warnings=warnings,
    )


def load_default(tokenize=None, *, folder: Path | None = None, extra: Sequence[Path] = (),
                 places: Gazetteer | None = None, tables: ActorTables | None = None
                 ) -> KnowledgeBase:
    """Build the knowledge base from the package's data files (or those in ``folder``), with
    the user folders ``extra`` over them (see ``read_tables``).

    tokenize: a function from a name to its tokens, as the parser splits them (the spaCy
        tokenizer); names and text must be split alike for the tries to match.
    places: the countries (default: the package's gazetteer).
    tables: rows already read by ``read_tables`` (then ``folder`` and ``extra`` are unused).
    Warnings about user lines are in the result's ``warnings``.
    """
    tokenize = tokenize or simple_tokenizer
    tables = tables or read_tables(folder, extra)
    kb = KnowledgeBase()
    kb.warnings.extend(tables.warnings)
    kb.sectors = {row["code"]: (row["label"], row["human"] == "yes") for row in tables.sectors}
    kb.domestic_sectors = frozenset(row["code"] for row in tables.sectors
                                    if row.get("domestic") == "yes")
    kb.collectives = tables.collectives
    kb.family_name_first = tables.family_name_first
    _add_countries(kb, places or gazetteer(), tokenize)
    _add_named(kb, tables, tokenize)
    for where, record in tables.people:
        add_person(kb, record, where, tokenize)
    for row in tables.agents:
        sector = row["sector"]
        human = kb.sectors.get(sector, ("", True))[1]
        kb.add_agent(Agent(row["phrase"], sector, f"agents.tsv:{row['phrase']}", human), tokenize)
    return kb


def _add_countries(kb: KnowledgeBase, places: Gazetteer, tokenize) -> None:
    """Countries by name and alias, their adjectives and peoples, their capitals."""
    for country in places.countries.values():
        where = f"countries.tsv:{country.code}"
        kb.add_entry(Entry(country.name, "country", (Role(country.code),), where),
                     (country.name, *country.aliases), tokenize)
        for adjective in country.adjectives:
            kb.add_entry(Entry(country.name, "adjective", (Role(country.code),), where),
                         [adjective], tokenize)
            plural = _people_plural(adjective)
            if plural:
                kb.add_entry(Entry(country.name, "people", (Role(country.code),), where),
                             [plural], tokenize)
        for capital in country.capitals:
            kb.add_entry(Entry(capital, "capital", (Role(country.code + "GOV"),), where),
                         [capital], tokenize)


def _add_named(kb: KnowledgeBase, tables: ActorTables, tokenize) -> None:
    """Seats of power, organisations and media, by name and alias."""
    for row in tables.seats:
        kb.add_entry(Entry(row["name"].removeprefix("the "), "seat", (Role(row["code"]),),
                           f"seats.tsv:{row['name']}"), [row["name"]], tokenize)
    for row in tables.organizations:
        kb.add_entry(Entry(row["name"].removeprefix("the "), "organization",
                           (Role(row["code"]),), f"organizations.tsv:{row['name']}"),
                     (row["name"], *split_list(row["aliases"])), tokenize)
    for row in tables.media:
        kb.add_entry(Entry(row["name"].removeprefix("the ").removeprefix("The "), "media",
                           (Role(row["code"]),), f"media.tsv:{row['name']}"),
                     (row["name"], *split_list(row["aliases"])), tokenize)


def _people_records(base: Path, users: Sequence[Path], warnings: list[str]
                    ) -> list[tuple[str, dict]]:
    """The people of the package's ``people.yaml`` with each user's over them: a user's person
    with the same name replaces the package's, others are added. A user's record without a
    name and roles, or with a bad date, is skipped with a warning naming file and line."""
    records: dict[str, tuple[str, dict]] = {}
    if base.exists():
        for record in read_yaml(base) or []:
            _check_person(record, str(base))
            records[str(record["name"]).casefold()] = (f"people.yaml:{record['name']}", record)
    for path in users:
        content = read_yaml(path, warnings)
        if content is None:
            continue
        if not isinstance(content, list):
            warnings.append(f"{path}:1: expected a list of people; file skipped")
            continue
        lines = item_lines(path)
        for number, record in enumerate(content):
            line = lines[number] if number < len(lines) else "?"
            problem = _person_problem(record)
            if problem:
                warnings.append(f"{path}:{line}: {problem}; person skipped")
                continue
            records[str(record["name"]).casefold()] = (f"{path.name}:{record['name']}", record)
    return list(records.values())


def _person_problem(record: object) -> str | None:
    """What is wrong with a person's record, or None."""
    if not isinstance(record, dict) or not record.get("name") or not isinstance(
            record.get("roles"), list) or not record["roles"] or not all(
            isinstance(role, dict) and role.get("code") for role in record["roles"]):
        return f"a person needs a name and roles with codes: {record}"
    for role in record["roles"]:
        for value in (role.get("from"), role.get("until")):
            if value not in (None, "") and not isinstance(value, dt.date):
                try:
                    dt.date.fromisoformat(str(value))
                except ValueError:
                    return f"'{value}' is not a YYYY-MM-DD date"
    return None


def _check_person(record: object, where: str) -> None:
    problem = _person_problem(record)
    if problem:
        raise ConfigError(Errors.E303.format(path=where, line="?", detail=problem))


def add_person(kb: KnowledgeBase, record: dict, where: str, tokenize) -> None:
    """Add one person: name, aliases, and roles with ``from``/``until`` dates."""
    name = record["name"]
    roles = tuple(Role(str(role["code"]), _date(role.get("from"), where),
                       _date(role.get("until"), where), role.get("title"))
                  for role in record["roles"])
    entry = Entry(name, "person", roles, where)
    kb.add_entry(entry, (name, *record.get("aliases", [])), tokenize, case=CASE_CAPITAL)
    kb.add_surname(entry)


def load_people(kb: KnowledgeBase, path: Path, tokenize) -> None:
    """Add the people of a YAML file: name, aliases, and roles with ``from``/``until`` dates."""
    for record in read_yaml(path) or []:
        _check_person(record, str(path))
        add_person(kb, record, f"people.yaml:{record['name']}", tokenize)
