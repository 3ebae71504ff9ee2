"""Calendar dates written out in full: metadata fields, date lines, ISO stamps.

This module reads absolute dates only ("Mon Jun 24 2024", "24 June 2024", "2024-06-24T08:00Z",
"Mon, 24 Jun 2024 10:00:00 GMT"). Relative expressions ("last week") are resolved by the time
stage, which builds on the tables here.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "jan."),
            ("february", "feb", "feb."),
            ("march", "mar", "mar."),
            ("april", "apr", "apr."),
            ("may",),
            ("june", "jun", "jun."),
            ("july", "jul", "jul."),
            ("august", "aug", "aug."),
            ("september", "sep", "sep.", "sept", "sept."),
            ("october", "oct", "oct."),
            ("november", "nov", "nov."),
            ("december", "dec", "dec."),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}

_MONTH = r"(?P<month>" + "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True)) + r")"
_WEEKDAY = r"(?:(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s+)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_TIME = (
    r"(?:,?\s*(?:at\s+)?[0-2]?\d[:.][0-5]\d(?::[0-5]\d)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:[A-Z]{2,5}|GMT|UTC)?(?:\s*[+-]\d{1,2}(?::?\d\d)?)?)?"
)
_PREFIX = r"(?:(?:published|updated|posted|last updated|first published|date)\s*(?:on|at)?\s*:?\s*)?"

_FORMS = [
    rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}",  # Mon Jun 24 2024 / June 24, 2024
    rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}",  # Monday 24 June 2024
    r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?",
]
def _compile_unique(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` after numbering its group names: the alternatives reuse them."""
    counter = iter(range(1000))
    renamed = re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}{next(counter)}>", pattern)
    return re.compile(renamed, re.IGNORECASE)


def _named_groups(match: re.Match[str]) -> dict[str, str]:
    """The matched groups with their numbering taken off again."""
    return {key.rstrip("0123456789"): value for key, value in match.groupdict().items() if value}


DATE_LINE = _compile_unique(
    rf"^\s*{_PREFIX}(?:{'|'.join(f'(?:{form})' for form in _FORMS)}){_TIME}\s*$"
)


def parse_date_line(line: str) -> dt.date | None:
    """The date of a line that holds nothing but a date ("Mon Jun 24 2024", "Updated: 24 June
    2024 10:00 GMT"), else None."""
    if len(line) > 80:
        return None
    match = DATE_LINE.match(line)
    if not match:
        return None
    return _to_date(_named_groups(match))


def _to_date(groups: dict[str, str]) -> dt.date | None:
    try:
        if "iso" in groups:
            return dt.date.fromisoformat(groups["iso"][:10])
        return dt.date(int(groups["year"]), MONTHS[groups["month"].lower()], int(groups["day"]))
    except (ValueError, KeyError):
        return None


def parse_date(value: str | None) -> dt.date | None:
    """A calendar date from a metadata string: ISO 8601, RFC 2822 or a written-out date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    found = parse_date_line(value)
    if found:
        return found
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
