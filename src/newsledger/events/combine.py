"""One decision per event: the learned coder's reading of a sentence joined with the lexicon's.

The model says whether a sentence holds a political event, of which CAMEO root, with which
realis, and which phrases are its source and target. The lexicon knows leaf codes. So:

* the model finds no political event: the lexicon's events of the sentence are dropped (a
  "battle against a virus" or a cricket score is not an assault);
* a lexicon event of the model's root is kept, refined to its leaf code (provenance ``both``);
* a main-clause lexicon event of another root is dropped when the model gives that root almost
  no chance (``contradiction``), else kept as the rules' alone (provenance ``rule``); an act in
  a subordinate or reported clause ("X said that Y attacked Z") is the rules' to find, since the
  model reads one event per sentence, the main clause's;
* where the lexicon finds no act in the main clause, the model's event is kept at root level
  (``190``, rule ``model``), when its phrases name an actor;
* realis: a denied act is negative ("X denied that Y…": the statement stands, Y's act is
  negative); a requested act never stands as the act itself (the request, root 02 or 10, is
  the event); hypothetical and future acts get that modality;
* the model's source and target phrases fill a missing source or target of the main event and
  replace one that the model clearly places elsewhere.

Each decided ``Found`` carries its provenance and the model's confidence: P(event) × P(root).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .extract import Found
from .ontology import ontology

if TYPE_CHECKING:
    from spacy.tokens import Span

    from ..actors import ActorMap
    from ..model import Mention
    from .learned import Reading

REQUEST_ROOTS = ("02", "10")
UNCODED_PHRASE = 0.5  # the tagger's probability a phrase needs to stand as an uncoded actor
NOT_ACTORS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT",
                        "CARDINAL", "ORDINAL", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})
Phrases = dict[str, list[tuple["Mention", float]]]  # role → (mention, the phrase's probability)


@dataclass(frozen=True, slots=True)
class Policy:
    """The decision's thresholds (from the model's card, chosen on calibration data).

    event_threshold: P(event) below which the sentence holds no political event.
    contradiction: a rule event's root is contradicted when the model gives it less than
        1 − contradiction.
    realis: the probability a realis needs to change an event.
    replace_span: the tagger's mean probability a phrase needs to replace a rule's actor.
    model_root: the probability the model's own event (no lexicon event beside it) needs for
        its root: more likely than all the other roots together.
    model_only: whether the model's own events are kept at all. Off by default: in a hand
        audit of 100 events from ECB+ news (docs/audit/2026-12-04-model-v4-ecbplus.jsonl),
        2 of the 67 model-only events were right, against 7 of 13 where model and rules agree.
    """

    event_threshold: float = 0.5
    contradiction: float = 0.9
    realis: float = 0.6
    replace_span: float = 0.8
    model_root: float = 0.5
    model_only: bool = False


def decide(found: list[Found], reading: Reading, sentence: Span, actors: ActorMap,
           policy: Policy, *, number: int | None = None) -> list[Found]:
    """The events of ``sentence``: the lexicon's ``found`` judged by the model's ``reading``.
    ``number`` is the sentence's position in its document (counted when not given)."""
    if not _holds_event(reading, sentence, policy):
        return []
    mood, root, denied_content = _mood_and_root(reading, policy)
    kept = [f for f in found if _stands(f, root, reading, policy, mood)]
    for item in kept:
        item.provenance = "both" if item.code[:2] == root else "rule"
    phrases = _phrase_mentions(reading, sentence, actors, number)
    main = _main(kept, root)
    if main is None:
        main = _model_only_event(kept, root, reading, sentence, phrases, policy)
        if main is not None:
            kept.append(main)
    elif main.via != "frame" and not _subordinate(main):
        _fill_actors(main, phrases, policy)  # the phrases are the main clause's actors
    for item in kept:
        _apply_reading(item, reading, root, mood, denied_content)
    kept.sort(key=lambda item: item.code[:2] != root)  # the model's event leads its sentence
    return kept


def _holds_event(reading: Reading, sentence: Span, policy: Policy) -> bool:
    """Whether the model finds a political event in the sentence, and the sentence is more than
    a fragment ("m .") that cannot say who did what."""
    return reading.event >= policy.event_threshold and sum(t.is_alpha for t in sentence) >= 3


