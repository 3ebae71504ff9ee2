"""The language stages over one parsed article: nlp → actors → events/claims.

A ``Pipeline`` is a small, picklable description of how to analyse (which spaCy pipeline, which
extra dictionaries); the knowledge it needs is built once per process, so worker processes each
build their own. ``analyse`` runs where the article was parsed and returns plain records, never
spaCy objects, so results are cheap to send back and store.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .dates import parse_date
from .events.records import to_events
from .model import Analysis, Article, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .actors import Resolver
    from .events import Coder


@dataclass(frozen=True, slots=True)
class Pipeline:
    """How articles are analysed.

    model: the spaCy pipeline (see ``newsledger.nlp.model_name``).
    dictionaries: PETRARCH/Phoenix dictionaries added to the actor knowledge base.
    """

    model: str | None = None
    dictionaries: tuple[str, ...] = ()

    def resolver(self) -> Resolver:
        return _resolver(self.model, self.dictionaries)

    def coder(self) -> Coder:
        from .events import default_coder

        return default_coder()

    def prepare(self) -> None:
        """Build the knowledge the stages need (once per process)."""
        from .gazetteer import warm

        self.resolver()
        self.coder()
        warm()

    def analyse(self, article: Article, doc: Doc) -> Analysis:
        """What the language stages find in ``article``, given its parse ``doc``."""
        day = parse_date(article.published)
        actors = self.resolver().resolve(doc, day)
        coder = self.coder()
        events = []
        for sentence in doc.sents:
            for found in coder.sentence_events(sentence, actors):
                events.extend(to_events(found, sentence, article.id,
                                        symmetric=coder.is_symmetric(found.code)))
        for event in events:
            event.date, event.date_precision = article.published, (
                "day" if article.published else None)
        return Analysis(
            article_id=article.id,
            sentences=[Sentence(sent.start_char, sent.end_char) for sent in doc.sents],
            words=sum(1 for token in doc if not token.is_punct and not token.is_space),
            mentions=actors.mentions(),
            events=events,
        )

    def analyse_pair(self, article: Article, doc: Doc) -> tuple[Article, Analysis]:
        return article, self.analyse(article, doc)


@functools.cache
def _resolver(model: str | None, dictionaries: tuple[str, ...]) -> Resolver:
    from .actors import Resolver, default_knowledge

    return Resolver(default_knowledge(model, dictionaries))


def article_text(article: Article) -> str:
    """The text the parser reads for ``article``."""
    return article.text
