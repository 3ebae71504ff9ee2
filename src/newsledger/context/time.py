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
import re
from dataclasses import dataclass

from ..dates import MONTHS, WEEKDAYS

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


def resolve(text: str, anchor: dt.date, *, future: bool = False) -> When | None:
    """The date ``text`` names, relative to ``anchor`` (the article's date), or None."""
    t = " ".join(text.lower().replace("’", "'").split())
    t = re.sub(r"^(?:on|in|during|since|from|by|at|as early as|as soon as|as late as|until|"
               r"till|before|after|around|about|early|late|mid|the|this past)\s+", "", t)
    t = re.sub(r"^(?:the|this past)\s+", "", t)

    if t in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return When(anchor, "day", text=text)
    if t in ("yesterday", "last night", "overnight"):
        return When(anchor - dt.timedelta(days=1), "day", text=text)
    if t == "tomorrow":
        return When(anchor + dt.timedelta(days=1), "day", text=text)

    m = re.fullmatch(rf"(?:(last|next|this|past|coming)\s+)?({_WEEKDAY})(?:\s+(?:night|morning|"
                     rf"afternoon|evening))?", t)
    if m:
        which, weekday = m.group(1), WEEKDAYS[m.group(2)]
        if which == "last":
            day = _weekday(anchor - dt.timedelta(days=1), weekday, False)
        elif which in ("next", "coming"):
            day = _weekday(anchor + dt.timedelta(days=1), weekday, True)
        else:
            day = _weekday(anchor, weekday, future)
        return When(day, "day", text=text)

    m = re.fullmatch(r"(last|next|this|past|coming)\s+(week|month|year|weekend)", t)
    if m:
        which, unit = m.groups()
        step = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0}[which]
        if unit == "week":
            start = _week_start(anchor) + dt.timedelta(weeks=step)
            return When(start, "week", start + dt.timedelta(days=6), text)
        if unit == "weekend":
            saturday = _week_start(anchor) + dt.timedelta(days=5, weeks=step)
            if step == 0 and anchor.weekday() < 5 and not future:
                saturday -= dt.timedelta(weeks=1)
            return When(saturday, "period", saturday + dt.timedelta(days=1), text)
        if unit == "month":
            year, month = _shift_month(anchor, step)
            start, end = _month_span(year, month)
            return When(start, "month", end, text)
        year = anchor.year + step
        return When(dt.date(year, 1, 1), "year", dt.date(year, 12, 31), text)

    m = re.fullmatch(r"(earlier|later) this (week|month|year)", t)
    if m:
        unit = m.group(2)
        if unit == "week":
            start = _week_start(anchor)
            return When(start, "week", start + dt.timedelta(days=6), text)
        if unit == "month":
            start, end = _month_span(anchor.year, anchor.month)
            return When(start, "month", end, text)
        return When(dt.date(anchor.year, 1, 1), "year", dt.date(anchor.year, 12, 31), text)

    m = re.fullmatch(r"(a|one|two|three|four|five|six|\d+) (day|week|month|year)s? ago", t)
    if m:
        count = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}.get(
            m.group(1)) or int(m.group(1))
        unit = m.group(2)
        if unit == "day":
            return When(anchor - dt.timedelta(days=count), "day", text=text)
        if unit == "week":
            start = _week_start(anchor - dt.timedelta(weeks=count))
            return When(start, "week", start + dt.timedelta(days=6), text)
        if unit == "month":
            year, month = _shift_month(anchor, -count)
            start, end = _month_span(year, month)
            return When(start, "month", end, text)
        return When(dt.date(anchor.year - count, 1, 1), "year",
                    dt.date(anchor.year - count, 12, 31), text)

    m = re.fullmatch(rf"between ({_MONTH})(?: ({_YEAR}))? and ({_MONTH})(?: ({_YEAR}))?", t)
    if m:
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
        return When(start, "period", end, text)

    m = re.fullmatch(rf"({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:,? ({_YEAR}))?", t) or \
        re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH})\.?(?:,? ({_YEAR}))?", t)
    if m:
        groups = m.groups()
        month_name, day_text = (groups[0], groups[1]) if not groups[0].isdigit() else (
            groups[1], groups[0])
        month = _MONTH_NAMES[month_name]
        year = int(groups[2]) if groups[2] else (
            _month_after(anchor, month) if future else _month_before(anchor, month))
        try:
            day = dt.date(year, month, int(day_text))
        except ValueError:
            return None
        if not groups[2] and not future and day > anchor:
            day = day.replace(year=year - 1)
        return When(day, "day", text=text)

    m = re.fullmatch(rf"(?:(last|next|this) )?({_MONTH})(?:,? ({_YEAR}))?", t)
    if m:
        which, name, year_text = m.groups()
        month = _MONTH_NAMES[name]
        if year_text:
            year = int(year_text)
        elif which == "last":
            year = _month_before(anchor, month, strictly=True)
        elif which == "next":
            year = anchor.year + 1 if month <= anchor.month else anchor.year
        elif future:
            year = _month_after(anchor, month)
        else:
            year = _month_before(anchor, month)
        start, end = _month_span(year, month)
        return When(start, "month", end, text)

    m = re.fullmatch(rf"({_YEAR})", t)
    if m:
        year = int(m.group(1))
        return When(dt.date(year, 1, 1), "year", dt.date(year, 12, 31), text)

    m = re.fullmatch(r"(?:(\d{4})-(\d\d)-(\d\d))", t)
    if m:
        return When(dt.date(*map(int, m.groups())), "day", text=text)
    return None
