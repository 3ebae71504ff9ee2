"""Shared fixtures. Gold data and samples come from ../shared when it is there; tests that need
it are skipped cleanly when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared_data import GOLD, ROOT, SAMPLES, SHARED, shared_path  # noqa: F401


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
