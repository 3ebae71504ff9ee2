"""Context of events: relative time against the article date, modality and polarity, place,
quantities. Each case is a short text and the structured result it must give."""

from __future__ import annotations

import datetime as dt

import pytest

import newsledger
from newsledger.context.time import resolve

MONDAY = dt.date(2024, 6, 24)
WEDNESDAY = dt.date(2024, 6, 26)


@pytest.mark.parametrize("text, anchor, future, expected", [
    ("on Monday", MONDAY, False, ("2024-06-24", "day", None)),
    ("on Monday", WEDNESDAY, False, ("2024-06-24", "day", None)),
    ("on Monday", WEDNESDAY, True, ("2024-07-01", "day", None)),
    ("on Tuesday", MONDAY, False, ("2024-06-18", "day", None)),
    ("last Monday", MONDAY, False, ("2024-06-17", "day", None)),
    ("yesterday", WEDNESDAY, False, ("2024-06-25", "day", None)),
    ("today", WEDNESDAY, False, ("2024-06-26", "day", None)),
    ("last week", MONDAY, False, ("2024-06-17", "week", "2024-06-23")),
    ("this week", WEDNESDAY, False, ("2024-06-24", "week", "2024-06-30")),
    ("last month", MONDAY, False, ("2024-05-01", "month", "2024-05-31")),
    ("as early as next month", MONDAY, True, ("2024-07-01", "month", "2024-07-31")),
    ("next year", MONDAY, True, ("2025-01-01", "year", "2025-12-31")),
    ("between August and January", MONDAY, False, ("2023-08-01", "period", "2024-01-31")),
    ("between March and May", MONDAY, False, ("2024-03-01", "period", "2024-05-31")),
    ("in 2011", MONDAY, False, ("2011-01-01", "year", "2011-12-31")),
    ("on June 3", MONDAY, False, ("2024-06-03", "day", None)),
    ("June 30", MONDAY, False, ("2023-06-30", "day", None)),
    ("3 March 2022", MONDAY, False, ("2022-03-03", "day", None)),
    ("in January", MONDAY, False, ("2024-01-01", "month", "2024-01-31")),
    ("in September", MONDAY, True, ("2024-09-01", "month", "2024-09-30")),
    ("two weeks ago", MONDAY, False, ("2024-06-10", "week", "2024-06-16")),
    ("earlier this month", MONDAY, False, ("2024-06-01", "month", "2024-06-30")),
])
def test_relative_time_resolves_against_the_article_date(text, anchor, future, expected):
    assert resolve(text, anchor, future=future).iso() == expected


def test_unknown_time_words_resolve_to_nothing():
    assert resolve("in the coming era", MONDAY) is None


def event(text: str, code: str, published: str | None = "2024-06-26"):
    """The first event with ``code`` that ``extract`` finds in ``text``."""
    found = [e for e in newsledger.extract(text, published).events if e.cameo == code]
    assert found, [(e.cameo, e.source and e.source.code) for e in
                   newsledger.extract(text, published).events]
    return found[0]


def test_event_date_from_its_weekday():
    e = event("Russian forces shelled Kharkiv on Monday.", "194")
    assert (e.date, e.date_precision) == ("2024-06-24", "day")


def test_event_without_a_time_phrase_takes_the_article_date():
    e = event("Russian forces shelled Kharkiv.", "194")
    assert (e.date, e.date_precision) == ("2024-06-26", "day")


def test_undated_article_gives_undated_events():
    assert event("Russian forces shelled Kharkiv.", "194", published=None).date is None


def test_event_week_and_month_and_period():
    assert event("North Korea ratified a defence pact with Russia last week.", "057").date_end \
        == "2024-06-23"
    e = event("Russia received artillery shells from North Korea between August and January.",
              "072")
    assert (e.date, e.date_precision, e.date_end) == ("2023-08-01", "period", "2024-01-31")


@pytest.mark.parametrize("text, code, polarity, modality", [
    ("Japan did not criticise China.", "111", "negative", "asserted"),
    ("Japan never criticised China.", "111", "negative", "asserted"),
    ("Japan criticised China.", "111", "positive", "asserted"),
    ("Russia could attack Ukraine.", "190", "positive", "possible"),
    ("Iran might have supplied drones to Russia.", "072", "positive", "possible"),
    ("Japan may impose sanctions on Russia.", "163", "positive", "possible"),
    ("Russia will possibly attack Ukraine.", "190", "positive", "possible"),
    ("North Korea intends to deploy troops to Russia.", "074", "positive", "intended"),
    ("Russia plans to attack Kharkiv.", "190", "positive", "intended"),
    ("The United States will send weapons to Ukraine.", "072", "positive", "future"),
    ("Japan will impose sanctions if North Korea attacks South Korea.", "190", "positive",
     "conditional"),
    ("North Korea had attacked South Korea in 1950.", "190", "positive", "background"),
    ("Russia promised to release the prisoners.", "0353", "positive", "asserted"),
    ("Japan pledged to provide military aid to Ukraine.", "0332", "positive", "asserted"),
])
def test_modality_and_polarity(text, code, polarity, modality):
    """The modality and negation rules, on the lexicon's events (the learned coder's realis is
    in test_coder.py)."""
    [e] = [e for e in newsledger.extract(text, "2024-06-26", coder="rules").events
           if e.cameo == code][:1]
    assert (e.polarity, e.modality) == (polarity, modality)


