"""``extract``: code one text without a ledger."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import nlp
from .dates import iso, parse_date
from .errors import ConfigError, Errors
from .ingest.dedup import content_id
from .knowledge import Knowledge
from .knowledge import of as knowledge_of
from .model import Analysis, Article, Claim, Event
from .pipeline import Pipeline


@dataclass(slots=True)
class Extraction:
    """What newsledger finds in one text. Spans are character offsets into the given text."""

    article: Article
    analysis: Analysis
    warnings: list[str] = field(default_factory=list)  # skipped lines of knowledge files

    @property
    def events(self) -> list[Event]:
        return self.analysis.events

    @property
    def claims(self) -> list[Claim]:
        return self.analysis.claims

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(text=False),
            "sentences": [[s.start, s.end] for s in self.analysis.sentences],
            "events": [e.to_dict() for e in self.analysis.events],
            "claims": [c.to_dict() for c in self.analysis.claims],
            "actors": [m.to_dict() for m in self.analysis.mentions],
        }


def extract(text: str, published: str | None = None, *, title: str | None = None,
            url: str | None = None, outlet: str | None = None, model: str | None = None,
            dictionaries: tuple[str, ...] = (), coder: str = "model",
            model_events: bool = False, data: Iterable[str | Path] = (),
            knowledge: Knowledge | None = None) -> Extraction:
    """Code the events in ``text`` as it is (no cleaning, so spans point into ``text``).

    published: the article's date (ISO or written out); relative dates and dated roles
        ("Kim Jong Un" → PRKGOV) resolve against it.
    dictionaries: PETRARCH/Phoenix dictionaries to use beside the package's knowledge.
    coder: "model" (the learned event coder, refined by the lexicon) or "rules" (lexicon only).
    data: folders of knowledge to use over the package's (the shape of ``newsledger/data``,
        see ``newsledger.knowledge``), after those of ``$NEWSLEDGER_DATA``.
    knowledge: a ``Knowledge`` to use instead (then ``data`` is not read).
    """
    pipeline = Pipeline(model=model, dictionaries=tuple(str(d) for d in dictionaries),
                        coder=coder, model_events=model_events,
                        knowledge=knowledge or knowledge_of(data))
    day = parse_date(published) if published else None
    if published and day is None:
        raise ConfigError(Errors.E304.format(value=published))
    article = Article(id=content_id(text, title), text=text, title=title, url=url,
                      outlet=outlet, published=iso(day), source="<extract>")
    doc = next(nlp.parse([text], model=model))
    return Extraction(article=article, analysis=pipeline.analyse(article, doc),
                      warnings=pipeline.warnings())
