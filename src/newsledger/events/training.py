"""Training data for the sentence classifier (training splits only, never evaluation data).

* ``cameo_pentacode_train.tsv`` (ConfliBERT's training split) trains the pentacode head;
* ``plover_synthetic_stories.csv.zip`` (machine-written stories, each labelled with a PLOVER
  type) trains the PLOVER head, from each story's first sentence.

The synthetic stories are not added to the pentacode head: measured by cross-validation they
lower its macro-F1 (they have no statements, and their labels are document-level).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path

SHARED_ENV = "NEWSLEDGER_SHARED"


def shared_folder() -> Path:
    """``$NEWSLEDGER_SHARED``, else ``../shared`` beside the current folder or the repository."""
    if os.environ.get(SHARED_ENV):
        return Path(os.environ[SHARED_ENV])
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared"
        if candidate.exists():
            return candidate
    return Path.cwd().parent / "shared"


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


def plover_synthetic(folder: Path | None = None) -> tuple[list[str], list[str]]:
    path = (folder or shared_folder()) / "data" / "train" / "plover_synthetic_stories.csv.zip"
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
    return [first_sentence(r["text"]) for r in rows], [r["label"].upper() for r in rows]


def extra_pentacode_examples() -> tuple[list[str], list[str]]:
    """Training examples the pentacode head gets beside the pentacode split (none: see above)."""
    return [], []
