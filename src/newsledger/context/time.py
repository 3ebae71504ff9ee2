"""Time expressions resolved against the article's date.

"on Monday", "last week", "last month", "as early as next month", "between August and January",
"in 2011", "yesterday", "on June 3", "earlier this month"… each gives a ``When``: a date, its
precision (day, week, month, year, period) and, for spans, an end date. The rules are our own:
dateparser maps "Monday" to the Monday before a Monday publication, whereas news says "on Monday"
for the day of publication too.

A weekday or month without a year is read in the direction of the verb's tense: the past (the
most recent one, the publication day included) unless the event is in the future.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from typing import Any

from ..dates import MONTHS, WEEKDAYS
from ..layers import read_yaml
from ..resources import data_path

PRECISIONS = ("day", "week", "month", "year", "period")


@dataclass(frozen=True, slots=True)
class When:
    date: dt.date
    precision: str
    end: dt.date | None = None
    text: str = ""

    def iso(self) -> tuple[str, str, str | None]:
        return self.date.isoformat(), self.precision, self.end.isoformat() if self.end else None


_MONTH_NAMES = {name: number for name, number in MONTHS.items() if "." not in name}
_MONTH = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekday(anchor: dt.date, weekday: int, future: bool) -> dt.date:
    """The named weekday nearest the anchor in the tense's direction (the anchor day itself
    included: "on Monday" in a Monday paper is that Monday)."""
    delta = (anchor.weekday() - weekday) % 7
    if future:
        return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)
    return anchor - dt.timedelta(days=delta)


def _month_before(anchor: dt.date, month: int, *, strictly: bool = False) -> int:
    """The year of the most recent ``month`` at or before the anchor's month."""
    year = anchor.year
    if month > anchor.month or (strictly and month == anchor.month):
        year -= 1
    return year


def _month_after(anchor: dt.date, month: int) -> int:
    return anchor.year + (1 if month < anchor.month else 0)


@dataclass(frozen=True)
class TimeCues:
    """The words of time expressions (``data/context/time.yaml``), compiled into the patterns
    the steps of ``resolve`` match."""

    prefixes: re.Pattern[str]
    second_prefixes: re.Pattern[str]
    days: dict[str, int]
    weekday: re.Pattern[str]
    weekday_relative: dict[str, str]
    unit: re.Pattern[str]
    unit_relative: dict[str, int]
    within: re.Pattern[str]
    ago: re.Pattern[str]
    counts: dict[str, int]
    month: re.Pattern[str]
    month_relative: dict[str, str]

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> TimeCues:
        """The cues of a mapping of the shape of ``data/context/time.yaml``."""
        weekday_relative = {str(k): str(v) for k, v in spec["weekday_relative"].items()}
        unit_relative = {str(k): int(v) for k, v in spec["unit_relative"].items()}
        month_relative = {str(k): str(v) for k, v in spec["month_relative"].items()}
        counts = {str(k): int(v) for k, v in spec["counts"].items()}
        return cls(
            prefixes=re.compile(rf"^(?:{_either(spec['prefixes'])})\s+"),
            second_prefixes=re.compile(rf"^(?:{_either(spec['second_prefixes'])})\s+"),
            days={str(k): int(v) for k, v in spec["days"].items()},
            weekday=re.compile(rf"(?:({_either(weekday_relative)})\s+)?({_WEEKDAY})"
                               rf"(?:\s+(?:{_either(spec['day_parts'])}))?"),
            weekday_relative=weekday_relative,
            unit=re.compile(rf"({_either(unit_relative)})\s+(week|month|year|weekend)"),
            unit_relative=unit_relative,
            within=re.compile(rf"({_either(spec['within'])}) this (week|month|year)"),
            ago=re.compile(rf"({_either(counts)}|\d+) (day|week|month|year)s? ago"),
            counts=counts,
            month=re.compile(rf"(?:({_either(month_relative)}) )?({_MONTH})(?:,? ({_YEAR}))?"),
            month_relative=month_relative,
        )


def _either(words: Any) -> str:
    """A regular-expression alternation of ``words`` (in their order), each matched literally."""
    return "|".join(re.escape(str(word)) for word in words)


@functools.cache
def time_cues() -> TimeCues:
    """The package's time words (``data/context/time.yaml``)."""
    return TimeCues.from_spec(read_yaml(data_path("context", "time.yaml")))


def resolve(text: str, anchor: dt.date, *, future: bool = False,
            cues: TimeCues | None = None) -> When | None:
    """The date ``text`` names, relative to ``anchor`` (the article's date), or None.

    future: the event's verb is in the future tense (a bare weekday or month is the next one).
    cues: the time words (default ``time_cues()``, the package's).
    """
    cues = cues or time_cues()
    expression = normalise_expression(text, cues)
    for step in STEPS:
        found = step(expression, anchor, future, cues)
        if found is not None:
            return None if found is _INVALID else replace(found, text=text)
    return None


def normalise_expression(text: str, cues: TimeCues) -> str:
    """``text`` lower-cased, its spaces and apostrophes made plain, without the words before it
    that do not change the date ("on", "as early as", "the")."""
    t = " ".join(text.lower().replace("’", "'").split())
    t = cues.prefixes.sub("", t, count=1)
    return cues.second_prefixes.sub("", t, count=1)


