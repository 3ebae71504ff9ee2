"""The two sample articles of ../shared/samples, end to end: what design.md's table says a user
gets from them. Skipped when ../shared is absent."""

from __future__ import annotations


import pytest

from newsledger import Ledger

SAMPLE_000 = "000_ac792bbf1c50a6af.txt"
SAMPLE_001 = "001_b15bff4e7131a23c.txt"


@pytest.fixture(scope="module")
def sample_ledger(tmp_path_factory) -> Ledger:
    from shared_data import shared_path

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


def events_of(ledger: Ledger, article_id: str) -> set[tuple[str, str | None, str | None]]:
    return {(e.cameo, e.source.code if e.source else None, e.target.code if e.target else None)
            for e in ledger.events(article=article_id, limit=500) if e.polarity == "positive"}


def test_sample_000_kim_criticises_and_accuses_the_us_and_the_west(sample_ledger):
    found = events_of(sample_ledger, article_with(sample_ledger, "shock troops").id)
    for target in ("USA", "WST"):
        assert ("111", "PRKGOV", target) in found
        assert ("112", "PRKGOV", target) in found


def test_sample_000_troop_deployment_and_defence_pact(sample_ledger):
    found = events_of(sample_ledger, article_with(sample_ledger, "shock troops").id)
    assert ("074", "PRK", "RUS") in found  # had sent over 10,000 soldiers to assist Russia
    assert ("057", "PRK", "RUS") in found  # ratifying a historic defence pact with Russia


def test_sample_001_russia_received_shells_from_north_korea(sample_ledger):
    article = article_with(sample_ledger, "Pak Jong Chon")
    [event] = [e for e in sample_ledger.events(article=article.id, cameo="072")
               if e.source and e.source.code == "PRK"]
    assert event.target.code == "RUS"
    assert "1.6 million artillery shells" in event.sentence_text
    assert event.sentence_text == article.text[event.sentence_start:event.sentence_end]
    assert article.text[event.trigger_start:event.trigger_end] == "received"


def test_sample_001_putin_and_kim_sign_a_pact(sample_ledger):
    found = events_of(sample_ledger, article_with(sample_ledger, "Pak Jong Chon").id)
    assert ("057", "RUSGOV", "PRKGOV") in found and ("057", "PRKGOV", "RUSGOV") in found


def test_boilerplate_is_never_coded(sample_ledger):
    for article in sample_ledger.articles():
        for event in sample_ledger.events(article=article.id, limit=500):
            assert "icon-" not in event.sentence_text and "Related News" not in event.sentence_text


# -- issue 5: claims, modality, dates, places and quantities of design.md's table --------------


def test_sample_000_troop_claim_is_disputed(sample_ledger):
    article = article_with(sample_ledger, "shock troops")
    [claim] = [c for c in sample_ledger.claims(article=article.id)
               if sample_ledger.event(c.event_id).cameo == "074"
               and sample_ledger.event(c.event_id).source.code == "PRK"]
    event = sample_ledger.event(claim.event_id)
    assert event.target.code == "RUS" and event.plover_event == "AID"
    assert {code[:3] for code in claim.asserted_by} == {"KOR", "USA"}
    assert {code[:3] for code in claim.denied_by} == {"PRK"}
    assert claim.status == "disputed"
    assert event.quantities == [{"value": 10000, "unit": "soldiers", "approximate": True,
                                 "bound": "over"}]


def test_sample_000_undated_in_the_ledger_and_dated_when_a_date_is_given(sample_ledger, samples):
    """Sample 000 carries no date of its own: its events are undated in the ledger; given its
    publication date, "last week" resolves to the week before it."""
    article = article_with(sample_ledger, "shock troops")
    assert article.published is None
    assert all(e.date is None for e in sample_ledger.events(article=article.id))
    import newsledger

    text = (samples / SAMPLE_000).read_text(encoding="utf-8")
    events = newsledger.extract(text, "2024-11-18").events
    [pact] = [e for e in events if e.cameo == "057" and e.source.code == "PRK"]
    assert (pact.target.code, pact.date, pact.date_precision, pact.date_end) == (
        "RUS", "2024-11-11", "week", "2024-11-17")
    [kim] = [e for e in events if e.cameo == "111" and e.source.code == "PRKGOV"
             and e.target.code == "USA"]
    assert (kim.date, kim.date_precision, kim.modality) == ("2024-11-18", "day", "asserted")


def test_sample_001_washington_post_claim(sample_ledger):
    article = article_with(sample_ledger, "Pak Jong Chon")
    [event] = [e for e in sample_ledger.events(article=article.id, cameo="072")
               if e.source and e.source.code == "PRK"]
    assert event.modality == "possible" and event.attributed_to == ["USAMED"]
    assert (event.date, event.date_precision, event.date_end) == ("2023-08-01", "period",
                                                                  "2024-01-31")
    assert event.quantities == [{"value": 1600000, "unit": "artillery shells",
                                 "approximate": True, "bound": None}]
    [claim] = [c for c in sample_ledger.claims(article=article.id) if c.event_id == event.id]
    assert (claim.asserted_by, claim.status) == (["USAMED"], "reported")


def test_sample_001_dates_places_and_plans(sample_ledger):
    article = article_with(sample_ledger, "Pak Jong Chon")
    events = sample_ledger.events(article=article.id, limit=500)
    [criticism] = [e for e in events if e.cameo == "111" and e.source.code == "PRKMIL"]
    assert (criticism.date, criticism.date_precision) == ("2024-06-24", "day")
    [pact] = [e for e in events if e.cameo == "057" and e.source.code == "RUSGOV"]
    assert (pact.date, pact.date_end) == ("2024-06-17", "2024-06-23")
    assert pact.location["name"] == "Pyongyang" and pact.location["country"] == "PRK"
    [plan] = [e for e in events if e.cameo == "074" and e.source.code == "PRK"]
    assert plan.modality == "intended" and (plan.date, plan.date_precision) == ("2024-07-01",
                                                                                "month")


def test_sample_001_arms_trade_accusation_is_disputed(sample_ledger):
    article = article_with(sample_ledger, "Pak Jong Chon")
    disputed = [c for c in sample_ledger.claims(article=article.id, status="disputed")]
    assert disputed
    for claim in disputed:
        assert {c[:3] for c in claim.asserted_by} == {"KOR", "USA"}
        assert {c[:3] for c in claim.denied_by} == {"RUS", "PRK"}
