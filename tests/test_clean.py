"""News cleaning: furniture goes, metadata in the text is taken out and kept."""

from __future__ import annotations

import datetime as dt

import pytest

from newsledger.ingest.clean import Cleaner


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


BODY = ("The foreign ministers of Chile and Peru met in Lima on Tuesday to discuss a border "
        "dispute that has strained relations between the two neighbours for a decade.")


def test_share_button_line_is_removed(cleaner):
    cleaned = cleaner.clean_text(f"{BODY}\nicon-facebook icon-twitter icon-whatsapp\n{BODY}")
    assert "icon-" not in cleaned.text
    assert cleaned.text.count("foreign ministers") == 2
    assert ("share", "icon-facebook icon-twitter icon-whatsapp") in cleaned.removed


def test_share_words_line_is_removed(cleaner):
    cleaned = cleaner.clean_text(f"{BODY}\nShare on Facebook | Tweet | Email\n{BODY}")
    assert "Tweet" not in cleaned.text


def test_inline_share_icons_are_removed_from_a_paragraph(cleaner):
    cleaned = cleaner.clean_text(f"{BODY} icon-facebook icon-twitter")
    assert cleaned.text == BODY


def test_related_news_trailer_and_its_links_are_removed(cleaner):
    text = (f"{BODY}\nRelated News :\nPeru recalls ambassador\nChile protests border move\n")
    cleaned = cleaner.clean_text(text)
    assert cleaned.text == BODY
    assert [kind for kind, _ in cleaned.removed] == ["trailer", "trailer", "trailer"]


def test_trailer_stops_at_the_next_prose_paragraph(cleaner):
    text = f"{BODY}\nRead more: Peru recalls ambassador\n{BODY}"
    cleaned = cleaner.clean_text(text)
    assert cleaned.text.count("foreign ministers") == 2
    assert "Read more" not in cleaned.text


def test_photo_credits_are_removed(cleaner):
    text = f"Photo: Maria Lopez/Reuters\n{BODY}\n(Photo by John Doe/AFP via Getty Images)"
    cleaned = cleaner.clean_text(text)
    assert cleaned.text == BODY
    assert {kind for kind, _ in cleaned.removed} == {"credit"}


def test_prose_that_mentions_pictures_is_kept(cleaner):
    line = "Pictures of the damaged bridge spread quickly on social media after the strike."
    assert cleaner.clean_text(f"{BODY}\n{line}").text.endswith(line)


def test_read_more_and_newsletter_prompts_are_removed(cleaner):
    text = f"{BODY}\nRead more\nSign up for our daily briefing newsletter\nADVERTISEMENT\n{BODY}"
    cleaned = cleaner.clean_text(text)
    assert cleaned.text == f"{BODY}\n\n{BODY}"


def test_byline_is_removed(cleaner):
    cleaned = cleaner.clean_text(f"By Ana Silva and Tom Reyes\n{BODY}")
    assert cleaned.text == BODY


def test_title_line_becomes_the_title(cleaner):
    cleaned = cleaner.clean_text(f"Chile and Peru Hold Border Talks\n\n{BODY}")
    assert cleaned.title == "Chile and Peru Hold Border Talks"
    assert cleaned.text == BODY


def test_a_first_line_of_prose_is_not_a_title(cleaner):
    cleaned = cleaner.clean_text(f"{BODY}\n{BODY}")
    assert cleaned.title is None
    assert cleaned.text.startswith("The foreign ministers")


def test_repeated_title_lines_are_removed(cleaner):
    cleaned = cleaner.clean_text(f"Chile and Peru Hold Border Talks\n{BODY}",
                                 title="Chile and Peru hold border talks")
    assert cleaned.title == "Chile and Peru hold border talks"
    assert cleaned.text == BODY


@pytest.mark.parametrize("line, expected", [
    ("Mon Jun 24 2024", dt.date(2024, 6, 24)),
    ("June 24, 2024", dt.date(2024, 6, 24)),
    ("Updated: 3 March 2023 14:05 GMT", dt.date(2023, 3, 3)),
    ("Published on Tuesday, 5 March 2024 at 14:30 CET", dt.date(2024, 3, 5)),
    ("2024-06-24T08:00:00Z", dt.date(2024, 6, 24)),
])
def test_date_line_becomes_the_publication_date(cleaner, line, expected):
    cleaned = cleaner.clean_text(f"Border Talks Resume\n{line}\n{BODY}")
    assert cleaned.published == expected
    assert cleaned.text == BODY


