"""Run the registered scorers of ``newsledger eval`` on a gold data folder.

Importing this module registers every scorer (``actors``, ``events``, ``stories``); the scorer
modules import only ``report``, so the registry has no cycle.
"""

from __future__ import annotations

from pathlib import Path

from ..pipeline import Pipeline
from . import actors, events, stories  # noqa: F401  (they register their scorers)
from .gold import GoldMissing
from .report import SCORERS, Score


def run(folder: str | Path, *, only: list[str] | None = None, pipeline: Pipeline | None = None,
        coder: str = "model", model_events: bool = False) -> list[Score | Exception]:
    """Run the registered scorers (all, or ``only`` these) on the gold data in ``folder``,
    with ``pipeline`` or a default one using ``coder``. A scorer whose gold file is missing
    gives its ``GoldMissing`` error in its place."""
    pipeline = pipeline or Pipeline(coder=coder, model_events=model_events)
    results: list[Score | Exception] = []
    for name, function in SCORERS.items():
        if only and name not in only:
            continue
        try:
            results.append(function(Path(folder), pipeline))
        except GoldMissing as missing:
            results.append(missing)
    return results
