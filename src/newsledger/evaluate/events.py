"""Event coding scored on the frozen dev split of each gold file (``evaluate/split.py``).

Every figure is taken from the events the pipeline stores, the way a ledger user sees them: a
sentence with no event is a miss, and there is no fallback to a sentence classifier. The dev
records are never trained on (``scripts/train_coder.py`` reads ``train_part``), and no
threshold is chosen on them.

* ``petr2-gsr``: PETRARCH-2's gold standard. Each sentence is coded alone (dated as the record
  says); the predicted triples are the (source, target, CAMEO root) of its positive events.
  Micro P/R/F1 of triples with actors at country level (first three letters; a missing target
  equals the gold "---") and as full codes, and the share of ``expect_no_event`` sentences that
  get no event.
* ``plover``: ``plover_gsr.json``. The PLOVER type of the sentence's main event (the positive
  event nearest the root of the parse, among those with a type) against the gold type (0.5
  names mapped to 2.0 as shared/README.md says); actor and recipient F1 compare the main event's
  source and target codes with the gold codes at country level.
* ``pentacode``: ``cameo_pentacode_train.tsv``. The class of each sentence's main event (0 =
  CAMEO 01, 1 = 02-05, 2 = 06-08, 3 = 09-13, 4 = 14-20); macro-F1 of the five classes, a
  sentence without an event counting as a miss of its class. With it, the reliability table:
  main events binned by their confidence, against the share of them whose class is right.
* ``source-target``: ``cameo_source_target_train.conll``. The character spans of the main
  event's source and target mentions against the gold S and T phrases, exact match, micro
  P/R/F1 over both roles and for each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from .. import nlp
from ..events.decide import main_event
from ..model import Article, Event
from ..pipeline import Pipeline
from .gold import pentacode_records, petrarch_records, plover_records, source_target_records
from .report import Score, prf, scorer
from .split import dev_part

# Confidence bins of the reliability table: [low, high).
BINS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def code_sentences(texts: Sequence[str], dates: Sequence[dt.date | None], pipeline: Pipeline
                   ) -> list[list[Event]]:
    """The events of each text, coded as a one-sentence article."""
    results = []
    docs = nlp.parse(list(texts), model=pipeline.model)
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


def _coder(pipeline: Pipeline) -> str:
    return f"coder {pipeline.coder}"


@scorer("petr2-gsr")
def petr2_gsr(folder: Path, pipeline: Pipeline) -> Score:
    name = "petr2_gsr.jsonl"
    records = [r for r in dev_part(name, petrarch_records(folder, name)) if r.text.strip()]
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
        name="petr2-gsr", gold=f"{name} (dev split)",
        method="(source, target, CAMEO root) triples per sentence, micro P/R/F1; actors at "
               "country level (3 letters) and as full codes; statements as PETRARCH-2 codes "
               "them (the content of a neutral statement, the act of an accusation); "
               f"reported_speech: the NEST records and those with a reporting verb; "
               f"{_coder(pipeline)}",
        figures=figures,
        counts={"sentences": len(records), "gold_triples": tallies["country"][2],
                "expect_no_event": expect_silent, "reported_speech_sentences": speech_records})


@scorer("plover")
def plover(folder: Path, pipeline: Pipeline) -> Score:
    records = dev_part("plover_gsr.json", plover_records(folder))
    coded = code_sentences([r.text for r in records], [None] * len(records), pipeline)
    right = untyped = 0
    sides = {"actor": [0, 0, 0], "recipient": [0, 0, 0]}
    confusions: dict[tuple[str, str], int] = {}
    for record, events in zip(records, coded):
        main = main_event(events, need_plover=True)
        predicted = main.plover_event if main else None
        untyped += predicted is None
        right += predicted == record.event
        if predicted != record.event:
            key = (record.event, predicted or "none")
            confusions[key] = confusions.get(key, 0) + 1
        for side, gold_actors, ours in (
                ("actor", record.sources, {main.source.code[:3]} if main and main.source
                 else set()),
                ("recipient", record.targets, {main.target.code[:3]} if main and main.target
                 else set())):
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
        name="plover", gold="plover_gsr.json (dev split)",
        method="PLOVER type of each sentence's main event vs gold (0.5 names mapped to 2.0; "
               "no event is a miss); actor/recipient codes of the main event at country "
               f"level; {_coder(pipeline)}",
        figures=figures,
        counts={"sentences": len(records), "correct": right, "without_typed_event": untyped},
        notes=["most frequent errors (gold -> ours): " + ", ".join(
            f"{g}->{o} {n}" for (g, o), n in top)])


def sentence_class(event: Event | None) -> int | None:
    """The pentacode class of a sentence whose main event is ``event`` (None: no event)."""
    if event is None:
        return None
    return 0 if event.cameo_root == "01" else event.quad_class


def reliability(pairs: Iterable[tuple[float, bool]]) -> list[dict[str, float]]:
    """Predicted confidence against observed accuracy: for each bin of ``BINS`` that holds any
    (confidence, right) pair, its range, count, mean confidence and share right."""
    rows = []
    pairs = list(pairs)
    for low, high in zip(BINS, BINS[1:]):
        inside = [(c, ok) for c, ok in pairs if low <= c < high]
        if inside:
            rows.append({"low": low, "high": min(high, 1.0), "n": len(inside),
                         "confidence": sum(c for c, _ in inside) / len(inside),
                         "accuracy": sum(ok for _, ok in inside) / len(inside)})
    return rows


def expected_calibration_error(rows: list[dict[str, float]]) -> float:
    total = sum(r["n"] for r in rows)
    return sum(r["n"] * abs(r["confidence"] - r["accuracy"]) for r in rows) / total if total \
        else 0.0


@scorer("pentacode")
def pentacode(folder: Path, pipeline: Pipeline) -> Score:
    rows = dev_part("cameo_pentacode_train.tsv", pentacode_records(folder))
    texts = [text for text, _ in rows]
    labels = [label for _, label in rows]
    mains = [main_event(events) for events in
             code_sentences(texts, [None] * len(texts), pipeline)]
    predicted = [sentence_class(main) for main in mains]
    table = reliability((main.confidence, sentence_class(main) == label)
                        for main, label in zip(mains, labels) if main is not None)
    figures = {"macro_f1": macro_f1(labels, predicted, classes=range(5)),
               "accuracy": sum(p == g for p, g in zip(predicted, labels)) / len(rows)
               if rows else 0.0,
               "with_event": sum(m is not None for m in mains) / len(rows) if rows else 0.0,
               "calibration_error": expected_calibration_error(table)}
    for row in table:
        figures[f"reliability_{row['low']:.1f}_{row['high']:.1f}_accuracy"] = row["accuracy"]
    return Score(
        name="pentacode", gold="cameo_pentacode_train.tsv (dev split)",
        method="class of each sentence's main event (0 = CAMEO 01, 1 = 02-05, 2 = 06-08, "
               "3 = 09-13, 4 = 14-20), a sentence with no event a miss; macro-F1 of the five "
               "classes; reliability: main events binned by confidence, share of right "
               f"classes, and the expected calibration error; {_coder(pipeline)}",
        figures=figures,
        counts={"sentences": len(rows),
                "without_event": sum(m is None for m in mains)},
        notes=["reliability (confidence bin: n, mean confidence, accuracy): " + "; ".join(
            f"[{r['low']:.1f}, {r['high']:.1f}): {r['n']}, {r['confidence']:.2f}, "
            f"{r['accuracy']:.2f}" for r in table)])


@scorer("source-target")
def source_target(folder: Path, pipeline: Pipeline) -> Score:
    records = dev_part("cameo_source_target_train.conll", source_target_records(folder))
    coded = code_sentences([r.text for r in records], [None] * len(records), pipeline)
    tallies = {"S": [0, 0, 0], "T": [0, 0, 0]}
    for record, events in zip(records, coded):
        main = main_event(events)
        for role, ref in (("S", main.source if main else None),
                          ("T", main.target if main else None)):
            gold = set(record.spans(role))
            ours = {(ref.start, ref.end)} if ref is not None else set()
            tallies[role][0] += len(gold & ours)
            tallies[role][1] += len(ours)
            tallies[role][2] += len(gold)
    both = [sum(values) for values in zip(*tallies.values())]
    figures = {f"micro_{k}": v for k, v in prf(*both).items()}
    for role, name in (("S", "source"), ("T", "target")):
        figures.update({f"{name}_{k}": v for k, v in prf(*tallies[role]).items()})
    return Score(
        name="source-target", gold="cameo_source_target_train.conll (dev split)",
        method="character spans of the main event's source and target mentions vs the gold "
               "S and T phrases (tokens joined by spaces), exact match, micro P/R/F1; "
               f"{_coder(pipeline)}",
        figures=figures,
        counts={"sentences": len(records), "gold_sources": tallies["S"][2],
                "gold_targets": tallies["T"][2]})


def macro_f1(gold: list[int], predicted: Sequence[int | None], classes: Iterable[int]) -> float:
    scores = []
    for label in classes:
        hit = sum(1 for g, p in zip(gold, predicted) if g == p == label)
        scores.append(prf(hit, sum(1 for p in predicted if p == label),
                          sum(1 for g in gold if g == label))["f1"])
    return sum(scores) / len(scores) if scores else 0.0