def test_an_impossible_date_line_is_left_as_text(cleaner):
    assert cleaner.clean_text(f"{BODY}\nJun 31 2024").published is None


def test_dateline_with_country_is_taken_out_of_the_first_sentence(cleaner):
    cleaned = cleaner.clean_text("SEOUL, South Korea: A senior official criticized the plan on "
                                 "Monday.\nThe ministry said talks would continue.")
    assert (cleaned.dateline.place, cleaned.dateline.country) == ("Seoul", "KOR")
    assert cleaned.text.startswith("A senior official criticized")


def test_wire_dateline_with_agency_is_resolved_from_the_city(cleaner):
    cleaned = cleaner.clean_text("KYIV (Reuters) - Air defences were active overnight, the city "
                                 "administration said.")
    assert (cleaned.dateline.place, cleaned.dateline.country) == ("Kyiv", "UKR")
    assert cleaned.text.startswith("Air defences")


def test_multiword_dateline_city(cleaner):
    cleaned = cleaner.clean_text("GAZA CITY, Palestinian Territories: Four people were killed in "
                                 "shelling on Friday, medics said.")
    assert cleaned.dateline.country == "PSE"
    assert cleaned.text.startswith("Four people")


def test_title_case_dateline_needs_a_region_and_a_dash(cleaner):
    cleaned = cleaner.clean_text("Nairobi, Kenya — Protesters gathered outside parliament.")
    assert (cleaned.dateline.place, cleaned.dateline.country) == ("Nairobi", "KEN")
    assert cleaner.clean_text("Nairobi said the talks would go on.").dateline is None


def test_capitalised_word_that_is_not_a_place_is_not_a_dateline(cleaner):
    cleaned = cleaner.clean_text("NATO: allies agreed on Tuesday to expand air patrols.")
    assert cleaned.dateline is None
    assert cleaned.text.startswith("NATO:")


def test_html_goes_through_trafilatura_then_our_cleaning(cleaner):
    html = f"""<html><head><title>Talks | The Daily</title>
    <meta property="article:published_time" content="2024-05-02T09:00:00Z"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Chile and Peru Hold Border Talks</h1>
    <p>LIMA, Peru: {BODY}</p><p>icon-facebook icon-twitter</p>
    <p>Officials said a second round would follow in Santiago next month after both sides
    reported progress on the maritime boundary.</p></article>
    <footer>Copyright 2024 The Daily. All rights reserved.</footer></body></html>"""
    cleaned = cleaner.clean_html(html)
    assert cleaned.title == "Chile and Peru Hold Border Talks"
    assert cleaned.published == dt.date(2024, 5, 2)
    assert cleaned.dateline.country == "PER"
    assert cleaned.text.startswith("The foreign ministers")
    assert "Home" not in cleaned.text and "icon-" not in cleaned.text
    assert "Copyright" not in cleaned.text


def test_sample_001_metadata_and_furniture(cleaner, samples):
    text = (samples / "001_b15bff4e7131a23c.txt").read_text(encoding="utf-8")
    cleaned = cleaner.clean_text(text)
    assert cleaned.title == "North Korean Military Official Criticizes US Military Aid to Ukraine"
    assert cleaned.published == dt.date(2024, 6, 24)
    assert (cleaned.dateline.place, cleaned.dateline.country) == ("Seoul", "KOR")
    assert "icon-" not in cleaned.text
    assert cleaned.text.startswith("A senior North Korean military official criticized")


def test_sample_000_has_no_related_news_trailer(cleaner, samples):
    text = (samples / "000_ac792bbf1c50a6af.txt").read_text(encoding="utf-8")
    cleaned = cleaner.clean_text(text)
    assert "Related News" not in cleaned.text
    assert cleaned.text.endswith("it may reconsider this policy.")
    assert cleaned.title is None
