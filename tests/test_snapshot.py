"""Refactors keep behaviour: ingesting the samples and the examples gives the same events,
claims and stories as the committed snapshot (``scripts/snapshot.py`` writes it; a change of
behaviour on purpose regenerates it in the same commit)."""

from __future__ import annotations

import importlib.util
import json

from shared_data import ROOT, shared_path

SCRIPT = ROOT / "scripts" / "snapshot.py"


def _snapshot_module():
    spec = importlib.util.spec_from_file_location("snapshot", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ingest_gives_the_snapshot_events_claims_and_stories():
    shared_path("samples")
    snapshot = _snapshot_module()
    old = json.loads(snapshot.SNAPSHOT.read_text())
    assert old["events"] and old["claims"] and old["stories"]
    new = snapshot.take()
    assert snapshot.differences(old, new) == []


def test_the_comparison_sees_a_changed_event():
    snapshot = _snapshot_module()
    old = {"articles": ["a"], "events": [{"cameo": "190", "source": "RUS"}], "claims": [],
           "stories": []}
    new = {"articles": ["a"], "events": [{"cameo": "193", "source": "RUS"}], "claims": [],
           "stories": []}
    lines = snapshot.differences(old, new)
    assert any("gone" in line and '"190"' in line for line in lines)
    assert any("new" in line and '"193"' in line for line in lines)
    assert snapshot.differences(old, old) == []
