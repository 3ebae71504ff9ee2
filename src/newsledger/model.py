"""The records that flow through newsledger's pipeline.

``RawDocument`` (what a reader found) → ``Article`` (cleaned, identified) → ``Analysis`` (what the
language stages found in it). Every derived record points into ``Article.text`` with character
offsets, so that a user can always see the words behind a row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import IntEnum, StrEnum
from typing import Any


# -- closed vocabularies: one definition each, used by the stages, the CLI and the API ----------
# Members are ``str`` (``int`` for QuadClass), so they compare, store and serialise as the plain
# values users see: ``ClaimStatus.DISPUTED == "disputed"``.


class ClaimStatus(StrEnum):
    """Where a claim stands, from who asserts, denies and confirms it."""

    REPORTED = "reported"
    DISPUTED = "disputed"
    DENIED = "denied"
    CONFIRMED = "confirmed"


class Modality(StrEnum):
    """How an event is told: as fact, as possible, intended, future, conditional, background or
    denied."""

    ASSERTED = "asserted"
    POSSIBLE = "possible"
    INTENDED = "intended"
    FUTURE = "future"
    CONDITIONAL = "conditional"
    BACKGROUND = "background"
    DENIED = "denied"


class Polarity(StrEnum):
    """Whether the event happened (positive) or is said not to have (negative)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


class Period(StrEnum):
    """The buckets of a timeline."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class QuadClass(IntEnum):
    """CAMEO's four quad classes."""

    VERBAL_COOPERATION = 1
    MATERIAL_COOPERATION = 2
    VERBAL_CONFLICT = 3
    MATERIAL_CONFLICT = 4

    @property
    def label(self) -> str:
        """"verbal cooperation" …, as users see it."""
        return self.name.lower().replace("_", " ")


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The plain values of a vocabulary, in order: ``values(Period) == ("day", "week", "month")``."""
    return tuple(member.value for member in vocabulary)


@dataclass(slots=True)
class RawDocument:
    """One document as a reader found it, before cleaning.

    Exactly one of ``text`` and ``html`` is set. The other fields are metadata that the container
    supplied (a JSONL record, a feed entry, an HTTP response); cleaning may find more in the text.
    """

    source: str
    text: str | None = None
    html: str | bytes | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass(slots=True, frozen=True)
class Dateline:
    """Where the reporter filed from ("SEOUL, South Korea:"), which is not always where events were."""

    place: str
    country: str | None = None


@dataclass(slots=True)
class Article:
    """A cleaned article. ``text`` is the cleaned body; every span in the ledger points into it."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    dateline: Dateline | None = None
    source: str = ""
    duplicate_of: str | None = None
    similarity: float | None = None
    date_source: str | None = None  # the rule that gave ``published`` (metadata, html, url, text)
    outlet_country: str | None = None  # ISO-3 of the outlet, from data/outlets.tsv
    outlet_code: str | None = None  # the outlet as a media actor (GBRMED)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_dict(self, *, text: bool = True) -> dict[str, Any]:
        """The article as JSON-ready data, with the field names of the CLI and the API."""
        data = {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "published": self.published,
            "date_source": self.date_source,
            "outlet_country": self.outlet_country,
            "outlet_code": self.outlet_code,
            "dateline": asdict(self.dateline) if self.dateline else None,
            "duplicate_of": self.duplicate_of,
            "source": self.source,
        }
        if text:
            data["text"] = self.text
        return data


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence of an article: its character span in the cleaned text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Actor:
    """A coded actor: CAMEO-style code, display name, country and sector parts."""

    code: str
    name: str
    country: str | None = None
    sector: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "name": self.name, "country": self.country,
                "sector": self.sector}


