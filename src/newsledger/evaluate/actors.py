"""Actor resolution scored on gold data.

Both are scored on the frozen dev split of their gold file (``evaluate/split.py``).

* ``plover-actors``: on ``plover_gsr.json``, the codes of every actor newsledger resolves in a
  sentence against the gold actor and recipient codes of its event, at country level (first
  three letters) and with the sector. Precision is bounded low by design: a sentence names more
  actors than its one gold event uses ("officials said"); recall is the figure to watch.
* ``petrarch-unittest-actors``: with PETRARCH's fictional test dictionaries loaded through the
  PETRARCH loader, the share of ``petr_unittest.jsonl`` sentences whose expected source and
  target codes all appear among the resolved actors.
"""

from __future__ import annotations

from pathlib import Path

from .. import nlp
from ..actors import split_code
from ..pipeline import Pipeline
from .gold import petrarch_records, plover_records
from .report import Score, prf, scorer
from .split import dev_part


@scorer("plover-actors")
def plover_actors(folder: Path, pipeline: Pipeline) -> Score:
    records = dev_part("plover_gsr.json", plover_records(folder))
    resolver = pipeline.resolver()
    sectors = resolver.kb.sectors
    tallies = {"country": [0, 0, 0], "sector": [0, 0, 0]}
    for record, doc in zip(records, nlp.parse([r.text for r in records], model=pipeline.model)):
        gold_country = {a.code[:3] for a in record.sources + record.targets}
        gold_sector = {a.code[:3] + (a.sector or "") for a in record.sources + record.targets}
        ours_country, ours_sector = set(), set()
        for mention in resolver.resolve(doc, None).mentions():
            if mention.role != "actor" or mention.actor.code.startswith("---"):
                continue
            code = mention.actor.code
            _, sector = split_code(code, sectors)
            ours_country.add(code[:3])
            ours_sector.add(code[:3] + (sector or ""))
        for level, gold, ours in (("country", gold_country, ours_country),
                                  ("sector", gold_sector, ours_sector)):
            tallies[level][0] += len(gold & ours)
            tallies[level][1] += len(ours)
            tallies[level][2] += len(gold)
    figures = {}
    for level, (hit, predicted, expected) in tallies.items():
        for key, value in prf(hit, predicted, expected).items():
            figures[f"{level}_{key}"] = value
    return Score(
        name="plover-actors", gold="plover_gsr.json (dev split)",
        method="per sentence, resolved actor codes vs gold actor+recipient codes (micro)",
        figures=figures,
        counts={"sentences": len(records), "gold_codes": tallies["country"][2]},
        notes=["gold uses some pre-ISO codes (JAP, ITL); they are compared as written"])


@scorer("petrarch-unittest-actors")
def petrarch_unittest_actors(folder: Path, pipeline: Pipeline) -> Score:
    dictionaries = (str(folder / "petr_unittest.actors.txt"),
                    str(folder / "petr_unittest.agents.txt"))
    for path in dictionaries:
        if not Path(path).exists():
            from .gold import GoldMissing
            raise GoldMissing(f"{path}: gold file not found")
    with_dicts = Pipeline(model=pipeline.model, dictionaries=dictionaries)
    resolver = with_dicts.resolver()
    records = [r for r in dev_part("petr_unittest.jsonl",
                                   petrarch_records(folder, "petr_unittest.jsonl"))
               if any(code for t in r.expected for code in (t.source, t.target))]
    covered = 0
    for record, doc in zip(records, nlp.parse([r.text for r in records],
                                              model=pipeline.model)):
        expected = {c for t in record.expected for c in (t.source, t.target) if c}
        resolved = {m.actor.code for m in resolver.resolve(doc, record.date).mentions()}
        covered += expected <= resolved
    return Score(
        name="petrarch-unittest-actors", gold="petr_unittest.jsonl (dev split) + .actors.txt + .agents.txt",
        method="share of sentences whose expected source and target codes all appear among "
               "the resolved actors (PETRARCH dictionaries loaded beside newsledger's own)",
        figures={"coverage": covered / len(records) if records else 0.0},
        counts={"sentences": len(records), "covered": covered})
