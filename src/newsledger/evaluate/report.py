"""Scores, the registry of scorers, and the table ``newsledger eval`` prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class Score:
    """One scored task: what was scored, how, and the figures."""

    name: str
    gold: str
    method: str
    figures: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["figures"] = {k: round(v, 4) for k, v in self.figures.items()}
        return data


def prf(true_positive: int, predicted: int, expected: int) -> dict[str, float]:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


Scorer = Callable[[Path, Any], Score]
SCORERS: dict[str, Scorer] = {}


def scorer(name: str) -> Callable[[Scorer], Scorer]:
    """Register a scorer under ``name`` (the name ``newsledger eval --only`` takes)."""
    def register(function: Scorer) -> Scorer:
        SCORERS[name] = function
        return function
    return register


def run(folder: str | Path, *, only: list[str] | None = None, pipeline: Any = None,
        coder: str = "model", model_events: bool = False) -> list[Score | Exception]:
    """Run the registered scorers (all, or ``only`` these) on the gold data in ``folder``,
    with ``pipeline`` or a default one using ``coder``. A scorer whose gold file is missing
    gives its ``GoldMissing`` error in its place."""
    from . import actors, events, stories  # noqa: F401  (they register their scorers)
    from ..pipeline import Pipeline
    from .gold import GoldMissing

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