@dataclass(slots=True)
class Mention:
    """One resolved actor mention in a text.

    head: token index of the phrase head; role: "actor" when the phrase names the actor,
    "modifier" when it names something of the actor ("Russia's relationship").
    kind: person, group (a human collective), country, organization, or other.
    """

    actor: Actor
    text: str
    start: int
    end: int
    head: int
    sentence: int
    rule: str
    kind: str = "other"
    plural: bool = False
    role: str = "actor"

    def to_dict(self) -> dict[str, object]:
        return {**self.actor.to_dict(), "text": self.text, "span": [self.start, self.end],
                "rule": self.rule, "role": self.role}


@dataclass(slots=True)
class ActorRef:
    """The source or target of an event: the actor and the words that name it."""

    code: str
    name: str
    text: str
    start: int
    end: int

    @classmethod
    def of(cls, mention: Mention) -> ActorRef:
        return cls(mention.actor.code, mention.actor.name, mention.text, mention.start,
                   mention.end)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "text": self.text,
                "span": [self.start, self.end]}


@dataclass(slots=True)
class Event:
    """One coded event: who did what to whom, with its evidence and provenance.

    Spans are character offsets into the article's cleaned text. ``rule`` names the lexicon
    entry or model that produced the event, ``provenance`` says which coder decided it (rule,
    model or both); ``confidence`` is a probability, not a constant.
    """

    id: str
    article_id: str
    source: ActorRef | None
    target: ActorRef | None
    cameo: str
    cameo_root: str
    quad_class: int
    goldstein: float
    plover_event: str | None
    plover_mode: str | None
    sentence_start: int
    sentence_end: int
    sentence_text: str
    trigger_start: int
    trigger_end: int
    rule: str
    confidence: float
    polarity: str = "positive"
    modality: str = "asserted"
    attributed_to: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    date_end: str | None = None
    location: dict[str, Any] | None = None
    quantities: list[dict[str, Any]] = field(default_factory=list)
    content: list[str] = field(default_factory=list)  # ids of the events a statement reports
    provenance: str = "rule"  # rule (lexicon alone), model (learned coder alone), both
    # How the confidence was reached (not stored; kept while an article is analysed).
    evidence: Any = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-ready data, in the shape of design.md."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "plover": {"event": self.plover_event, "mode": self.plover_mode},
            "polarity": self.polarity,
            "modality": self.modality,
            "attributed_to": list(self.attributed_to),
            "date": self.date,
            "date_precision": self.date_precision,
            "date_end": self.date_end,
            "location": self.location,
            "quantities": list(self.quantities),
            "content": list(self.content),
            "sentence": {"text": self.sentence_text,
                         "span": [self.sentence_start, self.sentence_end]},
            "trigger": {"text": self.sentence_text[self.trigger_start - self.sentence_start:
                                                   self.trigger_end - self.sentence_start],
                        "span": [self.trigger_start, self.trigger_end]},
            "rule": self.rule,
            "provenance": self.provenance,
            "confidence": round(self.confidence, 3),
        }


CLAIM_STATUSES = values(ClaimStatus)


@dataclass(slots=True)
class Claim:
    """An event that someone asserts, with who asserts, denies and confirms it.

    status: reported (asserted only), disputed (asserted and denied), denied (only denied),
    confirmed (confirmed by the actor who did it, or asserted and confirmed).
    evidence: the statements behind it: {"role", "by", "text", "span"}.
    """

    id: str
    article_id: str
    event_id: str
    asserted_by: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)
    confirmed_by: list[str] = field(default_factory=list)
    status: str = "reported"
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "article_id": self.article_id, "event_id": self.event_id,
                "asserted_by": list(self.asserted_by), "denied_by": list(self.denied_by),
                "confirmed_by": list(self.confirmed_by), "status": self.status,
                "evidence": list(self.evidence)}


@dataclass(slots=True)
class Analysis:
    """What the language stages found in one article."""

    article_id: str
    sentences: list[Sentence] = field(default_factory=list)
    words: int = 0
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # The article's story vector (``stories.embed.article_vector``), when the process that
    # analysed it computed it too: the storing process then never runs the encoder for it.
    meaning: Any = None