def test_refusing_a_future_act_is_a_rejection_not_a_negated_act():
    codes = {(e.cameo, e.polarity) for e in newsledger.extract(
        "Israel said it would not release the prisoners.").events}
    assert ("124", "positive") in codes and not any(c[0] == "0841" for c in codes)


@pytest.mark.parametrize("text, code, name, country", [
    ("Russian forces shelled a village near Kharkiv.", "194", "Kharkiv", "UKR"),
    ("Kenyan protesters rallied in Nairobi.", "141", "Nairobi", "KEN"),
    ("Israeli jets struck targets in Beirut.", "190", "Beirut", "LBN"),
    ("Russian troops attacked positions near the town of Bakhmut.", "190", "Bakhmut", "UKR"),
    ("North Korean troops fought near the Ukrainian border.", "190", "Ukrainian border", "UKR"),
])
def test_event_location(text, code, name, country):
    location = event(text, code).location
    assert (location["name"], location["country"]) == (name, country)


def test_city_location_has_coordinates():
    location = event("Kenyan protesters rallied in Nairobi.", "141").location
    assert location["lat"] == pytest.approx(-1.28, abs=0.1)
    assert location["lon"] == pytest.approx(36.8, abs=0.1)


def test_dateline_is_a_marked_fallback_not_the_event_place(tmp_path):
    """Where the sentence names no place, the dateline is where the reporter was: the event
    gets it only marked as such (``source: dateline``), never as the place of the act."""
    (tmp_path / "a.txt").write_text("SEOUL, South Korea: North Korea fired missiles at "
                                    "Japan on Monday, officials said.")
    with newsledger.Ledger(tmp_path / "l.db") as ledger:
        ledger.ingest(tmp_path / "a.txt")
        [article] = ledger.articles()
        assert article.dateline.country == "KOR"
        [fired] = [e for e in ledger.events() if e.source and e.source.code == "PRK"]
        assert fired.location is None or fired.location["source"] == "dateline"


@pytest.mark.parametrize("text, code, expected", [
    ("North Korea sent over 10,000 soldiers to Russia.", "074",
     [{"value": 10000, "unit": "soldiers", "approximate": True, "bound": "over"}]),
    ("Russia received approximately 1.6 million artillery shells from North Korea.", "072",
     [{"value": 1600000, "unit": "artillery shells", "approximate": True, "bound": None}]),
    ("Rebels attacked the village, killing 6 civilians, including 2 women.", "190",
     [{"value": 6, "unit": "civilians", "approximate": False, "bound": None},
      {"value": 2, "unit": "women", "approximate": False, "bound": None}]),
    ("Russia deployed nearly 500 troops to Belarus.", "074",
     [{"value": 500, "unit": "troops", "approximate": True, "bound": "under"}]),
    ("Police arrested three journalists.", "173",
     [{"value": 3, "unit": "journalists", "approximate": False, "bound": None}]),
])
def test_quantities(text, code, expected):
    assert event(text, code).quantities == expected


def test_a_reference_is_not_a_quantity():
    text = "Japan criticised China. The two nations later signed a trade agreement."
    found = [e for e in newsledger.extract(text, "2024-06-24", coder="rules").events
             if e.cameo == "057"]
    assert found and all(e.quantities == [] for e in found)


# -- event dates consistent within a sentence; places from a gazetteer with regions -------------

def rules_events(text: str, published: str | None = "2024-05-20"):
    return newsledger.extract(text, published, coder="rules").events


def test_events_of_one_sentence_share_its_time():
    events = rules_events("Russian drones struck Odesa overnight, killing two people.")
    assert len(events) >= 2
    assert {(e.date, e.date_precision) for e in events} == {("2024-05-19", "day")}


def test_a_complement_clause_does_not_take_the_speech_date():
    from newsledger.context.when import SHARED_TIME

    assert "ccomp" not in SHARED_TIME  # "said on Monday that rebels had attacked" dates the saying


