"""Scoring newsledger against gold data (``newsledger eval``).

Each scorer reads one gold format from a folder (by default ``../shared/data/gold``), runs the
public pipeline on its texts, and returns a ``Score``: named figures plus counts, so a user can
see what was scored, how, and the result.
"""

from .gold import GoldMissing
from .report import Score
from .runner import run

__all__ = ["GoldMissing", "Score", "run"]
