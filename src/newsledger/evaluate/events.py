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
from ..events.decide import main_event, sentence_class
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


def _country(code: str | None) -> str:
    return (code or "---")[:3] if code else "---"


def petrarch_view(events: list[Event]) -> list[Event]:
    """Our events as PETRARCH-2 codes them: a neutral statement (010) is left out for its
    content, an accusation or claim of responsibility made by a statement is kept and its
    content left out (PETRARCH codes one or the other, never both); negated events are out."""
    by_id = {e.id: e for e in events}
    dropped: set[str] = set()
    for event in events:
        if event.content:
            if event.cameo.startswith("01") and event.cameo != "015":
                dropped.add(event.id)
            else:
                dropped.update(i for i in event.content if i in by_id)
    return [e for e in events if e.id not in dropped and e.polarity == "positive"]


REPORTING_CUES = (" said", " says", " claimed", " claims", " reported", " reports",
                  "according to", " told")


def _triples(events: list[Event], key) -> set[tuple[str, str, str]]:
    return {(key(e.source.code if e.source else None), key(e.target.code if e.target else None),
             e.cameo_root) for e in events}


@scorer("petr2-gsr")
def petr2_gsr(folder: Path, pipeline: Pipeline) -> Score:
    records = [r for r in petrarch_records(folder, "petr2_gsr.jsonl") if r.text.strip()]
    coded = code_sentences([r.text for r in records], [r.date for r in records], pipeline)
    tallies = {"country": [0, 0, 0], "full": [0, 0, 0], "reported_speech": [0, 0, 0]}
    silent, expect_silent, speech_records = 0, 0, 0
    for record, events in zip(records, coded):
        ours = petrarch_view(events)
        reported = record.id.startswith("NEST") or any(
            cue in f" {record.text.lower()}" for cue in REPORTING_CUES)
        speech_records += reported
        for level, key in (("country", _country), ("full", lambda c: c or "---"),
                           ("reported_speech", _country)):
            if level == "reported_speech" and not reported:
                continue
            gold = {(key(t.source), key(t.target or None), t.cameo[:2]) for t in record.expected}
            predicted = _triples(ours, key)
            tallies[level][0] += len(gold & predicted)
            tallies[level][1] += len(predicted)
            tallies[level][2] += len(gold)
        if record.expect_no_event:
            expect_silent += 1
            silent += not ours
    figures = {}
    for level, (hit, predicted, expected) in tallies.items():
        for key, value in prf(hit, predicted, expected).items():
            figures[f"{level}_{key}"] = value
    figures["no_event_accuracy"] = silent / expect_silent if expect_silent else 0.0
    return Score(
        name="petr2-gsr", gold="petr2_gsr.jsonl",
        method="(source, target, CAMEO root) triples per sentence, micro P/R/F1; actors at "
               "country level (3 letters) and as full codes; statements as PETRARCH-2 codes "
               "them (the content of a neutral statement, the act of an accusation); "
               "reported_speech: the NEST records and those with a reporting verb",
        figures=figures,
        counts={"sentences": len(records), "gold_triples": tallies["country"][2],
                "expect_no_event": expect_silent, "reported_speech_sentences": speech_records})


@scorer("plover")
def plover(folder: Path, pipeline: Pipeline) -> Score:
    records = plover_records(folder)
    coded = code_sentences([r.text for r in records], [None] * len(records), pipeline)
    classifier = pipeline.classifier()
    fallback = (classifier.predict("plover", [r.text for r in records])
                if classifier and "plover" in classifier.heads else [{} for _ in records])
    right = from_model = 0
    sides = {"actor": [0, 0, 0], "recipient": [0, 0, 0]}
    confusions: dict[tuple[str, str], int] = {}
    for number, (record, events) in enumerate(zip(records, coded)):
        main = main_event(events, need_plover=True)
        predicted = main.plover_event if main else None
        if predicted is None and fallback[number]:
            probabilities = fallback[number]
            predicted = max(probabilities, key=probabilities.get)
            from_model += 1
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
        method="PLOVER type of each sentence's main event vs gold (0.5 names mapped to 2.0), "
               "the sentence classifier's type where no rule event has one; actor/recipient "
               "codes of the main event at country level",
        figures=figures,
        counts={"sentences": len(records), "correct": right, "typed_by_classifier": from_model},
        notes=["most frequent errors (gold -> ours): " + ", ".join(
            f"{g}->{o} {n}" for (g, o), n in top)])


