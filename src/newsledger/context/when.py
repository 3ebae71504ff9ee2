"""Which time expression of a sentence belongs to which event, and the date it gives."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import TYPE_CHECKING

from .time import When, resolve

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

TIME_WORDS = frozenset({"yesterday", "today", "tonight", "tomorrow", "overnight"})


def _date_entities(doc: Doc) -> tuple[list[int], list[tuple[int, int]]]:
    """The token spans of the DATE entities of ``doc``, and their starts, found once per
    document (``Span.ents`` walks every entity of the document, once per sentence: quadratic
    in a long article). Kept as numbers in ``user_data``, which must stay serialisable."""
    cached = doc.user_data.get("newsledger:dates")
    if cached is None:
        dates = [(ent.start, ent.end) for ent in doc.ents if ent.label_ == "DATE"]
        cached = ([start for start, _ in dates], dates)
        doc.user_data["newsledger:dates"] = cached
    return cached


def time_expressions(sentence: Span) -> list[Span]:
    """The date phrases of a sentence: spaCy's DATE entities, widened to a leading "between",
    "as early as", "last", and lone words such as "yesterday"."""
    doc = sentence.doc
    starts, dates = _date_entities(doc)
    found = [doc[start:end] for start, end in dates[bisect.bisect_left(starts, sentence.start):
                                                     bisect.bisect_left(starts, sentence.end)]
             if end <= sentence.end]
    covered = {t.i for ent in found for t in ent}
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


# The dependencies by which an event shares the time of the predicate that governs it: the same
# frame ("plans to deploy"), a coordinated predicate ("struck and killed"), an adverbial or
# participial clause ("struck Odesa overnight, killing two"), a clause on a noun ("the attack
# that killed two"). Not a complement clause: "said on Monday that troops had attacked" does not
# date the attack to Monday.
SHARED_TIME = frozenset({"xcomp", "conj", "advcl", "acl", "relcl"})
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NO_ANCHOR = dt.date(2000, 1, 1)


def event_time(trigger: Token, phrases: list[tuple[Span, int | None]], anchor: dt.date | None,
               *, future: bool) -> When | None:
    """The time of the event ``trigger``: its own phrase, else one of a predicate it is governed
    by (``SHARED_TIME``), so that the events of one sentence are dated alike; resolved against
    ``anchor``. Without an anchor (an undated article) only a phrase that names its year
    ("on June 3, 2011", "in 2011") gives a time."""
    chain = [trigger.i]
    node = trigger
    while node.dep_ in SHARED_TIME and node.head.i != node.i and len(chain) < 8:
        node = node.head
        chain.append(node.i)
    for index in chain:
        for span, trigger_index in phrases:
            if trigger_index == index:
                found = _resolve(span.text, anchor, future=future)
                if found is not None:
                    return found
    return None


def _resolve(text: str, anchor: dt.date | None, *, future: bool) -> When | None:
    if anchor is not None:
        return resolve(text, anchor, future=future)
    years = _YEAR.findall(text)
    if not years:
        return None
    found = resolve(text, _NO_ANCHOR, future=future)
    if found is None or str(found.date.year) not in years:
        return None
    return found
