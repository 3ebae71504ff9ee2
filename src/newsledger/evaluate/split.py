"""The frozen dev split: a fixed-seed 20% of each gold file, never trained on or tuned on.

Every reader of gold data for training (``scripts/train_coder.py``) takes ``train_part`` and
every scorer of ``newsledger eval`` takes ``dev_part``, so the two can never overlap. The split
is by position in the file, drawn once from a seeded generator per file name: the same file
always gives the same dev records, whatever else changes in the code.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

SEED = 20261203
DEV_FRACTION = 0.2


def dev_positions(name: str, size: int) -> frozenset[int]:
    """The positions of the dev records among ``size`` records of gold file ``name``."""
    generator = random.Random(f"{SEED}:{name}")
    positions = list(range(size))
    generator.shuffle(positions)
    return frozenset(positions[:round(size * DEV_FRACTION)])


def dev_part(name: str, records: Sequence[T]) -> list[T]:
    """The records of ``name`` kept for evaluation."""
    dev = dev_positions(name, len(records))
    return [record for i, record in enumerate(records) if i in dev]


def train_part(name: str, records: Sequence[T]) -> list[T]:
    """The records of ``name`` that training may use."""
    dev = dev_positions(name, len(records))
    return [record for i, record in enumerate(records) if i not in dev]
