"""CAMEO / PETRARCH actor codes: one parser, one rule for the country of a code.

A code is a string of 3-letter blocks:

* a country (ISO-3) and its sector/role blocks: ``PRK``, ``PRKGOV``, ``USAMILGOV``;
* a transnational actor: ``IGO``, ``NGO``, ``IMG`` (international militarised group) or ``MNC``
  (multinational corporation), then the block that names it (``IGOUNO``: the UN, ``NGOAMN``,
  ``MNCUSA``: a US multinational), then sectors: ``IGOUNOMIL``;
* an unknown country, ``---``, then sectors: ``---GOV`` (a government not named);
* PETRARCH's ``[NGO~]``-style agents put before the base are prefixes (see ``compose``).

The rule, used everywhere a code's country is needed (stored ``source_country``, filters, story
merging, timelines, claim status): the country of a code is its first block, or its first two
blocks for a transnational code (``IGOUNO``; a bare ``IGO`` stays ``IGO``), or None for ``---``.
This module depends on nothing else in newsledger.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass

UNKNOWN_COUNTRY = "---"
TRANSNATIONAL = ("IGO", "NGO", "IMG", "MNC")
BLOCK = 3


@dataclass(frozen=True, slots=True)
class ActorCode:
    """A parsed actor code: ``ActorCode.parse("IGOUNOMIL").country == "IGOUNO"``."""

    code: str

    @classmethod
    def parse(cls, code: str) -> ActorCode:
        """The code, upper-cased and stripped (``"prkgov "`` → ``PRKGOV``)."""
        return cls(code.strip().upper())

    @property
    def unknown(self) -> bool:
        """The country is not known: ``---`` or ``---GOV``."""
        return self.code.startswith(UNKNOWN_COUNTRY)

    @property
    def transnational(self) -> bool:
        """An IGO, NGO, IMG or MNC code."""
        return self.code.startswith(TRANSNATIONAL)

    @property
    def country_length(self) -> int:
        """How many letters the country part takes: 6 for a transnational code of at least
        6 letters, else 3."""
        return 2 * BLOCK if self.transnational and len(self.code) >= 2 * BLOCK else BLOCK

    @property
    def country(self) -> str | None:
        """The country part (``PRK``, ``IGOUNO``, ``MNCUSA``), or None for ``---``."""
        if not self.code or self.unknown:
            return None
        return self.code[:self.country_length]

    @property
    def is_country(self) -> bool:
        """The code is a country part alone (``PRK``, ``IGOUNO``, ``IGO``), with no sector: a
        filter by it matches every actor of that country."""
        return bool(self.code) and not self.unknown and self.code == self.country

    @property
    def rest(self) -> str:
        """The blocks after the country part (after ``---`` for an unknown country)."""
        return self.code[BLOCK if self.unknown else self.country_length:]

    def blocks(self) -> list[str]:
        """The 3-letter blocks after the country part: ``PRKGOVMIL`` → ``["GOV", "MIL"]``."""
        rest = self.rest
        return [rest[i:i + BLOCK] for i in range(0, len(rest), BLOCK)]

    def sector(self, sectors: Container[str]) -> str | None:
        """The first block after the country part that is one of ``sectors``."""
        return next((block for block in self.blocks() if block in sectors), None)

    def __str__(self) -> str:
        return self.code


def country_of(code: str | None) -> str | None:
    """The country part of ``code`` (see ``ActorCode.country``); None for None, ``""``, ``---``."""
    return ActorCode(code).country if code else None


def split_code(code: str, sectors: Container[str]) -> tuple[str | None, str | None]:
    """The country part (ISO-3, IGO…, or None for ---) and the first sector of a code."""
    parsed = ActorCode(code)
    return parsed.country, parsed.sector(sectors)


def compose(base: str, sectors: Iterable[str], prefixes: Iterable[str] = ()) -> str:
    """A base code with agent sectors added: PRK + MIL → PRKMIL; a base that already has a
    sector keeps it (USAGOV + GOV → USAGOV); an IGO gets the sector (IGOUNO + MIL → IGOUNOMIL).
    ``prefixes`` (PETRARCH's ``[NGO~]`` agents) go before the base: NGO + ARN + GOV."""
    sectors = list(sectors)
    length = 2 * BLOCK if base.startswith(TRANSNATIONAL) else BLOCK
    code = base
    if sectors and len(base) <= length:
        code = base + "".join(dict.fromkeys(s for s in sectors if s))
    return "".join(dict.fromkeys(prefixes)) + code
