"""Quantities in an event: "over 10,000 soldiers", "approximately 1.6 million artillery shells",
"killing 6 civilians, including 2 women" → value, unit, whether approximate, and a bound."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..layers import read_yaml
from ..resources import data_path

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class QuantityCues:
    """The words of quantities (``data/context/quantities.yaml``)."""

    numbers: dict[str, int]
    scales: dict[str, float]
    approximate: frozenset[str]
    approximate_numbers: frozenset[str]
    over: frozenset[str]
    not_over: frozenset[str]
    under: frozenset[str]
    referring: frozenset[str]
    not_quantities: frozenset[str]

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> QuantityCues:
        """The cues of a mapping of the shape of ``data/context/quantities.yaml``."""
        def words(key: str) -> frozenset[str]:
            return frozenset(str(word) for word in spec[key])

        return cls(numbers={str(k): int(v) for k, v in spec["numbers"].items()},
                   scales={str(k): float(v) for k, v in spec["scales"].items()},
                   approximate=words("approximate"),
                   approximate_numbers=words("approximate_numbers"), over=words("over"),
                   not_over=words("not_over"), under=words("under"),
                   referring=words("referring"), not_quantities=words("not_quantities"))


@functools.cache
def quantity_cues() -> QuantityCues:
    """The package's quantity words (``data/context/quantities.yaml``)."""
    return QuantityCues.from_spec(read_yaml(data_path("context", "quantities.yaml")))


def quantities(tokens: list[Token], cues: QuantityCues | None = None) -> list[dict[str, Any]]:
    """Quantities among ``tokens`` (the words of an event's arguments), in text order.

    cues: the quantity words (default ``quantity_cues()``, the package's).
    """
    cues = cues or quantity_cues()
    found, seen = [], set()
    for token in sorted(tokens, key=lambda t: t.i):
        if token.dep_ != "nummod" or token.i in seen or token.ent_type_ in cues.not_quantities:
            continue
        unit = token.head
        if refers_back(unit, cues):
            continue
        numbers = number_tokens(unit, cues)
        value = _value(numbers, cues)
        if value is None:
            continue
        seen.update(t.i for t in numbers)
        found.append(quantity(unit, numbers, value, cues))
    return found


def refers_back(unit: Token, cues: QuantityCues) -> bool:
    """Whether the counted noun has a determiner that refers back ("the two nations"): its
    number names known things, it does not count."""
    return any(c.dep_ in ("det", "predet") and c.lower_ in cues.referring for c in unit.children)


def number_tokens(unit: Token, cues: QuantityCues) -> list[Token]:
    """The words of the number that counts ``unit``, in text order: "1.6 million", "10,000"."""
    numbers = [t for t in unit.children if t.dep_ in ("nummod", "quantmod", "compound")
               and (t.like_num or t.lower_ in cues.scales or t.lower_ in cues.numbers)]
    numbers += [t for n in numbers for t in n.children
                if t.dep_ in ("compound", "quantmod", "nummod")
                and (t.like_num or t.lower_ in cues.scales)]
    return sorted(set(numbers), key=lambda t: t.i)


def modifiers_of(unit: Token, numbers: list[Token]) -> set[str]:
    """The words that modify a number ("over", "about", "at least"): its own modifiers, the
    counted noun's, and the three words before it."""
    modifiers = {t.lower_ for n in numbers for t in n.children if t.dep_ in (
        "quantmod", "advmod", "amod")} | {t.lower_ for t in unit.children
                                           if t.dep_ in ("quantmod", "advmod")}
    return modifiers | {t.lower_ for t in unit.doc[max(0, numbers[0].i - 3):numbers[0].i]}


def bound_of(modifiers: set[str], cues: QuantityCues) -> str | None:
    """"over" for a lower bound ("more than 10,000"), "under" for an upper one ("up to 40",
    "nearly 100"), else None."""
    if modifiers & cues.over and not modifiers & cues.not_over:
        return "over"
    return "under" if modifiers & cues.under else None


def quantity(unit: Token, numbers: list[Token], value: float | int, cues: QuantityCues
             ) -> dict[str, Any]:
    """The quantity ``numbers`` give of ``unit``: value, unit, approximate, bound and text."""
    modifiers = modifiers_of(unit, numbers)
    first = unit.doc[numbers[0].i].lower_
    return {
        "value": value,
        "unit": _unit(unit, cues),
        "approximate": bool(modifiers & cues.approximate) or first in cues.approximate_numbers,
        "bound": bound_of(modifiers, cues),
        "text": unit.doc[min(t.i for t in numbers):unit.i + 1].text,
    }


def _value(numbers: list[Token], cues: QuantityCues) -> float | int | None:
    total, scale = None, 1.0
    for token in numbers:
        word = token.lower_
        if word in cues.scales:
            scale *= cues.scales[word]
        elif word in cues.numbers:
            total = (total or 0) + cues.numbers[word]
        else:
            text = re.sub(r"[,\s]", "", token.text)
            try:
                total = float(text)
            except ValueError:
                return None
    if total is None:
        return None
    value = total * scale
    return int(value) if float(value).is_integer() else value


def _unit(head: Token, cues: QuantityCues) -> str:
    """The counted noun with its modifiers: "artillery shells", "civilians"."""
    words = [t for t in head.lefts if t.dep_ in ("compound", "amod") and not t.like_num
             and t.lower_ not in cues.scales and t.lower_ not in cues.approximate]
    return " ".join([*(t.text for t in words), head.text])
