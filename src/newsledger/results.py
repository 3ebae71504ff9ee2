"""Typed results of ``Ledger`` queries: stories, merged events, actors, partners, stats.

Each result is a dataclass with ``to_dict()``, which gives the JSON shape of the CLI and the API
(the same keys, in the same order, as when these results were plain dicts; nested results,
events and claims become dicts too).

Compatibility shim: a result can still be read like a dict — ``story["label"]``,
``story.get("label")``, ``"label" in story``, ``stats.items()``, ``stats == {...}`` — because
code written when results were dicts reads them that way. Each key is the attribute of the same
name, with its value as the attribute holds it (a story's ``events`` are ``Event`` objects).
New code reads attributes and serialises with ``to_dict()``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

R = TypeVar("R", bound="Result")


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: results, events and claims by their ``to_dict``."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


class Result(Mapping[str, Any]):
    """Base of the typed results: ``to_dict`` and the read-only dict view (the shim)."""

    __slots__ = ()

    @classmethod
    def keys_of(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    @classmethod
    def of(cls: type[R], data: Mapping[str, Any]) -> R:
        """The result holding ``data``, a row or a dict with exactly the result's keys."""
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return {name: plain(getattr(self, name)) for name in self.keys_of()}

    # -- the compatibility shim: read like the dict this result used to be -------------------

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys_of():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_of())

    def __len__(self) -> int:
        return len(self.keys_of())


def _result(cls: type[R]) -> type[R]:
    """A result dataclass: slots, and the Mapping's equality (so that it equals its dict)."""
    return dataclass(slots=True, eq=False)(cls)


@_result
class Source(Result):
    """One place an article was read from."""

    source: str
    url: str | None
    outlet: str | None
    seen_at: str


@_result
class Stats(Result):
    """Counts of what a ledger holds."""

    articles: int
    duplicates: int
    words: int
    analysed: int
    sources: int
    outlets: int
    mentions: int
    events: int
    claims: int


@_result
class TimelineBucket(Result):
    """One period of a timeline: events, by quad class, and their mean Goldstein score."""

    period: str
    events: int
    quad_classes: dict[str, int]
    mean_goldstein: float


def buckets(rows: list[Mapping[str, Any]]) -> list[TimelineBucket]:
    return [TimelineBucket.of(row) for row in rows]


@_result
class StorySummary(Result):
    """A story as listed: label, dates, article count, outlets."""

    id: str
    label: str
    first_date: str | None
    last_date: str | None
    articles: int
    outlets: list[str]


@_result
class StoryArticle(Result):
    """An article of a story, with the score and reason it joined by."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    duplicate_of: str | None
    score: float | None
    reason: str | None


@_result
class Story(Result):
    """One story: its articles, their events and claims, and its timeline."""

    id: str
    label: str
    first_date: str | None
    last_date: str | None
    articles: int
    outlets: list[str]
    article_list: list[StoryArticle]
    events: list[Any] = field(default_factory=list)  # Event
    claims: list[Any] = field(default_factory=list)  # Claim
    timeline: list[TimelineBucket] = field(default_factory=list)


@_result
class MergedMention(Result):
    """One report of a merged event, and why it joined."""

    id: str
    article_id: str
    outlet: str | None
    published: str | None
    date: str | None
    source_code: str | None
    target_code: str | None
    cameo: str
    merge_reason: str | None


@_result
class MergedClaims(Result):
    """The claims of a merged event's reports taken together."""

    asserted_by: list[str]
    denied_by: list[str]
    confirmed_by: list[str]
    status: str


@_result
class MergedEvent(Result):
    """An event as reported across articles: its reports, outlets, corroboration, claims."""

    id: str
    source_country: str | None
    target_country: str | None
    cameo_root: str
    cameo: str
    plover_event: str | None
    quad_class: int
    goldstein: float
    date_first: str | None
    date_last: str | None
    place_country: str | None
    mentions: int
    corroboration: int
    outlets: list[str]
    mention_list: list[MergedMention]
    claims: MergedClaims | None = None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> MergedEvent:
        # The stored vector of the merged event (``embedding``) is not part of the result.
        found = {k: v for k, v in data.items() if k not in ("embedding", "mention_list",
                                                              "claims")}
        claims = data.get("claims")
        return cls(**found, mention_list=[MergedMention.of(m) for m in data["mention_list"]],
                   claims=MergedClaims.of(claims) if claims else None)


@_result
class ActorCount(Result):
    """An actor as listed: how often the ledger's articles name it."""

    code: str
    name: str | None
    country: str | None
    sector: str | None
    mentions: int
    articles: int


@_result
class ActorMention(Result):
    """One mention of an actor, with the rule that resolved it."""

    article_id: str
    start: int
    end: int
    text: str
    rule: str | None
    published: str | None
    title: str | None
    span: list[int]


@_result
class Actor(Result):
    """One actor: its names, counts and latest mentions."""

    code: str
    country: str | None
    sector: str | None
    mention_count: int
    articles: int
    names: list[str]
    mentions: list[ActorMention]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Actor:
        return cls(**{**data, "mentions": [ActorMention.of(m) for m in data["mentions"]]})


@_result
class Partner(Result):
    """An actor another deals with: events each way and their mean Goldstein score."""

    partner: str
    events: int
    outgoing: int
    incoming: int
    mean_goldstein: float


@_result
class Dyad(Result):
    """The events between two actors, each way and together, by period."""

    first: str
    second: str
    by: str
    forward: list[TimelineBucket]
    backward: list[TimelineBucket]
    both: list[TimelineBucket]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Dyad:
        return cls(first=data["first"], second=data["second"], by=data["by"],
                   forward=buckets(data["forward"]), backward=buckets(data["backward"]),
                   both=buckets(data["both"]))
