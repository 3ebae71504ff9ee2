"""Where an event happened: "in/near/at/across X" attached to the event, else a place named in
its clause, resolved with the gazetteer to a name, a country and coordinates. The dateline says
where the reporter was, not where the event was, so it is never used here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..gazetteer import Gazetteer, Place

if TYPE_CHECKING:
    from spacy.tokens import Token

PLACE_PREPOSITIONS = ("in", "near", "at", "across", "outside", "inside", "around", "along",
                      "over", "into", "off")
PLACE_ENTITIES = ("GPE", "LOC", "FAC")
# Nouns that name a kind of place: "the town of Samarra", "the city of Mosul".
PLACE_NOUNS = frozenset({"city", "town", "village", "province", "region", "district", "capital",
                         "port", "area", "state", "territory", "enclave", "border", "island",
                         "strait", "sea", "coast", "camp", "base"})


def location(trigger: Token, places: Gazetteer, *, targets: set[int] = frozenset()
             ) -> dict[str, Any] | None:
    """The event's location as {name, country, lat, lon}, or None.

    targets: token indices of the event's target phrases ("fired missiles at Japan": Japan is
        the target, not the place).
    """
    anchors = [trigger, *(c for c in trigger.children if c.dep_ in ("dobj", "pobj", "nsubjpass"))]
    for anchor in anchors:
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ in PLACE_PREPOSITIONS:
                for obj in child.children:
                    if obj.dep_ == "pobj" and not (obj.i in targets and child.lower_ in (
                            "at", "into", "over", "off")):
                        found = _place(obj, places)
                        if found:
                            return found
    return None


def _place(head: Token, places: Gazetteer, depth: int = 0) -> dict[str, Any] | None:
    if depth > 2:
        return None
    span = head.doc[head.left_edge.i:head.i + 1]
    words = [t for t in span if t.pos_ == "PROPN" or t.ent_type_ in PLACE_ENTITIES]
    if words:
        name = head.doc[words[0].i:words[-1].i + 1].text
        place = places.place(name)
        if place is not None:
            return _as_dict(place, name)
    if head.lemma_.lower() in PLACE_NOUNS:
        for child in head.children:  # "the town of Samarra"
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = _place(obj, places, depth + 1)
                        if found:
                            return found
        for token in span:  # "the Ukrainian border"
            code = places.adjective_code(token.text) or places.country_code(token.text)
            if code:
                text = span.text.removeprefix("the ").removeprefix("The ")
                return {"name": text, "country": code, "lat": None, "lon": None}
    return None


def _as_dict(place: Place, text: str) -> dict[str, Any]:
    return {"name": place.name if place.kind == "city" else text, "country": place.country,
            "lat": place.lat, "lon": place.lon}