def _mood_and_root(reading: Reading, policy: Policy) -> tuple[str, str, bool]:
    """(mood, root, denied content) of the model's reading. The mood is the realis the model
    is sure of (else "happened"). "X denied that Y…" (a denied statement): the statement was
    made, Y's act is denied. "urged X to condemn Y" (a requested act outside the request
    roots): the event is the demand (root 10), not the condemnation."""
    mood = reading.mood if reading.realis[reading.mood] >= policy.realis else "happened"
    root = reading.root
    denied_content = mood == "denied" and root == "01"
    if denied_content:
        mood = "happened"
    if mood == "requested" and root not in REQUEST_ROOTS:
        root = "10"
    return mood, root, denied_content


def _model_only_event(kept: list[Found], root: str, reading: Reading, sentence: Span,
                      phrases: Phrases, policy: Policy) -> Found | None:
    """The model's own event, only where the policy keeps such events, the sentence does not
    report the rules' acts, and the rules found no act in the main clause (one act, one event:
    "condemned" is not both the rules' 111 and the model's 120); and only when the model is
    sure enough of its root."""
    if not policy.model_only or _reports(sentence, kept) or \
            not all(_subordinate(f) for f in kept):
        return None
    sure = reading.realis["requested"] if root != reading.root else reading.roots[root]
    return _model_event(root, reading, sentence, phrases) if sure >= policy.model_root else None


def _apply_reading(item: Found, reading: Reading, root: str, mood: str,
                   denied_content: bool) -> None:
    """The model's realis on an event of its root (or "denied" on the content of a denied
    statement), and the model's confidence in the event's root: P(event) × P(root)."""
    if item.code[:2] == root:
        _apply_realis(item, mood)
    elif denied_content and _subordinate(item):
        _apply_realis(item, "denied")
    item.model_confidence = reading.event * (
        reading.realis["requested"] if root != reading.root and item.code[:2] == root
        else reading.roots.get(item.code[:2], 0.0))


def _stands(item: Found, root: str, reading: Reading, policy: Policy, mood: str) -> bool:
    """Whether a lexicon event survives the model's reading of its sentence."""
    code_root = item.code[:2]
    if code_root == root:
        return True
    if mood == "requested" and root in REQUEST_ROOTS:
        # "urged Iran to condemn": the condemnation did not happen; the urging (02 or 10) did
        return code_root in REQUEST_ROOTS
    if _subordinate(item):
        return True  # a reported or subordinate act: the model reads the main clause's
    return reading.roots.get(code_root, 0.0) >= 1.0 - policy.contradiction


# Clauses whose act is not the main clause's: complements ("said that…"), side clauses,
# relative clauses, acts of a verb or preposition ("accused X of sending", "plans to attack")
# and coordinated acts ("shelled Kharkiv and bombed Odesa").
SUBORDINATE = frozenset({"ccomp", "xcomp", "pcomp", "parataxis", "advcl", "relcl", "acl", "conj"})


def _subordinate(item: Found) -> bool:
    token = item.trigger
    for _ in range(50):
        if token.head.i == token.i:
            return False
        if token.dep_ in SUBORDINATE:
            return True
        token = token.head
    return False


def _reports(sentence: Span, kept: list[Found]) -> bool:
    """Whether the sentence's main verb reports acts the rules found in its complement ("X said
    that Y attacked Z"): the statement is then coded from them, with them as its content."""
    for item in kept:
        token = item.trigger
        while token.head.i != token.i:
            if token.dep_ in ("ccomp", "parataxis") and token.head.i == sentence.root.i:
                return True
            token = token.head
    return False


def _main(kept: list[Found], root: str) -> Found | None:
    """The lexicon event the model's reading is about: of its root, nearest the parse root."""
    of_root = [f for f in kept if f.code[:2] == root]
    return min(of_root, key=lambda f: (f.depth, -f.specificity)) if of_root else None


def _model_event(root: str, reading: Reading, sentence: Span, phrases: Phrases
                 ) -> Found | None:
    """The model's event at root level, when the lexicon has none of its root."""
    sources = [m for m, _ in phrases["S"]]
    targets = [m for m, _ in phrases["T"] if m.actor.code not in {s.actor.code for s in sources}]
    if not sources and not targets:
        return None  # who did what to whom: an event with neither is no row for a ledger
    code = _root_code(root, reading)
    return Found(code=code, trigger=sentence.root, rule="model", sources=sources[:1],
                 targets=targets[:1], specificity=0, via="model", depth=0,
                 provenance="model")


