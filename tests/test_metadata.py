"""Article metadata from what users keep: a leading URL line, the outlet from the URL's domain,
the publication date with the rule that gave it, and non-text files named ``.txt``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsledger.errors import InputError
from newsledger.ingest.clean import (Cleaner, outlet_of, take_url_line, text_dateline_date,
                                     to_article_fields, url_date)
from newsledger.ingest.sources import ReadOptions, read_file
from newsledger.model import RawDocument

FIXTURES = Path(__file__).parent / "fixtures" / "metadata"


def _read(name: str):
    items = list(read_file(FIXTURES / name, ReadOptions()))
    assert len(items) == 1
    return items[0]


def _fields(name: str):
    item = _read(name)
    assert isinstance(item, RawDocument), item
    return to_article_fields(item, Cleaner())


# name: url, outlet, outlet country, published, date rule
EXPECTED = {
    "leading-url.txt": ("https://www.theguardian.com/world/2022/06/09/harbour-workers-strike",
                        "The Guardian", "GBR", dt.date(2022, 6, 9), "url"),
    "dateline.txt": (None, None, None, dt.date(2022, 6, 14), "text"),
    "afrol.txt": ("http://www.afrol.com/articles/2011/something-happened", "afrol News", "NOR",
                  dt.date(2011, 1, 27), "text"),
    "url-date-only.txt": ("https://apnews.com/article/elections-20220720-ballot-count",
                          "Associated Press", "USA", dt.date(2022, 7, 20), "url"),
    "url-month.txt": ("https://www.example.org/news/2022/07/council-vote", None, None,
                      dt.date(2022, 7, 1), "url"),
    "tokenised-url.txt": ("http://articles.latimes.com/2013/may/03/local/la-me-singer-rehab",
                          "Los Angeles Times", "USA", dt.date(2013, 5, 3), "url"),
    "no-date.txt": (None, None, None, None, None),
    "rtf-named.txt": (None, None, None, None, None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_metadata(name: str) -> None:
    url, outlet, country, published, rule = EXPECTED[name]
    cleaned = _fields(name)
    assert cleaned.url == url
    assert cleaned.outlet == outlet
    assert cleaned.outlet_country == country
    assert cleaned.published == published
    assert cleaned.date_source == rule
    if url:
        assert "http" not in cleaned.text and "www." not in cleaned.text  # the URL left the text


def test_rtf_named_txt_is_converted() -> None:
    cleaned = _fields("rtf-named.txt")
    assert "Protesters gathered outside the parliament in Accra" in cleaned.text
    assert "\\rtf" not in cleaned.text and "fonttbl" not in cleaned.text and "{" not in cleaned.text


@pytest.mark.parametrize("name, kind", [("pdf-named.txt", "PDF"), ("docx-named.txt", "office")])
def test_other_disguised_files_are_reported(name: str, kind: str) -> None:
    item = _read(name)
    assert isinstance(item, InputError)
    assert kind in str(item) and name in str(item)


def test_given_metadata_wins_over_the_url() -> None:
    raw = RawDocument(source="x", text="The council met on Monday and voted.",
                      url="https://www.bbc.co.uk/news/2020/01/02/a", published="2020-01-05")
    cleaned = to_article_fields(raw, Cleaner())
    assert (cleaned.published, cleaned.date_source) == (dt.date(2020, 1, 5), "metadata")
    assert cleaned.outlet == "BBC" and cleaned.outlet_country == "GBR"


def test_file_mtime_is_not_a_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Ministers met and said nothing at all to the waiting press.\n")
    (item,) = read_file(path, ReadOptions())
    cleaned = to_article_fields(item, Cleaner())
    assert cleaned.published is None and cleaned.date_source is None


def test_url_rules() -> None:
    assert url_date("https://a.com/2022/06/09/x") == dt.date(2022, 6, 9)
    assert url_date("https://a.com/x?d=20220720") == dt.date(2022, 7, 20)
    assert url_date("https://a.com/2022/07/") == dt.date(2022, 7, 1)
    assert url_date("https://a.com/2022/13/45/x") is None  # no month 13
    assert url_date("https://a.com/article/123456789") is None
    assert url_date(None) is None


def test_outlet_by_domain_suffix() -> None:
    assert outlet_of("https://edition.cnn.com/2022/x") == ("CNN", "USA")
    assert outlet_of("https://notcnn.com/x") is None  # a suffix of the name, not of the domain
    assert outlet_of("not a url") is None


def test_url_line_only_when_first() -> None:
    assert take_url_line("Some text\nhttps://a.com/x\n") == (None, "Some text\nhttps://a.com/x\n")
    url, rest = take_url_line("\nhttps://a.com/x\nBody.")
    assert url == "https://a.com/x" and rest == "Body."


def test_dateline_without_year_needs_one() -> None:
    assert text_dateline_date("afrol News, 27 January - The", None) is None
    assert text_dateline_date("afrol News, 27 January - The", 2011) == dt.date(2011, 1, 27)
    assert text_dateline_date("He said on 27 January that", 2011) is None  # not at the head


def test_date_head_leaves_the_text() -> None:
    cleaned = _fields("dateline.txt")
    assert cleaned.text.startswith("Farmers in the Rift Valley")
    assert "IPS" not in cleaned.text and "2022" not in cleaned.text
    assert ("date", "Jun 14 2022 (IPS) -") in cleaned.removed


def test_date_head_after_a_dateline_place_keeps_the_place() -> None:
    cleaned = Cleaner().clean_text("WASHINGTON, June 14 (Reuters) - The Senate passed the bill"
                                   " on Tuesday after a long debate.\n\nMore followed.")
    assert cleaned.text.startswith("The Senate passed")
    assert cleaned.dateline is not None and cleaned.dateline.country == "USA"
    assert cleaned.published is None  # no year anywhere: undated, not guessed


def test_html_metadata_date_wins_over_url_and_text() -> None:
    html = ("<html><head><title>Vote</title>"
            '<meta property="article:published_time" content="2021-03-04T10:00:00Z"></head>'
            "<body><article><p>Mon Jun 24 2024</p><p>The city council voted on Monday to close"
            " the old market and build a bus station in its place, after a long debate that"
            " lasted well into the night and divided the members of the council.</p>"
            "</article></body></html>")
    raw = RawDocument(source="x.html", html=html, url="https://www.bbc.co.uk/news/2020/01/02/a")
    cleaned = to_article_fields(raw, Cleaner())
    assert (cleaned.published, cleaned.date_source) == (dt.date(2021, 3, 4), "html")


def test_text_date_when_nothing_else_has_one() -> None:
    raw = RawDocument(source="x", text="Mon Jun 24 2024\nThe council met on Monday and voted.",
                      url="https://www.bbc.co.uk/news/world-123")
    cleaned = to_article_fields(raw, Cleaner())
    assert (cleaned.published, cleaned.date_source) == (dt.date(2024, 6, 24), "text")


def test_loose_date_lines_near_the_head() -> None:
    from newsledger.ingest.clean import loose_date_line

    assert loose_date_line("21 July 2013 Last updated at 11 : 11 GMT") == dt.date(2013, 7, 21)
    assert loose_date_line("Updated : July 7 , 2012 , 10 : 04 PM ET") == dt.date(2012, 7, 7)
    assert loose_date_line("7 : 00pm UK , Wednesday 05 May 2010") == dt.date(2010, 5, 5)
    # a sentence that mentions a date is prose, not a date line
    assert loose_date_line("Fresh riots were reported in Greece on Saturday December 13 2008") is None
    cleaned = Cleaner().clean_text("Quake kills ten\n21 July 2013 Last updated at 11 : 11 GMT\n"
                                   "A powerful earthquake hit the south of the country.")
    assert cleaned.published == dt.date(2013, 7, 21)
    assert "2013" not in cleaned.text and cleaned.title == "Quake kills ten"


def test_outlet_joined_to_the_media_table() -> None:
    from newsledger.ingest.clean import media_code

    raw = RawDocument(source="x", text="https://www.reuters.com/world/2022/06/09/x\n"
                      "The ministers met on Monday and agreed on a new budget for schools.")
    cleaned = to_article_fields(raw, Cleaner())
    assert cleaned.outlet == "Reuters" and cleaned.outlet_code == "GBRMED"
    assert media_code("afrol News", "NOR") == "NORMED"  # not in media.tsv: its country's media
    assert media_code(None, None) is None


def test_article_metadata_is_stored(tmp_path: Path) -> None:
    from newsledger import Ledger

    with Ledger(tmp_path / "l.db", coder="rules") as ledger:
        ledger.ingest([FIXTURES / "afrol.txt", FIXTURES / "no-date.txt"])
        rows = {row["url"]: dict(row) for row in ledger.conn.execute(
            "SELECT url, outlet, published, date_source, outlet_country, outlet_code"
            " FROM articles")}
        (stored,) = [a for a in ledger.articles() if a.url]
    assert rows["http://www.afrol.com/articles/2011/something-happened"] == {
        "url": "http://www.afrol.com/articles/2011/something-happened", "outlet": "afrol News",
        "published": "2011-01-27", "date_source": "text", "outlet_country": "NOR",
        "outlet_code": "NORMED"}
    assert rows[None]["published"] is None and rows[None]["date_source"] is None
    assert (stored.date_source, stored.outlet_country) == ("text", "NOR")