def cross_validated_coding(texts: list[str], labels: list[int], *, folds: int = 5,
                           seed: int = 0, model: str | None = None
                           ) -> tuple[list[list[Event]], list[dict[str, float]]]:
    """Code ``texts`` with, for each fold, a sentence classifier trained on the other folds;
    returns each text's events and its out-of-fold classifier probabilities."""
    import tempfile

    from sklearn.model_selection import StratifiedKFold

    from ..events.classify import PENTACODE_C, Head, SentenceClassifier, _vectorizer
    from ..events.training import extra_pentacode_examples

    extra_texts, extra_labels = extra_pentacode_examples()
    coded: list[list[Event]] = [[] for _ in texts]
    probabilities: list[dict[str, float]] = [{} for _ in texts]
    with tempfile.TemporaryDirectory() as folder:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
        for fold, (train, test) in enumerate(splitter.split(texts, labels)):
            head = Head.fit([texts[i] for i in train] + extra_texts,
                            [str(labels[i]) for i in train] + extra_labels, c=PENTACODE_C)
            path = Path(folder) / f"fold{fold}.npz"
            SentenceClassifier({"pentacode": head}).save(path)
            pipeline = Pipeline(model=model, classifier_path=str(path))
            held_out = [texts[i] for i in test]
            rows = head.probabilities(_vectorizer().transform(held_out))
            for i, events, row in zip(test, code_sentences(held_out, [None] * len(test),
                                                           pipeline), rows):
                coded[i] = events
                probabilities[i] = dict(zip(head.labels, row.tolist()))
    return coded, probabilities


@scorer("pentacode")
def pentacode(folder: Path, pipeline: Pipeline) -> Score:
    rows = pentacode_records(folder)
    texts = [text for text, _ in rows]
    labels = [label for _, label in rows]
    coded, probabilities = cross_validated_coding(texts, labels, model=pipeline.model)
    predicted = [sentence_class(events, probs) for events, probs in zip(coded, probabilities)]
    classifier = [int(max(p, key=p.get)) for p in probabilities]
    with_rules = [i for i, events in enumerate(coded) if main_event(events) is not None]
    figures = {
        "macro_f1": macro_f1(labels, predicted, classes=range(5)),
        "rules_only_macro_f1": macro_f1([labels[i] for i in with_rules],
                                        [sentence_class(coded[i], None) for i in with_rules],
                                        classes=range(5)),
        "classifier_only_macro_f1": macro_f1(labels, classifier, classes=range(5)),
    }
    from_rules = sum(1 for i in with_rules if predicted[i] == sentence_class(coded[i], None)
                     and predicted[i] != classifier[i])
    return Score(
        name="pentacode", gold="cameo_pentacode_train.tsv",
        method="class of each sentence (0 = CAMEO 01, 1 = 02-05, 2 = 06-08, 3 = 09-13, "
               "4 = 14-20): the main event's when its confidence reaches the fitted threshold, "
               "else the sentence classifier's; the classifier is trained on this file, so "
               "every sentence is coded with a classifier trained on the other four folds",
        figures=figures,
        counts={"sentences": len(rows), "with_rule_event": len(with_rules),
                "rule_class_kept_over_classifier": from_rules},
        notes=["the confidence weights and threshold were fitted on this same file (out of "
               "fold), by scripts/fit_confidence.py"])


def macro_f1(gold: list[int], predicted: list[int], classes: Iterable[int]) -> float:
    scores = []
    for label in classes:
        hit = sum(1 for g, p in zip(gold, predicted) if g == p == label)
        scores.append(prf(hit, sum(1 for p in predicted if p == label),
                          sum(1 for g in gold if g == label))["f1"])
    return sum(scores) / len(scores) if scores else 0.0
