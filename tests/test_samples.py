"""The two sample articles of ../shared/samples, end to end: what design.md's table says a user
gets from them. Skipped when ../shared is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger import Ledger

SAMPLE_000 = "000_ac792bbf1c50a6af.txt"
SAMPLE_001 = "001_b15bff4e7131a23c.txt"


@pytest.fixture(scope="module")
def sample_ledger(tmp_path_factory) -> Ledger:
    from conftest import shared_path

    samples = shared_path("samples")
    ledger = Ledger(tmp_path_factory.mktemp("samples") / "samples.db")
    report = ledger.ingest(samples)
    assert report.added == 2
    yield ledger
    ledger.close()


def article_with(ledger: Ledger, phrase: str):
    [article] = [a for a in ledger.articles() if phrase in a.text]
    return article


def codes(ledger: Ledger, article_id: str, phrase: str, occurrence: int = 0) -> set[str]:
    """Codes of the actor mentions whose span holds the first character of ``phrase``."""
    text = ledger.article(article_id).text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    rows = ledger.conn.execute(
        "SELECT code FROM mentions WHERE article_id = ? AND role = 'actor' AND start <= ? AND"
        " end > ?", (article_id, start, start))
    return {row[0] for row in rows}


@pytest.mark.parametrize("phrase, expected", [
    ("North Korean leader Kim Jong Un", {"PRKGOV"}),
    ("the United States and", {"USA"}),
    ("the West,", {"WST"}),
    ("Seoul and", {"KORGOV"}),
    ("Washington that", {"USAGOV"}),
    ("Pyongyang has denied", {"PRKGOV"}),
    ("South Korea claimed", {"KOR"}),
    ("North Korean troops", {"PRKMIL"}),
    ("Russian forces", {"RUSMIL"}),
])
def test_sample_000_actors(sample_ledger, phrase, expected):
    article = article_with(sample_ledger, "shock troops")
    assert expected <= codes(sample_ledger, article.id, phrase)


@pytest.mark.parametrize("phrase, expected", [
    ("A senior North Korean military official", {"PRKMIL"}),
    ("state media KCNA", {"PRKMED"}),
    ("Pak Jong Chon", {"PRKMIL"}),
    ("the Pentagon", {"USAMIL"}),
    ("Russian President Vladimir Putin", {"RUSGOV"}),
    ("North Korean leader Kim Jong Un", {"PRKGOV"}),
    ("Seoul’s foreign ministry", {"KORGOV"}),
    ("the Washington Post", {"USAMED"}),
    ("South Korea’s foreign ministry", {"KORGOV"}),
])
def test_sample_001_actors(sample_ledger, phrase, expected):
    article = article_with(sample_ledger, "Pak Jong Chon")
    assert expected <= codes(sample_ledger, article.id, phrase)


def test_sample_001_appositive_and_later_name_share_the_officials_code(sample_ledger):
    article = article_with(sample_ledger, "Pak Jong Chon")
    assert codes(sample_ledger, article.id, "Pak Jong Chon", occurrence=1) == {"PRKMIL"}


def test_sample_001_dateline_is_not_an_actor_mention(sample_ledger):
    article = article_with(sample_ledger, "Pak Jong Chon")
    assert article.dateline.country == "KOR"
    assert not article.text.startswith("SEOUL")


def test_actor_listing_counts_the_samples(sample_ledger):
    listed = {row["code"]: row for row in sample_ledger.actors()}
    assert listed["PRKGOV"]["articles"] == 2
    assert listed["RUS"]["mentions"] >= 10
    one = sample_ledger.actor("prkmil")
    assert one["code"] == "PRKMIL" and any("Pak Jong Chon" in m["text"] for m in one["mentions"])
    assert all(m["rule"] for m in one["mentions"])
