"""Which time expression of a sentence belongs to which event, and the date it gives."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .time import When, resolve

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

TIME_WORDS = frozenset({"yesterday", "today", "tonight", "tomorrow", "overnight"})


def time_expressions(sentence: Span) -> list[Span]:
    """The date phrases of a sentence: spaCy's DATE entities, widened to a leading "between",
    "as early as", "last", and lone words such as "yesterday"."""
    found = [ent for ent in sentence.ents if ent.label_ == "DATE"]
    covered = {t.i for ent in found for t in ent}
    doc = sentence.doc
    for token in sentence:
        if token.lower_ in TIME_WORDS and token.i not in covered:
            found.append(doc[token.i:token.i + 1])
    widened = []
    for span in found:
        start = span.start
        for prefix in (("between",), ("as", "early", "as"), ("as", "soon", "as")):
            if start >= len(prefix) and tuple(t.lower_ for t in doc[start - len(prefix):start]) \
                    == prefix:
                start -= len(prefix)
                break
        widened.append(doc[start:span.end])
    return widened


def owner(span: Span, triggers: set[int]) -> int | None:
    """The predicate a time phrase belongs to: the first trigger or verb up the parse from it
    (a frame verb's phrase dates the event it governs: "as early as next month, X intends to
    deploy")."""
    node = span.root.head if span.root.head.i != span.root.i else span.root
    for _ in range(20):
        if node.i in triggers or node.pos_ in ("VERB", "AUX"):
            return node.i
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def event_time(trigger: Token, phrases: list[tuple[Span, int | None]], anchor: dt.date | None,
               *, future: bool) -> When | None:
    """The time of the event ``trigger``: its own phrase, else one of a verb it is governed by
    through xcomp or conj (the same frame), resolved against ``anchor``."""
    if anchor is None:
        return None
    chain = [trigger.i]
    node = trigger
    while node.dep_ in ("xcomp", "conj") and node.head.i != node.i:
        node = node.head
        chain.append(node.i)
    for index in chain:
        for span, trigger_index in phrases:
            if trigger_index == index:
                found = resolve(span.text, anchor, future=future)
                if found is not None:
                    return found
    return None
