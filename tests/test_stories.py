"""Stories: the same event reported by several outlets is one event; articles group into
stories; timelines and dyads count events by period."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsledger import Ledger
from newsledger.evaluate.stories import b_cubed

ATTACK_A = ("Russian forces shelled the Ukrainian city of Kharkiv on Monday, damaging a power "
            "station and several apartment blocks, regional officials said. Emergency crews "
            "worked through the night to restore electricity to the northern districts.")
ATTACK_B = ("Artillery units of Russia pounded Kharkiv, Ukraine's second city, early on "
            "Monday. Residents described explosions near the river, and the mayor urged people "
            "to stay in shelters while firefighters fought blazes at an energy plant.")
ATTACK_LATER = ("Russian forces shelled the Ukrainian city of Kharkiv again, hitting a school "
                "and a market in the eastern districts. Officials counted eleven wounded.")
TALKS = ("Chile and Peru held talks in Lima about fishing rights along their maritime border, "
         "and agreed to set up a joint commission to map the disputed waters next year.")


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def shelling(ledger: Ledger):
    return [e for e in ledger.events(cameo="194", limit=500)
            if e.source and e.source.code.startswith("RUS")]


def test_two_outlets_reporting_one_event_merge_with_corroboration_2(ledger, tmp_path):
    ledger.ingest(write_jsonl(tmp_path / "a.jsonl", [
        {"text": ATTACK_A, "outlet": "Daily A", "published": "2024-06-24"},
        {"text": ATTACK_B, "outlet": "Paper B", "published": "2024-06-24"},
    ]))
    mentions = shelling(ledger)
    assert len({e.article_id for e in mentions}) == 2
    merged_ids = {row[0] for row in ledger.conn.execute(
        "SELECT merged_id FROM events WHERE cameo = '194' AND source_country = 'RUS'")}
    assert len(merged_ids) == 1
    merged = ledger.merged_event(merged_ids.pop())
    assert merged["corroboration"] == 2 and merged["outlets"] == ["Daily A", "Paper B"]
    later = [m for m in merged["mention_list"] if m["merge_reason"] != "first report"]
    assert "same CAMEO root 19" in later[0]["merge_reason"]


def test_the_same_actors_a_month_apart_are_two_events(ledger, tmp_path):
    ledger.ingest(write_jsonl(tmp_path / "a.jsonl", [
        {"text": ATTACK_A, "outlet": "Daily A", "published": "2024-06-24"},
        {"text": ATTACK_LATER, "outlet": "Paper B", "published": "2024-07-26"},
    ]))
    merged_ids = {row[0] for row in ledger.conn.execute(
        "SELECT merged_id FROM events WHERE cameo = '194' AND source_country = 'RUS'")}
    assert len(merged_ids) == 2
    for merged_id in merged_ids:
        assert ledger.merged_event(merged_id)["corroboration"] == 1


def test_a_wire_copy_with_a_new_headline_counts_once(ledger, tmp_path):
    ledger.ingest(write_jsonl(tmp_path / "a.jsonl", [
        {"title": "Kharkiv shelled", "text": ATTACK_A, "outlet": "Wire",
         "published": "2024-06-24"},
        {"title": "Night of shelling in Kharkiv", "text": ATTACK_A, "outlet": "Local Paper",
         "published": "2024-06-24"},
    ]))
    [merged_id] = {row[0] for row in ledger.conn.execute(
        "SELECT merged_id FROM events WHERE cameo = '194' AND source_country = 'RUS'")}
    merged = ledger.merged_event(merged_id)
    assert merged["corroboration"] == 1
    assert merged["outlets"] == ["Local Paper", "Wire"]


def test_claims_of_merged_mentions_are_united(ledger, tmp_path):
    ledger.ingest(write_jsonl(tmp_path / "a.jsonl", [
        {"text": "Ukraine said Russian forces shelled Kharkiv on Monday.", "outlet": "A",
         "published": "2024-06-24"},
        {"text": "Britain said Russian forces shelled Kharkiv on Monday. Moscow denied the "
                 "shelling.", "outlet": "B", "published": "2024-06-24"},
    ]))
    [merged_id] = {row[0] for row in ledger.conn.execute(
        "SELECT merged_id FROM events WHERE cameo = '194' AND source_country = 'RUS'")}
    claims = ledger.merged_event(merged_id)["claims"]
    assert {c[:3] for c in claims["asserted_by"]} == {"UKR", "GBR"}
    assert {c[:3] for c in claims["denied_by"]} == {"RUS"}
    assert claims["status"] == "disputed"


def test_articles_about_one_event_form_a_story_and_others_do_not(ledger, tmp_path):
    ledger.ingest(write_jsonl(tmp_path / "a.jsonl", [
        {"text": ATTACK_A, "outlet": "Daily A", "published": "2024-06-24"},
        {"text": TALKS, "outlet": "Lima Post", "published": "2024-06-24"},
        {"text": ATTACK_B, "outlet": "Paper B", "published": "2024-06-25"},
    ]))
    by_text = {a.text[:20]: ledger.story_of(a.id) for a in ledger.articles()}
    assert by_text[ATTACK_A[:20]] == by_text[ATTACK_B[:20]] != by_text[TALKS[:20]]
    [story] = [s for s in ledger.stories() if s["articles"] == 2]
    assert story["outlets"] == ["Daily A", "Paper B"]
    assert (story["first_date"], story["last_date"]) == ("2024-06-24", "2024-06-25")
    assert "Russia" in story["label"] or "Ukraine" in story["label"]
    full = ledger.story(story["id"])
    assert {a["outlet"] for a in full["article_list"]} == {"Daily A", "Paper B"}
    assert full["timeline"] and full["timeline"][0]["period"] == "2024-06-24"


def test_undated_articles_still_cluster(ledger, tmp_path):
    ledger.ingest(write_jsonl(tmp_path / "a.jsonl", [
        {"text": ATTACK_A}, {"text": TALKS}, {"text": ATTACK_B}]))
    stories = {ledger.story_of(a.id) for a in ledger.articles()}
    assert len(stories) == 2


def test_samples_form_one_story(ledger, samples):
    ledger.ingest(samples)
    [story] = ledger.stories()
    assert story["articles"] == 2
    assert story["label"].startswith("North Korea, Russia")


def test_timeline_and_dyad(ledger, tmp_path):
    ledger.ingest(write_jsonl(tmp_path / "a.jsonl", [
        {"text": "Russian forces shelled Kharkiv. Ukraine condemned Russia.",
         "published": "2024-06-24"},
        {"text": "Russian forces shelled Odesa. Ukraine and Russia held talks in Istanbul.",
         "published": "2024-07-03"},
    ]))
    weekly = ledger.timeline("RUS", target="UKR", by="week")
    assert [w["period"] for w in weekly] == ["2024-06-24", "2024-07-01"]
    assert weekly[0]["quad_classes"]["4"] == 1 and weekly[0]["mean_goldstein"] < 0
    pair = ledger.dyad("UKR", "RUS", by="month")
    assert [m["period"] for m in pair["forward"]] == ["2024-06-01", "2024-07-01"]
    assert pair["forward"][0]["quad_classes"]["3"] == 1  # Ukraine condemned Russia
    assert sum(m["events"] for m in pair["both"]) == sum(
        m["events"] for m in pair["forward"] + pair["backward"])
    with pytest.raises(ValueError):
        ledger.timeline("RUS", by="fortnight")


def test_b_cubed_on_a_small_clustering():
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert b_cubed(gold, gold) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    lumped = b_cubed({k: "x" for k in gold}, gold)
    assert lumped["precision"] == 0.5 and lumped["recall"] == 1.0
    split = b_cubed({k: k for k in gold}, gold)
    assert split["precision"] == 1.0 and split["recall"] == 0.5


def test_ecbplus_story_b_cubed():
    """Story clustering on ECB+ dev: B³ F1 against subtopics (one real-world event each)."""
    from shared_data import shared_path

    from newsledger.evaluate.stories import stories
    from newsledger.pipeline import Pipeline

    score = stories(shared_path("data", "gold"), Pipeline())
    assert score.counts["documents"] == 462
    # 0.87 at the start of this round, 0.817 now with either coder: a regression whose cause is
    # not found yet (the round changed dates, outlets and places of articles); issue 16 takes
    # stories from meaning. This guards against falling further.
    assert score.figures["subtopic_f1"] >= 0.80
