"""The language stages over one parsed article: nlp → actors → events/claims.

``analyse`` runs where the article was parsed (in a worker process when there are several), and
returns plain records, never spaCy objects, so that results are cheap to send back and store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Analysis, Article, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc


def analyse(article: Article, doc: Doc) -> Analysis:
    """What the language stages find in ``article``, given its parse ``doc``."""
    return Analysis(
        article_id=article.id,
        sentences=[Sentence(sent.start_char, sent.end_char) for sent in doc.sents],
        words=sum(1 for token in doc if not token.is_punct and not token.is_space),
    )


def article_text(article: Article) -> str:
    """The text the parser reads for ``article``."""
    return article.text
