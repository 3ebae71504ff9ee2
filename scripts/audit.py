"""A hand audit of coded events (../shared/docs/audit.md): draw them, then count the judgements.

    python scripts/audit.py sample ../shared/data/gold/ecbplus_dev.jsonl --out docs/audit/x.jsonl
    # judge each line by hand: event_ok, source_ok, target_ok, all_ok, why
    python scripts/audit.py summary docs/audit/x.jsonl

``sample`` ingests the corpus into a fresh ledger with the chosen coder, draws ``--n`` events at
random with a fixed seed (all events, not only confident ones), and writes one JSON line per
event: its sentence, the article's first words for context, and the coded fields, with the
judgement fields left empty. ``summary`` prints the four shares and the failure kinds (the
``kind`` field of each wrong line) with counts.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections import Counter
from pathlib import Path

import newsledger
from newsledger.events.ontology import ontology

JUDGEMENTS = ("event_ok", "source_ok", "target_ok", "all_ok")


def sample(corpus: list[str], out: Path, n: int, seed: int, coder: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with newsledger.Ledger(Path(folder) / "audit.db", coder=coder) as ledger:
            report = ledger.ingest(corpus, workers=2)
            events = ledger.events(limit=1_000_000)
            chosen = random.Random(seed).sample(events, min(n, len(events)))
            lines = []
            for event in chosen:
                article = ledger.article(event.article_id)
                lines.append({
                    "id": event.id, "article_id": event.article_id,
                    "sentence": event.sentence_text,
                    "article_start": " ".join(article.text.split()[:60]),
                    "cameo": event.cameo, "cameo_name": ontology()[event.cameo].name,
                    "source": event.source.to_dict() if event.source else None,
                    "target": event.target.to_dict() if event.target else None,
                    "polarity": event.polarity, "modality": event.modality,
                    "provenance": event.provenance, "rule": event.rule,
                    "confidence": round(event.confidence, 3),
                    **{key: None for key in JUDGEMENTS}, "why": "", "kind": "",
                })
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                   encoding="utf-8")
    print(f"{report.added} articles, {len(events)} events; {len(lines)} drawn with seed {seed} "
          f"(coder {coder}) into {out}")


def summary(path: Path) -> None:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    judged = [line for line in lines if all(line.get(k) is not None for k in JUDGEMENTS)]
    print(f"{path}: {len(judged)} of {len(lines)} events judged")
    for key in JUDGEMENTS:
        share = sum(bool(line[key]) for line in judged) / len(judged) if judged else 0.0
        print(f"  {key:10} {share:.0%}")
    kinds = Counter(line.get("kind") or "unspecified" for line in judged if not line["all_ok"])
    for kind, count in kinds.most_common():
        print(f"  wrong: {kind:40} {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    draw = commands.add_parser("sample")
    draw.add_argument("corpus", nargs="+")
    draw.add_argument("--out", type=Path, required=True)
    draw.add_argument("--n", type=int, default=100)
    draw.add_argument("--seed", type=int, default=20261204)
    draw.add_argument("--coder", default="model")
    count = commands.add_parser("summary")
    count.add_argument("path", type=Path)
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.corpus, args.out, args.n, args.seed, args.coder)
    else:
        summary(args.path)


if __name__ == "__main__":
    main()
