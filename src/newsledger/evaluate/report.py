"""Scores and the registry of scorers (``newsledger.evaluate.runner`` runs them)."""

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
