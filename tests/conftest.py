"""Shared fixtures. Gold data and samples come from ../shared when it is there; tests that need
it are skipped cleanly when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"
GOLD = SHARED / "data" / "gold"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture
def samples() -> Path:
    return shared_path("samples")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def ledger(db: Path):
    from newsledger import Ledger

    with Ledger(db) as opened:
        yield opened
