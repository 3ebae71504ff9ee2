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
from .events.ontology import pentacode_of
from .events.records import to_events
from .model import Analysis, Article, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .actors import Resolver
    from .events import Coder
    from .events.classify import SentenceClassifier


@dataclass(frozen=True, slots=True)
class Pipeline:
    """How articles are analysed.

    model: the spaCy pipeline (see ``newsledger.nlp.model_name``).
    dictionaries: PETRARCH/Phoenix dictionaries added to the actor knowledge base.
    """

    model: str | None = None
    dictionaries: tuple[str, ...] = ()
    classifier_path: str | None = None  # a sentence classifier other than the shipped one

    def resolver(self) -> Resolver:
        return _resolver(self.model, self.dictionaries)

    def coder(self) -> Coder:
        from .events import default_coder

        return default_coder()

    def classifier(self) -> SentenceClassifier | None:
        from .events.classify import default_classifier, load_classifier

        if self.classifier_path:
            return load_classifier(self.classifier_path)
        return default_classifier()

    def prepare(self) -> None:
        """Build the knowledge the stages need (once per process)."""
        from .gazetteer import warm

        self.resolver()
        self.coder()
        self.classifier()
        warm()

    def analyse(self, article: Article, doc: Doc) -> Analysis:
        """What the language stages find in ``article``, given its parse ``doc``."""
        day = parse_date(article.published)
        actors = self.resolver().resolve(doc, day)
        coder = self.coder()
        found_in = [(sentence, coder.sentence_events(sentence, actors)) for sentence in doc.sents]
        classifier = self.classifier()
        coded = [sentence.text for sentence, found in found_in if found]
        probabilities = iter(classifier.predict("pentacode", coded) if classifier and coded
                             else [])
        events = []
        for sentence, found in found_in:
            if not found:
                continue
            classes = next(probabilities, None)
            for item in found:
                agreement = classes.get(str(pentacode_of(item.code))) if classes else None
                events.extend(to_events(item, sentence, article.id, agreement=agreement,
                                        symmetric=coder.is_symmetric(item.code)))
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
