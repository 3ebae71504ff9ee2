"""What resolution and within-article reference share: the article's ``ActorMap``, the
``Candidate`` a phrase gives before reference, the members of a coordination, and the names of
codes.

``resolve`` finds the candidates and ``coref`` completes them into mentions; both import this
module, and neither imports the other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Mention
from .codes import split_code

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ..gazetteer import Gazetteer
    from .kb import Agent, KnowledgeBase


@dataclass(slots=True)
class ActorMap:
    """The actors of one article, by the token index of their phrase head.

    country: the country the article is about, when one has most of its mentions of countries
    (the one its domestic actors take, ``Resolver.domestic_country``), else None.
    """

    by_head: dict[int, list[Mention]] = field(default_factory=dict)
    country: str | None = None

    def add(self, mention: Mention) -> None:
        self.by_head.setdefault(mention.head, []).append(mention)

    def at(self, token_index: int) -> list[Mention]:
        return self.by_head.get(token_index, [])

    def mentions(self) -> list[Mention]:
        found = [m for group in self.by_head.values() for m in group]
        return sorted(found, key=lambda m: (m.start, m.end, m.actor.code))


@dataclass(slots=True)
class Candidate:
    """What the phrase of one head says before within-article reference."""

    head: Token
    span: Span
    codes: list[tuple[str, str, str]]  # (code, name, rule)
    kind: str
    plural: bool
    role: str = "actor"
    agent: Agent | None = None
    needs_reference: bool = False
    surname: str | None = None


def conjuncts(token: Token) -> list[Token]:
    """All members of the coordination ``token`` belongs to, in text order ("Seoul and
    Washington" gives both, from either)."""
    root = token
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    members, stack = [], [root]
    while stack:
        member = stack.pop()
        members.append(member)
        stack.extend(child for child in member.children if child.dep_ == "conj")
    return sorted(members, key=lambda t: t.i)


class CodeNames:
    """Readable names of codes: ``PRKGOV`` → "North Korea government"."""

    def __init__(self, kb: KnowledgeBase, places: Gazetteer) -> None:
        self.kb = kb
        self.places = places

    def code_name(self, code: str) -> str:
        """The name of a code: its country's name and its sector's label."""
        country, sector = split_code(code, self.kb.sectors)
        name = self.places.name_of(country) if country else None
        name = name or (country or "unknown")
        return f"{name} {self.kb.sector_label(sector)}" if sector else name

    def composed_name(self, country: str | None, sectors: list[str]) -> str:
        """The name of a country (None: unknown) with the last of ``sectors`` added."""
        base = self.code_name(country) if country else "unknown"
        return f"{base} {self.kb.sector_label(sectors[-1])}" if sectors else base
