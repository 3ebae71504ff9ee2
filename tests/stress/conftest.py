"""The stress tests that start many newsledger processes (tests/stress/test_processes.py,
tests/stress/test_kill.py) take minutes on a loaded machine, more than the normal run allows:
they run when ``NEWSLEDGER_STRESS=1`` is set. test_concurrency.py always runs."""

from __future__ import annotations

import os

import pytest

SLOW = ("test_processes.py", "test_kill.py")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("NEWSLEDGER_STRESS"):
        return
    skip = pytest.mark.skip(reason="many processes: set NEWSLEDGER_STRESS=1 to run")
    for item in items:
        if item.path.name in SLOW:
            item.add_marker(skip)
