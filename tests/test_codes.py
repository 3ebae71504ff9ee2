"""One type per concept: actor codes (``ActorCode``), the actor filter, and the closed
vocabularies of ``model.py``."""

from __future__ import annotations

import json
import sqlite3
import typing

import pytest

from newsledger.actors.codes import ActorCode, compose, country_of, split_code
from newsledger.model import ClaimStatus, Modality, Period, Polarity, QuadClass, values
from newsledger.store.events import actor_condition, country_sql, json_actor_condition

SECTORS = {"GOV": 1, "MIL": 1, "MED": 1, "HLH": 1}
CODES = ["PRK", "PRKGOV", "USAMILGOV", "IGO", "IGOUNO", "IGOUNOMIL", "NGOAMN", "IMGMIL",
         "MNC", "MNCUSA", "MNCUSAHLH", "---", "---GOV", "NGOARNGOV", "KOR"]


@pytest.mark.parametrize("code, country", [
    ("PRK", "PRK"), ("PRKGOV", "PRK"), ("USAMILGOV", "USA"), ("IGO", "IGO"),
    ("IGOUNO", "IGOUNO"), ("IGOUNOMIL", "IGOUNO"), ("NGOAMN", "NGOAMN"), ("IMGMIL", "IMGMIL"),
    ("MNC", "MNC"), ("MNCUSA", "MNCUSA"), ("MNCUSAHLH", "MNCUSA"), ("---", None),
    ("---GOV", None),
])
def test_the_country_of_a_code(code, country):
    assert ActorCode(code).country == country
    assert country_of(code) == country


def test_an_mnc_code_is_transnational_like_igo_ngo_and_img():
    assert ActorCode("MNCUSA").transnational and ActorCode("IGOUNO").transnational
    assert ActorCode("MNCUSAMED").country == "MNCUSA"
    assert ActorCode("MNCUSAMED").country != "MNC"
    assert not ActorCode("USAGOV").transnational


def test_unknown_country_codes_have_no_country_but_keep_their_sector():
    code = ActorCode("---GOV")
    assert code.unknown and code.country is None and code.sector(SECTORS) == "GOV"
    assert country_of(None) is None and country_of("") is None


def test_sector_and_blocks():
    assert ActorCode("USAMILGOV").blocks() == ["MIL", "GOV"]
    assert ActorCode("IGOUNOMIL").sector(SECTORS) == "MIL"
    assert ActorCode("PRK").sector(SECTORS) is None
    assert split_code("IGOUNOMIL", SECTORS) == ("IGOUNO", "MIL")
    assert split_code("---GOV", SECTORS) == (None, "GOV")


def test_compose_adds_a_sector_only_to_a_bare_base():
    assert compose("PRK", ["MIL"]) == "PRKMIL"
    assert compose("USAGOV", ["GOV"]) == "USAGOV"
    assert compose("IGOUNO", ["MIL"]) == "IGOUNOMIL"
    assert compose("---", ["GOV"], ["NGO"]) == "NGO---GOV"


def test_a_country_part_alone_is_a_country_filter():
    assert ActorCode.parse(" prk ").is_country and ActorCode("IGOUNO").is_country
    assert not ActorCode("PRKGOV").is_country and not ActorCode("IGOUNOMIL").is_country
    assert not ActorCode("---").is_country


def test_sql_country_rule_is_the_python_rule():
    conn = sqlite3.connect(":memory:")
    for code in CODES:
        [(sql_country,)] = conn.execute(
            f"WITH c(v) AS (SELECT ?) SELECT {country_sql('v')} FROM c", (code,)).fetchall()
        assert sql_country == ActorCode(code).country, code


def _actors_table() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE e (code TEXT, country TEXT, asserted_by TEXT)")
    conn.executemany("INSERT INTO e VALUES (?, ?, ?)",
                     [(code, country_of(code), json.dumps([code])) for code in CODES])
    return conn


@pytest.mark.parametrize("actor, expected", [
    ("PRK", {"PRK", "PRKGOV"}),
    ("prkgov", {"PRKGOV"}),
    ("IGOUNO", {"IGOUNO", "IGOUNOMIL"}),
    ("MNCUSA", {"MNCUSA", "MNCUSAHLH"}),
    ("USAMIL", set()),  # not a prefix match: USAMILGOV is another code
    ("PR", set()),
])
def test_the_actor_filter_means_the_same_on_columns_and_on_json_lists(actor, expected):
    conn = _actors_table()
    clause, params = actor_condition("code", "country", actor)
    on_columns = {row[0] for row in conn.execute(f"SELECT code FROM e WHERE {clause}", params)}
    clause, params = json_actor_condition("asserted_by", actor)
    on_json = {row[0] for row in conn.execute(f"SELECT code FROM e WHERE {clause}", params)}
    assert on_columns == expected
    assert on_json == expected


def test_vocabularies_keep_their_user_visible_values():
    assert values(ClaimStatus) == ("reported", "disputed", "denied", "confirmed")
    assert values(Modality) == ("asserted", "possible", "intended", "future", "conditional",
                                "background", "denied")
    assert values(Polarity) == ("positive", "negative")
    assert values(Period) == ("day", "week", "month")
    assert [q.label for q in QuadClass] == ["verbal cooperation", "material cooperation",
                                            "verbal conflict", "material conflict"]
    assert ClaimStatus.DISPUTED == "disputed" and json.dumps(ClaimStatus.DENIED) == '"denied"'


def test_the_cli_and_the_api_validate_from_the_model():
    from newsledger import vocabulary
    from newsledger.web import app

    assert vocabulary.PERIODS == values(Period) and vocabulary.MODALITIES == values(Modality)
    assert vocabulary.POLARITIES == values(Polarity)
    assert typing.get_args(app.Status) == values(ClaimStatus)
    assert typing.get_args(app.Period) == values(Period)
    assert typing.get_args(app.Modality) == values(Modality)
    with pytest.raises(vocabulary.FilterError):
        vocabulary.check_filters({"status": "rumoured"})
