"""Readers for the gold formats in ``../shared/data/gold``."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path


class GoldMissing(FileNotFoundError):
    """A gold file is not where it was looked for."""


def _path(folder: Path, name: str) -> Path:
    path = Path(folder) / name
    if not path.exists():
        raise GoldMissing(f"{path}: gold file not found")
    return path


@dataclass(slots=True)
class Triple:
    source: str | None
    target: str | None
    cameo: str


@dataclass(slots=True)
class CodedSentence:
    """A sentence with its expected (source, target, CAMEO) triples (PETRARCH formats)."""

    id: str
    date: dt.date | None
    category: str
    text: str
    expected: list[Triple] = field(default_factory=list)
    expect_no_event: bool = False


def _yyyymmdd(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except (TypeError, ValueError):
        return None


def petrarch_records(folder: Path, name: str) -> list[CodedSentence]:
    """``petr2_gsr.jsonl`` or ``petr_unittest.jsonl``."""
    records = []
    for line in _path(folder, name).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        records.append(CodedSentence(
            id=raw["id"], date=_yyyymmdd(raw.get("date", "")), category=raw.get("category", ""),
            text=raw.get("text", ""),
            expected=[Triple(e.get("source"), e.get("target"), e.get("cameo", ""))
                      for e in raw.get("expected", [])],
            expect_no_event=bool(raw.get("expect_no_event")),
        ))
    return records


@dataclass(slots=True)
class PloverActor:
    text: str
    code: str
    sector: str | None


@dataclass(slots=True)
class PloverRecord:
    """A PLOVER gold record: text, event type (PLOVER 2.0 names), mode, actors, recipients."""

    id: str
    text: str
    event: str
    mode: str | None
    sources: list[PloverActor]
    targets: list[PloverActor]


# PLOVER 0.5 event names in the gold file and their PLOVER 2.0 names (shared/README.md).
PLOVER_05_TO_20 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
                   "FIGHT": "ASSAULT"}


def _plover_actors(value: object) -> list[PloverActor]:
    if not isinstance(value, list):
        return []
    found = []
    for item in value:
        if isinstance(item, dict) and item.get("code"):
            sector = (item.get("sector") or "")[:3].upper()
            found.append(PloverActor(item.get("actorText", ""), item["code"].upper(),
                                     sector if sector.isalpha() else None))
    return found


def plover_records(folder: Path) -> list[PloverRecord]:
    """``plover_gsr.json``, without its DOCUMENT records, event names mapped to PLOVER 2.0."""
    raw = json.loads(_path(folder, "plover_gsr.json").read_text(encoding="utf-8"))
    records = []
    for item in raw:
        if item.get("event") in (None, "DOCUMENT") or not item.get("text"):
            continue
        event = item["event"].upper()
        records.append(PloverRecord(
            id=item["id"], text=item["text"], event=PLOVER_05_TO_20.get(event, event),
            mode=item.get("mode") or None, sources=_plover_actors(item.get("source")),
            targets=_plover_actors(item.get("target"))))
    return records


def pentacode_records(folder: Path) -> list[tuple[str, int]]:
    """``cameo_pentacode_train.tsv``: (sentence, class 0–4)."""
    rows = []
    with _path(folder, "cameo_pentacode_train.tsv").open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 2 and row[-1].strip().isdigit():
                rows.append(("\t".join(row[:-1]), int(row[-1])))
    return rows


@dataclass(slots=True)
class StoryDocument:
    id: str
    topic: str
    subtopic: str
    text: str


def ecbplus_records(folder: Path) -> list[StoryDocument]:
    """``ecbplus_dev.jsonl``: documents with their topic and subtopic (one real-world event)."""
    docs = []
    for line in _path(folder, "ecbplus_dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            docs.append(StoryDocument(raw["doc_id"], str(raw["topic"]), str(raw["subtopic"]),
                                      raw["text"]))
    return docs


@dataclass(slots=True)
class TaggedSentence:
    """A sentence of ``cameo_source_target_train.conll``: its tokens and their B/I-S, B/I-T, O
    tags, with each token's character offsets in ``text`` (tokens joined by single spaces)."""

    tokens: list[str]
    tags: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def offsets(self) -> list[tuple[int, int]]:
        spans, at = [], 0
        for token in self.tokens:
            spans.append((at, at + len(token)))
            at += len(token) + 1
        return spans

    def spans(self, role: str) -> list[tuple[int, int]]:
        """Character spans of the ``role`` ("S" or "T") phrases."""
        found: list[tuple[int, int]] = []
        inside = False
        for (start, end), tag in zip(self.offsets(), self.tags):
            if tag == f"I-{role}" and inside:
                found[-1] = (found[-1][0], end)
            elif tag in (f"B-{role}", f"I-{role}"):
                found.append((start, end))
            inside = tag in (f"B-{role}", f"I-{role}")
        return found


def source_target_records(folder: Path) -> list[TaggedSentence]:
    """``cameo_source_target_train.conll``: one token and tag a line, blank lines between."""
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    path = _path(folder, "cameo_source_target_train.conll")
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if len(parts) >= 2:
            tokens.append(" ".join(parts[:-1]))
            tags.append(parts[-1])
        elif tokens:
            sentences.append(TaggedSentence(tokens, tags))
            tokens, tags = [], []
    return sentences
