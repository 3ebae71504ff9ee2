"""A hand audit of coded events (../shared/docs/audit.md): draw them, then count the judgements.

    python scripts/audit.py sample ../shared/data/gold/ecbplus_dev.jsonl --out docs/audit/x.jsonl
    # judge each line by hand: event_ok, source_ok, target_ok, all_ok, why
    python scripts/audit.py summary docs/audit/x.jsonl
    python scripts/audit.py sample ../shared/data/gold/ecbplus_dev.jsonl --dev-only --out ...
    # only the frozen dev part: for a coder trained on the file's training part

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


def sample(corpus: list[str], out: Path, n: int, seed: int, coder: str, *,
           dev_only: bool = False, data: list[str] | None = None,
           model_events: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        if dev_only:
            corpus = [dev_part(Path(spec), Path(folder)) for spec in corpus]
        with newsledger.Ledger(Path(folder) / "audit.db", coder=coder, data=data or [],
                               model_events=model_events) as ledger:
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


def dev_part(path: Path, folder: Path) -> str:
    """The frozen dev part of a JSONL gold file (``evaluate.split.dev_part``), written to
    ``folder``: an audit of a coder trained on the file's training part."""
    from newsledger.evaluate.split import dev_part as frozen_dev

    records = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    written = folder / f"dev-{path.name}"
    written.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                               for r in frozen_dev(path.name, records)), encoding="utf-8")
    return str(written)


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
    draw.add_argument("--model-events", action="store_true",
                      help="keep the model's own events too (Ledger(model_events=True))")
    draw.add_argument("--dev-only", action="store_true",
                      help="only the frozen dev part of each JSONL gold file")
    draw.add_argument("--data", action="append", default=[],
                      help="a knowledge folder (e.g. one holding models/coder/)")
    count = commands.add_parser("summary")
    count.add_argument("path", type=Path)
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.corpus, args.out, args.n, args.seed, args.coder, dev_only=args.dev_only,
               data=args.data, model_events=args.model_events)
    else:
        summary(args.path)


if __name__ == "__main__":
    main()
