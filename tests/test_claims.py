"""Attribution and claims: who says an event happened, who denies or confirms it, and the
statement itself as an event."""

from __future__ import annotations

import pytest

import newsledger


def extracted(text: str, published: str | None = "2024-06-26"):
    return newsledger.extract(text, published)


def find(x, code: str, source: str | None = None):
    found = [e for e in x.events if e.cameo == code and (
        source is None or (e.source and e.source.code == source))]
    assert found, [(e.cameo, e.source and e.source.code) for e in x.events]
    return found[0]


@pytest.mark.parametrize("text, code, source, chain", [
    ("Japan said that China had attacked its coast guard.", "190", "CHN", ["JPN"]),
    ("China attacked the Japanese vessel, Japan said.", "190", "CHN", ["JPN"]),
    ("According to Reuters, Russian forces shelled Kharkiv.", "194", "RUSMIL", ["GBRMED"]),
    ("Reports from the Washington Post indicated that Russia received missiles from Iran.",
     "072", "IRN", ["USAMED"]),
    ("US officials claimed that Iran supplied drones to Russia.", "072", "IRN", ["USAGOV"]),
    ("Ukraine's air force said Russia launched drones at Odesa.", "195", "RUS", ["UKRMIL"]),
    ("Yonhap, citing South Korean officials, said North Korea fired a missile at Japan.", "195",
     "PRK", ["KORGOV", "KORMED"]),
    ("State media reported that Kim Jong Un said North Korea shelled the border.", "194", "PRK",
     ["PRKGOV", "---MED"]),
    ("Seoul accused Pyongyang of sending troops to Russia.", "074", "PRKGOV", ["KORGOV"]),
    ("Japan's foreign ministry said China seized a Japanese fishing boat.", "1711", "CHN",
     ["JPNGOV"]),
])
def test_attribution_chain_nearest_first(text, code, source, chain):
    assert find(extracted(text), code, source).attributed_to == chain


def test_an_unattributed_event_has_no_chain():
    assert find(extracted("Russian forces shelled Kharkiv."), "194").attributed_to == []


def test_a_clause_of_time_is_not_what_the_speaker_said():
    x = extracted("While Japan criticised China, the minister said the talks would go on.")
    assert find(x, "111", "JPN").attributed_to == []


@pytest.mark.parametrize("text, code, source, target", [
    # a statement reporting another actor's hostile act is an accusation
    ("The US claimed that ISIL had attacked Iraq.", "112", "USA", "IMGMUSISI"),
    # a claim of one's own hostile act is a claim of responsibility
    ("The US claimed that it had attacked Iraq.", "015", "USA", "IRQ"),
    # a neutral statement about another actor
    ("Japan said that Chile had signed a treaty with Peru.", "010", "JPN", "CHL"),
])
def test_a_statement_is_an_event_with_its_content(text, code, source, target):
    x = extracted(text)
    statement = find(x, code, source)
    assert statement.target.code == target
    assert statement.content and all(any(e.id == i for e in x.events) for i in statement.content)


def test_a_possible_act_is_not_an_accusation():
    x = extracted("The Pentagon stated that Ukrainian forces could strike Russian forces.")
    assert not any(e.cameo == "112" for e in x.events)


def claims_of(x):
    by_id = {e.id: e for e in x.events}
    return [(c, by_id[c.event_id]) for c in x.analysis.claims]


def the_claim(x, code: str):
    found = [(c, e) for c, e in claims_of(x) if e.cameo == code]
    assert found, [(e.cameo, c.status) for c, e in claims_of(x)]
    return found[0]


def test_accusation_then_denial_of_the_noun_is_disputed():
    x = extracted("Seoul and Washington accused Pyongyang of sending troops to Russia. "
                  "Pyongyang has denied the troop deployment.")
    claim, event = the_claim(x, "074")
    assert (event.source.code, event.target.code) == ("PRKGOV", "RUS")
    assert claim.asserted_by == ["KORGOV", "USAGOV"] and claim.denied_by == ["PRKGOV"]
    assert claim.status == "disputed"
    assert {e["role"] for e in claim.evidence} == {"asserted", "denied"}


def test_denying_a_gerund_is_a_denied_claim():
    claim, event = the_claim(extracted("Iran denied attacking the tanker."), "190")
    assert event.source.code == "IRN" and claim.denied_by == ["IRN"]
    assert claim.asserted_by == [] and claim.status == "denied"


def test_denying_a_clause():
    claim, _ = the_claim(extracted("Russia denied that its forces had shelled the hospital."),
                         "194")
    assert claim.denied_by == ["RUS"] and claim.status == "denied"


def test_a_denial_restating_an_earlier_claim_disputes_that_claim():
    x = extracted("Chinese ships attacked a Philippine boat on Monday, Manila said. China's "
                  "foreign ministry denied that its forces had attacked the boat.")
    claim, event = the_claim(x, "190")
    assert (event.source.code, event.target.code) == ("CHN", "PHL")
    assert claim.asserted_by == ["PHLGOV"] and claim.denied_by == ["CHNGOV"]
    assert claim.status == "disputed"
    assert len(x.claims) == 1


def test_a_denial_of_another_country_s_act_does_not_restate_the_claim():
    x = extracted("Chinese ships attacked a Philippine boat, Manila said. Vietnam denied that "
                  "its forces had attacked the boat.")
    statuses = sorted(c.status for c in x.claims)
    assert statuses == ["denied", "reported"]


def test_denying_the_reports_refers_to_the_last_claim():
    x = extracted("Reports from Reuters said Syria bombed Aleppo. Damascus denied the reports.")
    claim, event = the_claim(x, "195")
    assert event.source.code == "SYR"
    assert claim.asserted_by == ["GBRMED"] and claim.denied_by == ["SYRGOV"]
    assert claim.status == "disputed"


def test_the_doer_confirming_makes_it_confirmed():
    x = extracted("Ukraine said Russia fired missiles at Lviv. Moscow confirmed the strikes.")
    claim, _ = the_claim(x, "195")
    assert claim.asserted_by == ["UKR"] and claim.confirmed_by == ["RUSGOV"]
    assert claim.status == "confirmed"


def test_a_reported_event_is_a_reported_claim():
    claim, _ = the_claim(extracted("According to Reuters, Israel struck Beirut."), "190")
    assert (claim.asserted_by, claim.status) == (["GBRMED"], "reported")


def test_asserters_are_gathered():
    x = extracted("Japan and Australia said that China had seized the ship.")
    claim, _ = the_claim(x, "1711")
    assert claim.asserted_by == ["JPN", "AUS"]


def test_claims_round_trip_through_the_ledger(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Seoul and Washington accused Pyongyang of sending troops to Russia. "
        "Pyongyang has denied the troop deployment.")
    with newsledger.Ledger(tmp_path / "l.db") as ledger:
        ledger.ingest(tmp_path / "a.txt")
        [claim] = ledger.claims(status="disputed")
        assert claim.denied_by == ["PRKGOV"]
        assert ledger.event(claim.event_id).cameo == "074"
        assert ledger.claims(status="denied") == []
        assert len(ledger.claims(actor="PRK")) == 1