def named_day(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"today", "yesterday", "last night", "tomorrow": a day at a fixed distance."""
    if t in cues.days:
        return When(anchor + dt.timedelta(days=cues.days[t]), "day")
    return None


def weekday_expression(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"Monday", "last Friday", "next Tuesday", "Sunday night": that weekday's date."""
    m = cues.weekday.fullmatch(t)
    if not m:
        return None
    direction = cues.weekday_relative.get(m.group(1) or "", "tense")
    weekday = WEEKDAYS[m.group(2)]
    if direction == "before":
        day = _weekday(anchor - dt.timedelta(days=1), weekday, False)
    elif direction == "after":
        day = _weekday(anchor + dt.timedelta(days=1), weekday, True)
    else:
        day = _weekday(anchor, weekday, future)
    return When(day, "day")


def relative_unit(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"last week", "next month", "this year", "this weekend": that week, month, year or
    weekend."""
    m = cues.unit.fullmatch(t)
    if not m:
        return None
    step, unit = cues.unit_relative[m.group(1)], m.group(2)
    if unit == "week":
        return _week(_week_start(anchor) + dt.timedelta(weeks=step))
    if unit == "weekend":
        saturday = _week_start(anchor) + dt.timedelta(days=5, weeks=step)
        if step == 0 and anchor.weekday() < 5 and not future:
            saturday -= dt.timedelta(weeks=1)
        return When(saturday, "period", saturday + dt.timedelta(days=1))
    if unit == "month":
        return _month(*_shift_month(anchor, step))
    return _year(anchor.year + step)


def within_this(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"earlier this month", "later this week": the current week, month or year."""
    m = cues.within.fullmatch(t)
    if not m:
        return None
    return _current(anchor, m.group(2))


def ago(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"two days ago", "a week ago", "3 months ago": the day, week, month or year back."""
    m = cues.ago.fullmatch(t)
    if not m:
        return None
    count = cues.counts.get(m.group(1)) or int(m.group(1))
    unit = m.group(2)
    if unit == "day":
        return When(anchor - dt.timedelta(days=count), "day")
    if unit == "week":
        return _week(_week_start(anchor - dt.timedelta(weeks=count)))
    if unit == "month":
        return _month(*_shift_month(anchor, -count))
    return _year(anchor.year - count)


def between_months(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"between August and January (2024)": a period from the first month to the last, the
    last read in the tense's direction and the first before it."""
    m = _BETWEEN.fullmatch(t)
    if not m:
        return None
    first, first_year, last, last_year = m.groups()
    first_month, last_month = _MONTH_NAMES[first], _MONTH_NAMES[last]
    if last_year:
        end_year = int(last_year)
    elif future:
        end_year = _month_after(anchor, last_month)
    else:
        end_year = _month_before(anchor, last_month)
    start_year = int(first_year) if first_year else (
        end_year if first_month <= last_month else end_year - 1)
    start, _ = _month_span(start_year, first_month)
    _, end = _month_span(end_year, last_month)
    return When(start, "period", end)


def month_day(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"June 3", "3rd of June", "June 3, 2024": that day; without a year, the one in the
    tense's direction. An impossible day ("February 30") is ``_INVALID``: no date at all."""
    m = _MONTH_DAY.fullmatch(t) or _DAY_MONTH.fullmatch(t)
    if not m:
        return None
    groups = m.groups()
    month_name, day_text = (groups[0], groups[1]) if not groups[0].isdigit() else (
        groups[1], groups[0])
    month = _MONTH_NAMES[month_name]
    year = int(groups[2]) if groups[2] else (
        _month_after(anchor, month) if future else _month_before(anchor, month))
    try:
        day = dt.date(year, month, int(day_text))
    except ValueError:
        return _INVALID
    if not groups[2] and not future and day > anchor:
        day = day.replace(year=year - 1)
    return When(day, "day")


def month_expression(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"June", "last March", "next June", "June 2024": that month."""
    m = cues.month.fullmatch(t)
    if not m:
        return None
    which, name, year_text = m.groups()
    month = _MONTH_NAMES[name]
    direction = cues.month_relative.get(which or "", "tense")
    if year_text:
        year = int(year_text)
    elif direction == "before":
        year = _month_before(anchor, month, strictly=True)
    elif direction == "after":
        year = anchor.year + 1 if month <= anchor.month else anchor.year
    elif future:
        year = _month_after(anchor, month)
    else:
        year = _month_before(anchor, month)
    return _month(year, month)


def year_expression(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"2011": that year."""
    return _year(int(t)) if re.fullmatch(_YEAR, t) else None


def iso_date(t: str, anchor: dt.date, future: bool, cues: TimeCues) -> When | None:
    """"2024-06-03": that day."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", t)
    return When(dt.date(*map(int, m.groups())), "day") if m else None


_BETWEEN = re.compile(rf"between ({_MONTH})(?: ({_YEAR}))? and ({_MONTH})(?: ({_YEAR}))?")
_MONTH_DAY = re.compile(rf"({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:,? ({_YEAR}))?")
_DAY_MONTH = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH})\.?(?:,? ({_YEAR}))?")
# A step's answer for an expression it reads but that names no date ("February 30"): no later
# step is tried.
_INVALID = When(dt.date.min, "day")

# The steps of ``resolve``, tried in this order; the first that reads the expression answers.
STEPS = (named_day, weekday_expression, relative_unit, within_this, ago, between_months,
         month_day, month_expression, year_expression, iso_date)


def _week(start: dt.date) -> When:
    return When(start, "week", start + dt.timedelta(days=6))


def _month(year: int, month: int) -> When:
    start, end = _month_span(year, month)
    return When(start, "month", end)


def _year(year: int) -> When:
    return When(dt.date(year, 1, 1), "year", dt.date(year, 12, 31))


def _current(anchor: dt.date, unit: str) -> When:
    """The week, month or year the anchor is in."""
    if unit == "week":
        return _week(_week_start(anchor))
    if unit == "month":
        return _month(anchor.year, anchor.month)
    return _year(anchor.year)
