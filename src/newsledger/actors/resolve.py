"""Resolve the noun phrases of a parsed article to coded actors.

Each noun phrase head gets the actors it names:

* a name in the knowledge base: "Kim Jong Un" on 2024-11-18 → PRKGOV (a dated role), "the
  Pentagon" → USAMIL, "KCNA" → PRKMED, "Pyongyang" → PRKGOV;
* a country and an agent composed: "North Korean military official" → PRK + MIL, "South Korea's
  foreign ministry" → KOR + GOV, "officials from South Korea, the U.S., and Japan" → three actors;
* an unknown name that takes the code of its title or appositive: "Russian President X" → RUSGOV,
  "the official, Pak Jong Chon," → the official's code;
* a reference back within the article (``coref.py``): "he", "his country", "the official",
  "the two nations", a surname seen before.

Every mention keeps its text, character span and the rule or entry that resolved it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..context.place import NOT_PLACE_HEADS, Places, article_place, places, proper_name
from ..gazetteer import Gazetteer, gazetteer
from ..model import Actor, Mention
from .codes import TRANSNATIONAL, UNKNOWN_COUNTRY, compose
from .coref import Reference
from .kb import Agent, Entry, KnowledgeBase
from .mentions import ActorMap, Candidate, CodeNames, conjuncts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A proper noun that is not a known actor resolves to a city of at least this many people.
MIN_CITY = 50_000
# A one-word name the parser takes for a person is read as a city only if the city is this big.
BIG_CITY = 500_000
# Nouns that stand for a country already named: "his country", "the two nations".
COUNTRY_NOUNS = frozenset({"country", "nation", "state", "side", "neighbour", "neighbor", "ally",
                           "power"})
# Head nouns that make a place's name a street's: "Santo Domingo street", "Calle Mexico".
STREET_NOUNS = frozenset({"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd",
                          "lane", "square", "highway", "bridge", "drive", "calle", "avenida"})
# The share of an article's country mentions one country must exceed for its domestic actors.
ARTICLE_COUNTRY_SHARE = 0.5
# Agent nouns of sectors that are not human as a whole (media, business) that name one person:
# "the journalist" is a he or she, "the newspaper" an it.
PERSON_NOUNS = frozenset({"journalist", "reporter", "correspondent", "editor", "columnist",
                          "photographer", "cameraman", "anchor", "presenter", "blogger",
                          "businessman", "businesswoman", "executive", "entrepreneur",
                          "tycoon", "banker", "investor", "chairman", "ceo"})
NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod", "det", "nummod",
                           "quantmod", "flat", "advmod"})
COUNTRY_PREPOSITIONS = frozenset({"of", "from", "in"})
# Before an agent ("Cumhuriyet University", "Seoul's foreign ministry"), these lend their country,
# not their own sector.
LEND_COUNTRY = frozenset({"capital", "seat", "media", "person"})
# Heads that are plural whatever their tag: "the police say".
PLURAL_HEADS = frozenset({"police", "people", "media"})
# Tags of relative pronouns that, as subjects, refer back like pronouns: "officials who said".
RELATIVE_TAGS = frozenset({"WDT", "WP"})
# Entry kinds whose code takes the sectors of the agents before it: "North Korean military".
COMPOSED_KINDS = frozenset({"country", "organization", "petrarch"})
# Entity types of an unknown proper name read as a person to find by reference.
UNKNOWN_NAME_ENTITIES = frozenset({"PERSON", "", "ORG", "NORP"})
# Dependencies of a place's name on a street noun after it: "Santo Domingo street".
STREET_NAME_DEPS = frozenset({"compound", "poss", "nmod"})
# Kinds of place whose name before an agent lends the agent its country: "Detroit police".
LOCAL_PLACE_KINDS = frozenset({"city", "region"})
# Entity types of words before an agent that are no place's name, whatever a gazetteer says.
NOT_LOCAL_PLACE_ENTITIES = frozenset({"PERSON", "ORG", "NORP"})
# Named entries of several kinds on one span: the most specific wins.
KIND_ORDER = ("person", "media", "seat", "organization", "petrarch", "country", "capital",
              "people", "adjective")


# -- resolution --------------------------------------------------------------------------------


class Resolver:
    """Resolves the actors of parsed articles with one knowledge base."""

    def __init__(self, kb: KnowledgeBase, countries: Gazetteer | None = None,
                 index: Places | None = None) -> None:
        """countries, index: the gazetteer and place index (default: the package's)."""
        self.kb = kb
        self.places = countries or gazetteer()
        self.index = index
        self.names = CodeNames(kb, self.places)

    def resolve(self, doc: Doc, day: dt.date | None = None, *,
                dateline_country: str | None = None,
                outlet_country: str | None = None) -> ActorMap:
        """The actors of ``doc``, an article published on ``day`` (None: undated).

        dateline_country: the country of the article's dateline, which a domestic actor with no
            country named (police, parliament, opposition) takes (see ``domestic_country``).
        outlet_country: the country of the outlet, taken by such an actor only when the article
            names no country at all.
        """
        words = [t.text for t in doc]
        named: dict[int, tuple[int, int, list[Entry]]] = {}
        for start, end, values in self.kb.names.scan(words):
            for i in range(start, end):
                named[i] = (start, end, values)
        agents: dict[int, tuple[int, Agent]] = {}
        for start, end, values in self.kb.agents.scan(words):
            if not any(i in named for i in range(start, end)):
                agents[end - 1] = (start, max(values, key=lambda a: a.priority))
        context = _Context(doc, day, named, agents)
        candidates = [c for c in (self._candidate(t, context) for t in doc if _is_head(t, named))
                      if c is not None]
        self._share_coordinated_countries(candidates)
        actors = Reference(self.kb, self.names, doc, day).complete(candidates)
        self.domestic_country(actors, dateline_country, outlet_country, doc)
        record_countries(doc, actors, self.places)
        return actors

    def domestic_country(self, actors: ActorMap, dateline_country: str | None,
                         outlet_country: str | None = None, doc: Doc | None = None) -> None:
        """A domestic actor with no country named ("police", "parliament", "the gunman": a
        sector marked ``domestic`` in sectors.tsv) takes a country by an explicit rule recorded
        on the mention (see ``_domestic_rule``). Otherwise it stays without a country."""
        mentions = actors.mentions()
        country, rule = self._domestic_rule(actors, mentions, dateline_country, outlet_country,
                                            doc)
        if not country or country not in self.places.countries:
            return
        for mention in mentions:
            code = mention.actor.code
            sector = code[len(UNKNOWN_COUNTRY):]
            if not code.startswith(UNKNOWN_COUNTRY) or sector not in self.kb.domestic_sectors:
                continue
            mention.actor = Actor(country + sector, self.names.composed_name(country, [sector]),
                                  country, sector)
            mention.rule = f"domestic:{rule} {country} + {mention.rule}"

    def _domestic_rule(self, actors: ActorMap, mentions: list[Mention],
                       dateline_country: str | None, outlet_country: str | None,
                       doc: Doc | None) -> tuple[str | None, str]:
        """The country a domestic actor with no country named takes, and the rule that gives
        it, first found wins: the dateline's (``dateline``); the country named at least twice
        and in more than ``ARTICLE_COUNTRY_SHARE`` of the article's mentions of countries
        (``article``, also kept as ``actors.country``); the country of the city or region the
        article's locative phrases name most (``place``: "police in Cleveland"; see
        ``article_place``); in an article that names no country at all, the outlet's
        (``outlet``). (None, "") when none applies."""
        if dateline_country:
            return dateline_country, "dateline"
        named = Counter(m.actor.country for m in mentions if m.actor.country
                        and len(m.actor.country) == 3
                        and not m.actor.code.startswith(UNKNOWN_COUNTRY))
        country = _article_country(named)
        if country is not None:
            if country in self.places.countries:
                actors.country = country
            return country, "article"
        place = self._place_country(doc, named) if doc is not None else None
        if place is not None:
            return place, "place"
        if not named:
            return outlet_country, "outlet"
        return None, ""

    def _place_country(self, doc: Doc, named: Counter[str]) -> str | None:
        """The country of the place the article is about (``article_place``, names shared by
        several places read in the countries the article names), unless places of that name
        lie in several countries: a guess is not a rule."""
        context = [code for code, _ in named.most_common() if code in self.places.countries]
        index = self.index or places()
        place = article_place(doc, index, context)
        if not place or not place.get("country"):
            return None
        # "Victoria": Australia's state or Canada's city? Places of one name in several
        # countries give no rule.
        namesakes = {c.country for c in index.candidates(place["name"]) if c.name == place["name"]}
        return place["country"] if namesakes <= {place["country"]} else None

    # -- one phrase --

    def _candidate(self, head: Token, ctx: _Context) -> Candidate | None:
        """The actor the phrase headed by ``head`` names, tried in order: a pronoun, a known
        name, a noun standing for a country already named, an agent, a proper name, the
        countries before the head; None when it names none."""
        start = _phrase_start(head)
        span = _phrase_span(head, start, ctx)
        plural = _is_plural(head)
        if _is_pronoun(head):
            return Candidate(head, span, [], "pronoun", plural, needs_reference=True)
        if ctx.named.get(head.i):
            return self._named_candidate(head, start, span, plural, ctx)
        modifiers = self._modifier_codes(head, start, ctx)
        if head.lemma_.casefold() in COUNTRY_NOUNS and not modifiers and _refers_back(head):
            return Candidate(head, span, [], "country-ref", plural, needs_reference=True)
        agent_match = self._head_agent(head, ctx)
        if agent_match:
            return self._agent_candidate(head, start, span, plural, agent_match, modifiers, ctx)
        if head.pos_ == "PROPN" or head.ent_type_ == "PERSON":
            return self._proper_name_candidate(head, start, span, modifiers, ctx)
        if modifiers:
            return Candidate(head, span, modifiers, "other", plural, role="modifier")
        return None

    def _named_candidate(self, head: Token, start: int, span: Span, plural: bool,
                         ctx: _Context) -> Candidate | None:
        """A head in the knowledge base: its entry's role on the day, composed with the agents
        before it for a country or organisation ("North Korean military" → PRKMIL); a company
        for a country's name inside one ("Zipmex Thailand"); None when the entry has no role on
        the day or the name is part of a street's or organisation's name."""
        entry = _best(ctx.named[head.i][2])
        role = entry.role_on(ctx.day)
        if role is None:
            return None
        inside = self._inside_a_name(head, entry, role, ctx)
        if inside == "name":
            return None  # "St. John's Ambulance", "Santo Domingo street": not the place
        if inside == "company":  # "Zipmex Thailand": a business, not the country
            return _company_candidate(head, entry, role)
        if ctx.day is None and entry.is_person:
            role = self._role_by_title(entry, role, head, start, ctx)
        rule = _entry_rule(entry, role)
        sectors, prefixes = _sectors_and_prefixes(self._modifier_agents(head, start, ctx))
        codes = []
        for code in role.code.split("/"):
            if entry.kind in COMPOSED_KINDS:
                code = compose(code, sectors, prefixes)
            codes.append((code, self._name(entry, code), rule))
        return Candidate(head, span, codes, _entry_kind(entry), plural or entry.kind == "people")

    def _head_agent(self, head: Token, ctx: _Context) -> tuple[int, Agent] | None:
        """The agent phrase ending at the head (its start and agent); for a collective head,
        the one just before it: "opposition groups", "rebel movement" take their modifier's
        sector."""
        agent_match = ctx.agents.get(head.i)
        if agent_match is None and head.i - 1 in ctx.agents and _collective(head, self.kb):
            return ctx.agents[head.i - 1]
        return agent_match

    def _agent_candidate(self, head: Token, start: int, span: Span, plural: bool,
                         agent_match: tuple[int, Agent],
                         modifiers: list[tuple[str, str, str]], ctx: _Context) -> Candidate:
        """An agent head ("officials", "the foreign ministry"): composed with the countries
        before it or after its preposition ("South Korea's foreign ministry" → KORGOV,
        "officials from Japan"), or with no country yet, to be found by reference."""
        agent_start, agent = agent_match
        sectors, prefixes = _sectors_and_prefixes([*self._modifier_agents(head, start, ctx), agent])
        kind = self._agent_kind(head, agent, plural)
        countries = (modifiers or self._prepositional_codes(head, ctx)
                     or self._local_place_codes(head, start, agent_start))
        agent_text = head.doc[agent_start:head.i + 1].text
        if countries:
            codes = [(compose(code, sectors, prefixes),
                      self.names.composed_name(code, sectors),
                      f"{rule} + agent:{agent_text}")
                     for base, _, rule in countries for code in base.split("/")]
            return Candidate(head, span, codes, kind, plural, agent=agent)
        code = "".join(dict.fromkeys(prefixes)) + UNKNOWN_COUNTRY + "".join(
            dict.fromkeys(sectors))
        return Candidate(head, span, [(code, self.names.composed_name(None, sectors),
                                        f"agent:{agent_text}")], kind, plural,
                          agent=agent, needs_reference=True)

    def _local_place_codes(self, head: Token, start: int, agent_start: int
                           ) -> list[tuple[str, str, str]]:
        """The country of a city (of at least ``MIN_CITY`` people) or first-level region named
        just before an agent, spelt as the gazetteer spells it ("Philadelphia police", "Oregon
        officials"), as ``(code, name, rule)``; empty when the words before the agent name no
        such place or are tagged as a person's or organisation's name."""
        doc = head.doc
        words = [t for t in doc[start:agent_start] if t.pos_ == "PROPN" or t.ent_type_ == "GPE"]
        if not words or words[-1].i != agent_start - 1 or any(
                t.ent_type_ in NOT_LOCAL_PLACE_ENTITIES for t in words):
            return []  # "Bush administration", "Nigel Hacker": a person's name, not Būsh, Nigel
        name = doc[words[0].i:agent_start].text
        place = (self.index or places()).resolve(name)
        if place is None or not place.country or place.kind not in LOCAL_PLACE_KINDS or (
                place.kind == "city" and place.population < MIN_CITY) or (
                place.name.casefold() != name.casefold()):
            return []
        return [(place.country, self.names.code_name(place.country), f"place:{place.name}")]

    def _agent_kind(self, head: Token, agent: Agent, plural: bool) -> str:
        """"person" or "group" for an agent that is people ("officials", "the journalist"),
        "organization" for one that is not ("the ministry", "the newspaper")."""
        if self.kb.is_human_agent(agent, head.text) or head.lemma_.casefold() in PERSON_NOUNS:
            return "group" if plural else "person"
        return "organization"

    def _proper_name_candidate(self, head: Token, start: int, span: Span,
                               modifiers: list[tuple[str, str, str]],
                               ctx: _Context) -> Candidate | None:
        """An unknown proper name: a titled person ("Russian President X"), a city with no
        country before it ("Kharkiv" → UKR), else a person to find by reference ("Pak");
        None for other kinds of entity."""
        title = self._title(head, start, ctx)
        if title is not None:
            return title
        place = None if modifiers else self._city_of_name(head, span)
        if place is not None:
            return Candidate(head, span, [(place.country, self.names.code_name(place.country),
                                            f"place:{place.name}")], "country", False,
                              role="modifier")
        if head.ent_type_ in UNKNOWN_NAME_ENTITIES:
            return Candidate(head, span, [], "person", False, needs_reference=True,
                              surname=_name_text(head, ctx))
        return None

    def _city_of_name(self, head: Token, span: Span):
        """The city a proper name stands for (see ``_city``), unless the parser takes it for a
        person whose name is also a town's: a small town's, a name of several words or a known
        surname."""
        place = self._city(span)
        if place is None:
            return None
        if head.ent_type_ == "PERSON" and (place.population < BIG_CITY or len(span) > 1
                                           or head.lower_ in self.kb.surnames):
            return None  # a person's name that is also a town's
        if place.population < BIG_CITY and (place.name.casefold() != span.text.casefold()
                                            or _surname_of_a_person_named(head)):
            return None  # "Palin" after "Sarah Palin" is not Palín, Guatemala
        return place

    def _inside_a_name(self, head: Token, entry: Entry, role, ctx: _Context) -> str | None:
        """Whether a country's or capital's name is part of a longer name: "company" for a
        country's name with unknown proper nouns beside it ("Zipmex Thailand"), "name" for a
        street, building or organisation ("Santo Domingo street", "St. John's Ambulance"),
        None when the name stands for itself (or the longer name is itself a place: "Mexico
        City")."""
        if not self._names_a_country(entry, role):
            return None
        start, end, _ = ctx.named[head.i]
        name = proper_name(head)
        if _names_a_street(head.doc, end):
            return "name"
        if name is None or (name.start >= start and name.end <= end):
            return None
        extra = [t for t in name if not start <= t.i < end and t.tag_ != "POS"]
        return self._longer_name(name, extra, entry, ctx)

    def _names_a_country(self, entry: Entry, role) -> bool:
        """Whether an entry names a country or capital: one of those kinds, or a PETRARCH entry
        whose code is a bare country's."""
        if entry.kind not in ("country", "capital", "petrarch") or len(role.code) < 3:
            return False
        return entry.kind != "petrarch" or _is_country_code(role.code, self.places)

    def _longer_name(self, name: Span, extra: list[Token], entry: Entry,
                     ctx: _Context) -> str | None:
        """What a proper name longer than a country's or capital's is, given its ``extra``
        words: None when they are actors of their own ("Russian President Vladimir Putin") or
        the whole is a place ("Mexico City"); "name" for an organisation, a capital's longer
        name or a person's; else "company"."""
        if any(t.i in ctx.named or t.i in ctx.agents for t in extra):
            return None  # "Russian President Vladimir Putin", "Thailand's Prime Minister"
        if (self.index or places()).candidates(name.text) or self.places.country_code(name.text):
            return None  # "Mexico City", "New Mexico"
        if any(t.lower_.rstrip(".") in NOT_PLACE_HEADS for t in extra):
            return "name"
        if entry.kind == "capital" or any(t.ent_type_ in ("PERSON",) for t in extra):
            return "name"
        return "company"

    def _role_by_title(self, entry: Entry, role, head: Token, start: int, ctx: _Context):
        """Undated text: "President Hosni Mubarak" is the president, not the latest (former)
        role; "former"/"ousted" titles keep it."""
        titled = [ctx.agents[i] for i in ctx.agents if start <= i < head.i]
        words = {t.lower_ for t in head.doc[start:head.i]}
        if not titled or words & {"former", "ousted", "ex", "late", "deposed", "exiled"}:
            return role
        sector = titled[-1][1].sector
        for candidate in sorted(entry.roles, key=lambda r: r.start or dt.date.min, reverse=True):
            if candidate.code.endswith(sector):
                return candidate
        return role

    def _city(self, span: Span):
        """A city named by a proper-noun phrase ("Kharkiv", "Gaza City"), if the gazetteer knows
        one of at least ``MIN_CITY`` people by that name."""
        words = [t for t in span if t.pos_ == "PROPN" and any(c.isalpha() for c in t.text)]
        if not words:
            return None  # a stray "." tagged PROPN is no city's name
        name = span.doc[words[0].i:words[-1].i + 1].text
        place = self.places.place(name)
        if place and place.country and place.kind == "city" and place.population >= MIN_CITY:
            return place
        return None

    def _modifier_codes(self, head: Token, start: int, ctx: _Context) -> list[tuple[str, str, str]]:
        """Countries, capitals, organisations named before the head in its phrase, with the
        coordinated ones ("US and British activists")."""
        found: dict[str, tuple[str, str, str]] = {}
        i = start
        while i < head.i:
            if i in ctx.named:
                m_start, m_end, entries = ctx.named[i]
                if m_end <= head.i + 1 and m_start >= start and m_end - 1 != head.i:
                    entry = _best(entries)
                    role = entry.role_on(ctx.day)
                    if role and head.lower_.rstrip(".") in STREET_NOUNS and entry.kind in (
                            "country", "capital", "petrarch"):
                        role = None  # "Santo Domingo street" is a street, not the country
                    if role:
                        code = role.code
                        if entry.kind in LEND_COUNTRY and head.i in ctx.agents \
                                and not code.startswith(TRANSNATIONAL):
                            code = code[:3]
                        found.setdefault(code, (code, self._name(entry, code),
                                                _entry_rule(entry, role)))
                    i = m_end
                    continue
            i += 1
        return list(found.values())

    def _modifier_agents(self, head: Token, start: int, ctx: _Context) -> list[Agent]:
        """Agent phrases before the head agent: "Islamist media" → MUS before MED."""
        found = []
        for end_index in range(start, head.i):  # an agent ends inside the phrase (not all agents)
            if end_index not in ctx.agents:
                continue
            agent_start, agent = ctx.agents[end_index]
            if start <= agent_start and end_index not in ctx.named:
                if agent.sector not in ("GOV",) or head.i not in ctx.agents:
                    found.append((agent_start, agent))
        return [agent for _, agent in sorted(found, key=lambda item: item[0])]

    def _prepositional_codes(self, head: Token, ctx: _Context) -> list[tuple[str, str, str]]:
        """Countries in "officials from X", "the government of X", "lawmakers in X and Y"."""
        found = []
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in COUNTRY_PREPOSITIONS:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        for member in conjuncts(obj):
                            found.extend(self._country_of(member, ctx))
        return found

    def _country_of(self, token: Token, ctx: _Context) -> list[tuple[str, str, str]]:
        if token.i in ctx.named:
            entry = _best(ctx.named[token.i][2])
            role = entry.role_on(ctx.day)
            if role:
                code = role.code if entry.kind not in ("capital",) else role.code[:3]
                return [(code, self._name(entry, code), _entry_rule(entry, role))]
        if token.ent_type_ in ("GPE", "LOC"):
            place = self.places.place(token.text)
            if place and place.country:
                return [(place.country, self.names.code_name(place.country), f"place:{place.name}")]
        return []

    def _title(self, head: Token, start: int, ctx: _Context) -> Candidate | None:
        """An unknown name with a title before it: "Russian President X", "Foreign Minister X"."""
        agent_end = max((i for i in ctx.agents if start <= i < head.i), default=None)
        if agent_end is None:
            return None
        agent_start, agent = ctx.agents[agent_end]
        countries = (self._modifier_codes(head.doc[agent_end], start, ctx)
                     or self._local_place_codes(head.doc[agent_end], start, agent_start))
        text = head.doc[agent_start:agent_end + 1].text
        if countries:
            codes = [(compose(code, [agent.sector]), _name_text(head, ctx),
                      f"{rule} + title:{text}") for code, _, rule in countries]
            return Candidate(head, head.doc[start:head.i + 1], codes, "person", False,
                              agent=agent, surname=_name_text(head, ctx))
        return Candidate(head, head.doc[start:head.i + 1],
                          [(UNKNOWN_COUNTRY + agent.sector, _name_text(head, ctx),
                            f"title:{text}")], "person", False, agent=agent,
                          needs_reference=True, surname=_name_text(head, ctx))

    def _share_coordinated_countries(self, candidates: list[Candidate]) -> None:
        """"Lawmakers and officials in X and Y": members without a country take their
        coordinated sibling's countries."""
        by_head = {c.head.i: c for c in candidates}
        for candidate in candidates:
            if not (candidate.needs_reference and candidate.agent):
                continue
            for other_token in conjuncts(candidate.head):
                other = by_head.get(other_token.i)
                if other is None or other is candidate or other.needs_reference or not other.agent:
                    continue
                countries = {code[:3] for code, _, _ in other.codes}
                sector = candidate.agent.sector
                candidate.codes = [(compose(country, [sector]),
                                    self.names.composed_name(country, [sector]),
                                    f"coordination:{other.span.text} + agent:{candidate.span.text}")
                                   for country in sorted(countries)]
                candidate.needs_reference = False
                break

    # -- names --

    def _name(self, entry: Entry, code: str) -> str:
        if entry.kind in ("adjective", "people", "capital"):
            return self.names.code_name(code)
        return entry.name


def _is_country_code(code: str, places_: object) -> bool:
    """A bare country code ("THA"), not a person's or organisation's."""
    return len(code) == 3 and code in places_.countries


def record_countries(doc: Doc, actors: ActorMap, countries: Gazetteer | None = None) -> None:
    """Keep on the ``Doc`` the countries its actors belong to, most mentioned first: the place
    stage reads a name shared by several places as the one in these countries."""
    from collections import Counter

    from ..context.place import COUNTRIES_KEY

    counts = Counter(m.actor.country for m in actors.mentions()
                     if m.actor.country and len(m.actor.country) == 3
                     and m.actor.country in (countries or gazetteer()).countries)
    doc.user_data[COUNTRIES_KEY] = [code for code, _ in counts.most_common()]


@dataclass(slots=True)
class _Context:
    doc: Doc
    day: dt.date | None
    named: dict[int, tuple[int, int, list[Entry]]]
    agents: dict[int, tuple[int, Agent]]


def _is_head(token: Token, named: dict[int, tuple[int, int, list[Entry]]]) -> bool:
    if token.pos_ not in NOMINAL and token.i not in named:
        return False
    if token.dep_ in ("compound", "flat") and token.head.i != token.i:
        # A name's inner word ("Kim" in "Kim Jong Un") is not a head of its own, but a
        # compound that names a different actor ("Arnor" in "Arnor security officials") is
        # resolved as a modifier of the phrase it belongs to.
        return False
    if token.dep_ == "amod":
        return False
    if token.i in named:
        start, end, _ = named[token.i]
        if token.i != end - 1 and token.head.i in range(start, end):
            return False
    return True


def _collective(head: Token, kb: KnowledgeBase) -> bool:
    lemma = head.lemma_.casefold()
    return lemma in kb.collectives or lemma in ("member", "supporter", "faction", "wing", "camp",
                                               "cell", "unit", "network", "bloc")


def _refers_back(head: Token) -> bool:
    """"his country", "the nation", "the two nations", "both countries" (not "a country")."""
    for child in head.children:
        if child.dep_ == "poss" and child.pos_ == "PRON":
            return True
        if child.lower_ in ("the", "two", "both", "this", "that"):
            return True
    return False


def _surname_of_a_person_named(head: Token) -> bool:
    """Whether the head is the last word of a person's name of several words that the parser
    found in the article: "Palin" after "Sarah Palin"."""
    return any(ent.label_ == "PERSON" and len(ent) > 1 and ent[-1].text == head.text
               for ent in head.doc.ents)


def _phrase_span(head: Token, start: int, ctx: _Context) -> Span:
    """The phrase from ``start`` to the head, or on to the end of a known name that goes on past
    the head."""
    if head.i in ctx.named and ctx.named[head.i][1] > head.i + 1:
        return head.doc[start:ctx.named[head.i][1]]
    return head.doc[start:head.i + 1]


def _is_plural(head: Token) -> bool:
    """Whether the head names several: a plural noun, or one of ``PLURAL_HEADS``."""
    return head.tag_ in ("NNS", "NNPS") or head.lower_ in PLURAL_HEADS


def _is_pronoun(head: Token) -> bool:
    """A pronoun ("he", "they"), or a relative pronoun as subject ("who said")."""
    return head.pos_ == "PRON" or (head.tag_ in RELATIVE_TAGS and head.dep_.startswith("nsubj"))


def _names_a_street(doc: Doc, end: int) -> bool:
    """Whether the name ending before ``end`` modifies a street noun after it: "Santo Domingo
    street"."""
    last = doc[end - 1]
    return (last.dep_ in STREET_NAME_DEPS and last.head.i >= end
            and last.head.lower_.rstrip(".") in STREET_NOUNS)


def _company_candidate(head: Token, entry: Entry, role) -> Candidate:
    """A business named with a country's name ("Zipmex Thailand"): the country's BUS code."""
    name_span = proper_name(head)
    code = role.code[:3] + "BUS"
    return Candidate(head, name_span, [(code, name_span.text,
                                        f"company:{name_span.text} + {_entry_rule(entry, role)}")],
                      "organization", False)


def _sectors_and_prefixes(agents: list[Agent]) -> tuple[list[str], list[str]]:
    """The sectors of ``agents`` and, apart, those that are prefixes, in order."""
    return ([a.sector for a in agents if not a.prefix], [a.sector for a in agents if a.prefix])


def _phrase_start(head: Token) -> int:
    start = head.i
    for child in head.lefts:
        if child.dep_ in MODIFIER_DEPS or child.dep_ == "case":
            start = min(start, child.left_edge.i)
    return start


def _best(entries: list[Entry]) -> Entry:
    """The entry to use when one span names several: a user's dictionary first, then the most
    specific kind."""
    return min(entries, key=lambda e: (-e.priority,
                                       KIND_ORDER.index(e.kind) if e.kind in KIND_ORDER else 99))


def _entry_kind(entry: Entry) -> str:
    return {"person": "person", "country": "country", "capital": "country",
            "adjective": "country", "people": "group", "media": "organization",
            "organization": "organization", "seat": "organization"}.get(entry.kind, "organization")


def _entry_rule(entry: Entry, role) -> str:
    rule = f"{entry.kind}:{entry.name}"
    if role.title or role.start or role.end:
        dates = f"{role.start or ''}..{role.end or ''}"
        rule += f" ({role.title + ', ' if role.title else ''}{dates})"
    return rule


def _name_text(head: Token, ctx: _Context) -> str:
    """The proper name ending at ``head`` ("Pak Jong Chon"), without titles or determiners."""
    words = [head]
    for token in reversed(list(head.lefts)):
        if token.i == words[0].i - 1 and token.pos_ == "PROPN" and token.i not in ctx.agents \
                and not any(token.i in range(s, e + 1) for e, (s, _) in ctx.agents.items()):
            words.insert(0, token)
        else:
            break
    return " ".join(t.text for t in words)


def _article_country(named: Counter[str]) -> str | None:
    """The country an article is about, if one is named at least twice and has more than
    ``ARTICLE_COUNTRY_SHARE`` of its mentions of countries."""
    if not named:
        return None
    top, count = named.most_common(1)[0]
    if count >= 2 and count > ARTICLE_COUNTRY_SHARE * sum(named.values()):
        return top
    return None
