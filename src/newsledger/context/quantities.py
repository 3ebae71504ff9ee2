"""Quantities in an event: "over 10,000 soldiers", "approximately 1.6 million artillery shells",
"killing 6 civilians, including 2 women" → value, unit, whether approximate, and a bound."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
         "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
         "dozens": 24, "hundreds": 200, "thousands": 2000}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "hundred": 1e2,
          "m": 1e6, "bn": 1e9}
APPROXIMATE = frozenset({"about", "approximately", "around", "nearly", "almost", "roughly",
                         "some", "estimated", "approx", "circa", "up", "over", "more",
                         "dozens", "hundreds", "thousands", "close"})
OVER = frozenset({"over", "more", "above", "least", "exceeding"})
UNDER = frozenset({"under", "less", "fewer", "below", "nearly", "almost", "up"})
NOT_QUANTITIES = frozenset({"DATE", "TIME", "PERCENT", "ORDINAL"})


def quantities(tokens: list[Token]) -> list[dict[str, Any]]:
    """Quantities among ``tokens`` (the words of an event's arguments), in text order."""
    found, seen = [], set()
    for token in sorted(tokens, key=lambda t: t.i):
        if token.dep_ != "nummod" or token.i in seen or token.ent_type_ in NOT_QUANTITIES:
            continue
        unit = token.head
        if any(c.dep_ in ("det", "predet") and c.lower_ in ("the", "these", "those", "both")
               for c in unit.children):
            continue  # "the two nations" refers back; it does not count
        numbers = [t for t in unit.children if t.dep_ in ("nummod", "quantmod", "compound")
                   and (t.like_num or t.lower_ in SCALES or t.lower_ in WORDS)]
        numbers += [t for n in numbers for t in n.children
                    if t.dep_ in ("compound", "quantmod", "nummod") and (t.like_num or t.lower_ in SCALES)]
        numbers = sorted(set(numbers), key=lambda t: t.i)
        value = _value(numbers)
        if value is None:
            continue
        seen.update(t.i for t in numbers)
        modifiers = {t.lower_ for n in numbers for t in n.children if t.dep_ in (
            "quantmod", "advmod", "amod")} | {t.lower_ for t in unit.children
                                               if t.dep_ in ("quantmod", "advmod")}
        modifiers |= {t.lower_ for t in unit.doc[max(0, numbers[0].i - 3):numbers[0].i]}
        bound = "over" if modifiers & OVER and not modifiers & {"up"} else (
            "under" if modifiers & UNDER else None)
        found.append({
            "value": value,
            "unit": _unit(unit),
            "approximate": bool(modifiers & APPROXIMATE) or unit.doc[numbers[0].i].lower_ in (
                "dozens", "hundreds", "thousands"),
            "bound": bound,
            "text": unit.doc[min(t.i for t in numbers):unit.i + 1].text,
        })
    return found


def _value(numbers: list[Token]) -> float | int | None:
    total, scale = None, 1.0
    for token in numbers:
        word = token.lower_
        if word in SCALES:
            scale *= SCALES[word]
        elif word in WORDS:
            total = (total or 0) + WORDS[word]
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


def _unit(head: Token) -> str:
    """The counted noun with its modifiers: "artillery shells", "civilians"."""
    words = [t for t in head.lefts if t.dep_ in ("compound", "amod") and not t.like_num
             and t.lower_ not in SCALES and t.lower_ not in APPROXIMATE]
    return " ".join([*(t.text for t in words), head.text])
