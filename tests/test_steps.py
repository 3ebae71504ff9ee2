"""The named steps that long methods became (issue 10), each checked alone on short texts, and
the cue lists they read from ``data/`` (a user can extend them)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from newsledger.context import time as timex
from newsledger.resources import data_path

MONDAY = dt.date(2024, 6, 24)  # a Monday


# -- context/time.py -----------------------------------------------------------------------------

def test_normalise_expression_strips_words_that_do_not_change_the_date():
    cues = timex.time_cues()
    assert timex.normalise_expression("As early as  NEXT month", cues) == "next month"
    assert timex.normalise_expression("on the Monday", cues) == "monday"
    assert timex.normalise_expression("Monday", cues) == "monday"
    # a word is stripped only at the start, and only as a whole word
    assert timex.normalise_expression("ontario", cues) == "ontario"


def test_named_day_counts_days_from_the_article_date():
    cues = timex.time_cues()
    assert timex.named_day("yesterday", MONDAY, False, cues).date == dt.date(2024, 6, 23)
    assert timex.named_day("tomorrow", MONDAY, False, cues).date == dt.date(2024, 6, 25)
    assert timex.named_day("tonight", MONDAY, False, cues).date == MONDAY
    assert timex.named_day("monday", MONDAY, False, cues) is None


def test_weekday_expression_reads_the_word_before_the_weekday():
    cues = timex.time_cues()
    assert timex.weekday_expression("monday", MONDAY, False, cues).date == MONDAY
    assert timex.weekday_expression("last monday", MONDAY, False, cues).date == dt.date(2024, 6, 17)
    assert timex.weekday_expression("next monday", MONDAY, False, cues).date == dt.date(2024, 7, 1)
    assert timex.weekday_expression("friday", MONDAY, True, cues).date == dt.date(2024, 6, 28)
    assert timex.weekday_expression("friday night", MONDAY, False, cues).date == dt.date(2024, 6, 21)
    assert timex.weekday_expression("last week", MONDAY, False, cues) is None


def test_relative_unit_gives_the_whole_week_month_or_year():
    cues = timex.time_cues()
    week = timex.relative_unit("last week", MONDAY, False, cues)
    assert (week.date, week.precision, week.end) == (dt.date(2024, 6, 17), "week",
                                                       dt.date(2024, 6, 23))
    month = timex.relative_unit("next month", MONDAY, False, cues)
    assert (month.date, month.end) == (dt.date(2024, 7, 1), dt.date(2024, 7, 31))
    assert timex.relative_unit("this year", MONDAY, False, cues).date == dt.date(2024, 1, 1)
    weekend = timex.relative_unit("this weekend", MONDAY, False, cues)
    assert (weekend.date, weekend.precision) == (dt.date(2024, 6, 22), "period")
    assert timex.relative_unit("last monday", MONDAY, False, cues) is None


def test_within_this_and_ago():
    cues = timex.time_cues()
    assert timex.within_this("earlier this month", MONDAY, False, cues).date == dt.date(2024, 6, 1)
    assert timex.within_this("earlier next month", MONDAY, False, cues) is None
    assert timex.ago("two days ago", MONDAY, False, cues).date == dt.date(2024, 6, 22)
    assert timex.ago("3 months ago", MONDAY, False, cues).date == dt.date(2024, 3, 1)
    assert timex.ago("a year ago", MONDAY, False, cues).date == dt.date(2023, 1, 1)
    assert timex.ago("two days", MONDAY, False, cues) is None


def test_between_months_reads_back_from_the_last_month():
    cues = timex.time_cues()
    span = timex.between_months("between august and january", MONDAY, False, cues)
    assert (span.date, span.end, span.precision) == (dt.date(2023, 8, 1), dt.date(2024, 1, 31),
                                                     "period")
    assert timex.between_months("august and january", MONDAY, False, cues) is None


def test_month_day_and_month_in_the_tense_direction():
    cues = timex.time_cues()
    assert timex.month_day("june 30", MONDAY, False, cues).date == dt.date(2023, 6, 30)
    assert timex.month_day("june 30", MONDAY, True, cues).date == dt.date(2024, 6, 30)
    assert timex.month_day("3rd of june, 2022", MONDAY, False, cues).date == dt.date(2022, 6, 3)
    assert timex.month_expression("last june", MONDAY, False, cues).date == dt.date(2023, 6, 1)
    assert timex.month_expression("march", MONDAY, False, cues).date == dt.date(2024, 3, 1)
    assert timex.month_expression("march", MONDAY, True, cues).date == dt.date(2025, 3, 1)
    assert timex.month_expression("june 30", MONDAY, False, cues) is None


def test_an_impossible_day_is_no_date_at_all():
    assert timex.resolve("February 30", MONDAY) is None
    assert timex.resolve("in 2011", MONDAY).iso() == ("2011-01-01", "year", "2011-12-31")
    assert timex.resolve("2024-06-03", MONDAY).precision == "day"
    assert timex.resolve("soon", MONDAY) is None


def test_time_words_come_from_the_data_file_and_can_be_extended():
    spec = yaml.safe_load(data_path("context", "time.yaml").read_text(encoding="utf-8"))
    assert "on" in spec["prefixes"]  # quoted: YAML would read a bare on as true
    assert timex.resolve("the day before yesterday", MONDAY) is None
    spec["days"]["day before yesterday"] = -2  # "the" is stripped first
    spec["counts"]["ten"] = 10
    cues = timex.TimeCues.from_spec(spec)
    assert timex.resolve("the day before yesterday", MONDAY, cues=cues).date == dt.date(2024, 6, 22)
    assert timex.resolve("ten days ago", MONDAY, cues=cues).date == dt.date(2024, 6, 14)
    assert timex.resolve("ten days ago", MONDAY) is None