def test_undated_article_dates_only_events_whose_phrase_names_a_year():
    [dated] = rules_events("Israeli troops killed three militants in Gaza on June 3, 2011.",
                           published=None)
    assert (dated.date, dated.date_precision) == ("2011-06-03", "day")
    [undated] = rules_events("Israeli troops killed three militants in Gaza on Monday.",
                             published=None)
    assert undated.date is None


def test_gazetteer_has_regions_with_coordinates():
    from newsledger.context.place import places

    region = places().resolve("Donetsk region")
    assert (region.kind, region.country) == ("region", "UKR")
    assert 46 < region.lat < 49 and 36 < region.lon < 40
    state = places().resolve("Georgia", ["USA"])
    assert (state.kind, state.country) == ("region", "USA")
    assert places().resolve("Georgia").country == "GEO"


def test_a_name_is_read_in_the_article_countries_but_not_against_a_great_city():
    from newsledger.context.place import places

    assert places().resolve("Birmingham", ["USA"]).country == "USA"
    assert places().resolve("Birmingham").country == "GBR"
    assert places().resolve("Paris", ["USA"]).country == "FRA"  # Paris, Texas is too small
    # a place called by the name itself comes before one that only has it among its other names
    assert places().resolve("Palmer").name == "Palmer"  # not Palmar de Varela, Colombia
    assert places().resolve("Canton").name == "Guangzhou"  # a far greater city still wins


@pytest.mark.parametrize("text, name, country, kind", [
    ("Russian forces shelled villages in Ukraine's Donetsk region on Monday.", "Donetsk Oblast",
     "UKR", "region"),
    ("Russian drones struck Odesa overnight.", "Odesa", "UKR", "city"),
    ("Police arrested 20 protesters in Nairobi on Tuesday.", "Nairobi", "KEN", "city"),
])
def test_event_place_from_its_sentence(text, name, country, kind):
    located = [e.location for e in rules_events(text) if e.location]
    assert located, rules_events(text)
    assert (located[0]["name"], located[0]["country"], located[0]["kind"]) == (name, country, kind)
    assert located[0]["lat"] is not None and located[0]["source"] in ("event", "sentence")


@pytest.mark.parametrize("text", [
    "Police arrested two men on Santo Domingo street in Mexico City on Monday.",
    "Volunteers from St. John's Ambulance treated the injured marchers.",
])
def test_a_place_inside_a_street_or_organisation_name_is_not_a_place(text):
    for e in rules_events(text):
        assert not e.location or e.location["country"] != "DOM"
        assert not e.location or e.location["country"] != "ATG"


def test_dateline_is_the_last_resort_and_marked():
    import spacy

    from newsledger.context.place import location
    from newsledger.model import Dateline

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Protesters marched.")
    found = location(doc[1], dateline=Dateline("Nairobi", "KEN"))
    assert (found["name"], found["country"], found["source"]) == ("Nairobi", "KEN", "dateline")
    assert location(doc[1]) is None


def test_article_place_is_the_last_resort_and_marked():
    text = ("Police arrested ten protesters in Nairobi on Monday. Police in Nairobi said the"
            " marchers had thrown stones. The opposition leader condemned the arrests.")
    events = rules_events(text)
    condemned = [e for e in events if "condemned" in e.sentence_text]
    assert condemned and condemned[0].location["source"] == "article"
    assert (condemned[0].location["name"], condemned[0].location["country"]) == ("Nairobi", "KEN")
    arrested = [e for e in events if "arrested" in e.sentence_text]
    assert arrested and arrested[0].location["source"] == "event"


def test_no_article_city_when_cities_compete_only_their_country():
    text = ("Police arrested protesters in Nairobi on Monday and in Mombasa on Tuesday."
            " The opposition leader condemned the arrests.")
    condemned = [e for e in rules_events(text) if "condemned" in e.sentence_text]
    # neither city is guessed; both are in Kenya, the country the article is about
    assert condemned and condemned[0].location["kind"] == "country"
    assert (condemned[0].location["country"], condemned[0].location["source"]) == ("KEN",
                                                                                   "article")


def test_no_article_country_when_countries_compete():
    text = ("Russia accused Ukraine of shelling the plant. Ukraine blamed Russia."
            " The opposition leader condemned the shelling.")
    condemned = [e for e in rules_events(text) if "condemned" in e.sentence_text]
    assert condemned and condemned[0].location is None


def test_a_month_is_not_a_town():
    # March is also a town in England, of more than 15,000 people
    for e in rules_events("Protesters marched in March against the war."):
        assert e.location is None or e.location["name"] != "March"