def _root_code(root: str, reading: Reading) -> str:
    """The "not specified" code of a root (``190``), or the code of the PLOVER type the model
    prefers within the root (RETREAT in root 08 is ``087``… via the ontology's defaults)."""
    table = ontology()
    plover = max((p for p in reading.plover if table.for_plover(p).root == root),
                 key=reading.plover.__getitem__, default=None)
    if plover is not None:
        return table.for_plover(plover).code
    return f"{root}0" if f"{root}0" in table else root


def _phrase_mentions(reading: Reading, sentence: Span, actors: ActorMap,
                     number: int | None = None) -> Phrases:
    """For each role, the actor mention inside each of the model's phrases (the phrase's words
    standing as the mention's text, since the phrase names the actor), with the tagger's
    probability of the phrase. A confident phrase that names no known actor ("the California
    Farm Bureau Federation") stands as an uncoded actor (``---``) named by its words."""
    offset = sentence.start_char
    mentions = [m for token in sentence for m in actors.at(token.i)]
    found: Phrases = {"S": [], "T": []}
    text = sentence.text  # not doc.text, which joins the whole document's tokens anew
    for span in reading.spans:
        start, end = span.start + offset, span.end + offset
        inside = [m for m in mentions if m.start < end and m.end > start]
        # a phrase names its actor; a place in it ("attacked Kharkiv") names the country
        inside = [m for m in inside if m.role == "actor"] or inside
        words = text[span.start:span.end]
        if not inside:
            mention = _uncoded(sentence, start, end, words, number) \
                if span.score >= UNCODED_PHRASE else None
            if mention is not None:
                found[span.role].append((mention, span.score))
            continue
        best = max(inside, key=lambda m: min(m.end, end) - max(m.start, start))
        mention = replace(best, text=words, start=start, end=end) \
            if start <= best.start and best.end <= end else best
        found[span.role].append((mention, span.score))
    return found


def _uncoded(sentence: Span, start: int, end: int, words: str,
             number: int | None = None) -> Mention | None:
    """An actor the knowledge does not know, named by a phrase with a proper noun in it."""
    from ..model import Actor, Mention

    tokens = [t for t in sentence if t.idx >= start and t.idx + len(t) <= end]
    nouns = [t for t in tokens if t.pos_ in ("PROPN", "NOUN") and not t.is_stop]
    if not nouns or nouns[-1].ent_type_ in NOT_ACTORS:
        return None  # a place, a date or an amount is not who acted
    if not any(t.pos_ == "PROPN" for t in nouns):
        return None  # "analysts", "the group": the knowledge codes the agents it knows
    if number is None:  # counting costs a walk over the document: callers pass it
        number = sum(1 for other in sentence.doc.sents if other.start < sentence.start)
    return Mention(actor=Actor("---", " ".join(words.split())), text=words, start=start,
                   end=end, head=nouns[-1].i, sentence=number, rule="model phrase (uncoded)",
                   kind="other")


def _fill_actors(item: Found, phrases: Phrases, policy: Policy) -> None:
    """The model's phrases give a missing source or target, or replace a rule's actor that lies
    outside every phrase of its role when the model is sure of its phrase."""
    for role, current in (("S", item.sources), ("T", item.targets)):
        chosen = [m for m, _ in phrases[role]]
        other = {o.actor.code for o in (item.targets if role == "S" else item.sources)}
        candidate = next(((m, score) for m, score in phrases[role]
                          if m.actor.code not in other), None)
        if candidate is None:
            continue
        if not current:
            current.append(candidate[0])
        elif not any(_overlaps(m, p) for m in current for p in chosen) and \
                candidate[1] >= policy.replace_span:
            current[:] = [candidate[0]]
        else:
            current[:] = [_with_phrase(m, chosen) for m in current]


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _with_phrase(mention: Mention, phrases: list[Mention]) -> Mention:
    """The rule's mention with the words of the model's phrase around it, when there is one."""
    for phrase in phrases:
        if phrase.actor.code == mention.actor.code and phrase.start <= mention.start \
                and mention.end <= phrase.end:
            return replace(mention, text=phrase.text, start=phrase.start, end=phrase.end)
    return mention


def _apply_realis(item: Found, mood: str) -> None:
    """The realis of the model's root on its event. A request is an act that happened (the
    demand), so "requested" changes nothing here: it has already chosen the root."""
    if mood == "denied":
        item.negated = True
    elif mood == "future":
        item.future = True
    if mood in ("hypothetical", "future", "denied"):
        item.realis = mood
