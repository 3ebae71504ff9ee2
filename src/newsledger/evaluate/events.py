"""Event coding scored on gold data.

* ``petr2-gsr``: PETRARCH-2's gold standard. Each sentence is coded alone (dated as the record
  says); the predicted triples are the (source, target, CAMEO root) of its positive events.
  Precision, recall and F1 of triples with actors compared at country level (first three
  letters; a missing target equals the gold "---"), the same with full codes, and the share of
  ``expect_no_event`` sentences that get no event.
* ``plover``: ``plover_gsr.json``. The sentence's main event (the one nearest the root of the
  parse, among events with a PLOVER type) gives the PLOVER type, compared with the gold event
  (0.5 names mapped to 2.0 as shared/README.md says); actor and recipient F1 compare the main
  event's source and target codes with the gold actor and recipient codes at country level.
* ``pentacode``: ``cameo_pentacode_train.tsv``. Each sentence's main event gives its class
  (0 = CAMEO 01, 1 = 02-05, 2 = 06-08, 3 = 09-13, 4 = 14-20); a sentence with no event takes
  the sentence classifier's class. The classifier is trained on this file, so it is scored by
  5-fold cross-validation: each fold's sentences are classified by a model trained without them.
  Macro-F1 of the five classes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from .. import nlp
from ..model import Article, Event
from ..pipeline import Pipeline
from .gold import pentacode_records, petrarch_records, plover_records
from .report import Score, prf, scorer


def code_sentences(texts: list[str], dates: list[dt.date | None], pipeline: Pipeline
                   ) -> list[list[Event]]:
    """The events of each text, coded as a one-sentence article."""
    results = []
    docs = nlp.parse(texts, model=pipeline.model)
    for number, (text, day, doc) in enumerate(zip(texts, dates, docs)):
        article = Article(id=f"gold{number}", text=text,
                          published=day.isoformat() if day else None)
        results.append(pipeline.analyse(article, doc).events)
    return results


def main_event(events: Iterable[Event], *, need_plover: bool = False) -> Event | None:
    """The sentence's main event: events come nearest-the-root first; negated ones are not
    events that happened."""
    for event in events:
        if event.polarity != "positive":
            continue
        if need_plover and not event.plover_event:
            continue
        return event
    return None


def _country(code: str | None) -> str:
    return (code or "---")[:3] if code else "---"


@scorer("petr2-gsr")
def petr2_gsr(folder: Path, pipeline: Pipeline) -> Score:
    records = [r for r in petrarch_records(folder, "petr2_gsr.jsonl") if r.text.strip()]
    coded = code_sentences([r.text for r in records], [r.date for r in records], pipeline)
    tallies = {"country": [0, 0, 0], "full": [0, 0, 0]}
    silent, expect_silent = 0, 0
    for record, events in zip(records, coded):
        positive = [e for e in events if e.polarity == "positive"]
        for level, key in (("country", _country), ("full", lambda c: c or "---")):
            gold = {(key(t.source), key(t.target or None), t.cameo[:2]) for t in record.expected}
            ours = {(key(e.source.code if e.source else None),
                     key(e.target.code if e.target else None), e.cameo_root) for e in positive}
            tallies[level][0] += len(gold & ours)
            tallies[level][1] += len(ours)
            tallies[level][2] += len(gold)
        if record.expect_no_event:
            expect_silent += 1
            silent += not positive
    figures = {}
    for level, (hit, predicted, expected) in tallies.items():
        for key, value in prf(hit, predicted, expected).items():
            figures[f"{level}_{key}"] = value
    figures["no_event_accuracy"] = silent / expect_silent if expect_silent else 0.0
    return Score(
        name="petr2-gsr", gold="petr2_gsr.jsonl",
        method="(source, target, CAMEO root) triples of positive events per sentence, micro "
               "P/R/F1; actors at country level (3 letters) and as full codes",
        figures=figures,
        counts={"sentences": len(records), "gold_triples": tallies["country"][2],
                "expect_no_event": expect_silent})


@scorer("plover")
def plover(folder: Path, pipeline: Pipeline) -> Score:
    records = plover_records(folder)
    coded = code_sentences([r.text for r in records], [None] * len(records), pipeline)
    right = 0
    sides = {"actor": [0, 0, 0], "recipient": [0, 0, 0]}
    confusions: dict[tuple[str, str], int] = {}
    for record, events in zip(records, coded):
        main = main_event(events, need_plover=True)
        predicted = main.plover_event if main else None
        right += predicted == record.event
        if predicted != record.event:
            key = (record.event, predicted or "none")
            confusions[key] = confusions.get(key, 0) + 1
        main_events = [e for e in events if main and e.trigger_start == main.trigger_start
                       and e.cameo == main.cameo]
        for side, gold_actors, ours in (
                ("actor", record.sources, {e.source.code[:3] for e in main_events if e.source}),
                ("recipient", record.targets,
                 {e.target.code[:3] for e in main_events if e.target})):
            gold = {a.code[:3] for a in gold_actors}
            sides[side][0] += len(gold & ours)
            sides[side][1] += len(ours)
            sides[side][2] += len(gold)
    figures = {"event_accuracy": right / len(records) if records else 0.0}
    for side, (hit, predicted, expected) in sides.items():
        for key, value in prf(hit, predicted, expected).items():
            figures[f"{side}_{key}"] = value
    top = sorted(confusions.items(), key=lambda item: -item[1])[:6]
    return Score(
        name="plover", gold="plover_gsr.json",
        method="PLOVER type of each sentence's main event vs gold (0.5 names mapped to 2.0); "
               "actor/recipient codes of the main event at country level",
        figures=figures, counts={"sentences": len(records), "correct": right},
        notes=["most frequent errors (gold -> ours): " + ", ".join(
            f"{g}->{o} {n}" for (g, o), n in top)])


@scorer("pentacode")
def pentacode(folder: Path, pipeline: Pipeline) -> Score:
    from ..events.classify import cross_validated_pentacode

    rows = pentacode_records(folder)
    texts = [text for text, _ in rows]
    labels = [label for _, label in rows]
    coded = code_sentences(texts, [None] * len(rows), pipeline)
    fallback = cross_validated_pentacode(texts, labels, folds=5)
    predicted, from_rules = [], 0
    for events, model_class in zip(coded, fallback):
        main = main_event(events)
        if main is not None:
            predicted.append(0 if main.cameo_root == "01" else main.quad_class)
            from_rules += 1
        else:
            predicted.append(model_class)
    figures = {"macro_f1": _macro_f1(labels, predicted, classes=range(5)),
               "rules_only_macro_f1": _macro_f1(
                   [y for y, e in zip(labels, coded) if main_event(e)],
                   [p for p, e in zip(predicted, coded) if main_event(e)], classes=range(5)),
               "model_only_macro_f1": _macro_f1(labels, fallback, classes=range(5))}
    return Score(
        name="pentacode", gold="cameo_pentacode_train.tsv",
        method="class of each sentence's main event (0 = CAMEO 01, 1 = 02-05, 2 = 06-08, "
               "3 = 09-13, 4 = 14-20); sentences without an event take the classifier's class, "
               "the classifier scored by 5-fold cross-validation on this file",
        figures=figures,
        counts={"sentences": len(rows), "from_rules": from_rules,
                "from_model": len(rows) - from_rules})


def _macro_f1(gold: list[int], predicted: list[int], classes: Iterable[int]) -> float:
    scores = []
    for label in classes:
        hit = sum(1 for g, p in zip(gold, predicted) if g == p == label)
        scores.append(prf(hit, sum(1 for p in predicted if p == label),
                          sum(1 for g in gold if g == label))["f1"])
    return sum(scores) / len(scores) if scores else 0.0
