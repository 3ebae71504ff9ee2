"""The values a filter may take, and the checks of them, shared by the CLI and the API.

CAMEO codes and roots (with their names) come from the CAMEO table (``data/events/cameo.tsv``),
PLOVER event types from the same table, claim statuses, polarities and modalities from the
model. A bad value raises ``FilterError``, which names the filter, the value and the reason:

    >>> check_filters({"cameo": "999"})
    Traceback (most recent call last):
    FilterError: cameo: [E307] '999' is not a CAMEO code or root newsledger knows ...
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from .errors import Errors, NewsledgerError
from .events.ontology import PLOVER_DEFAULT_CODES, QUAD_CLASSES, ontology
from .model import CLAIM_STATUSES, Modality, Period, Polarity, QuadClass, values

POLARITIES = values(Polarity)
PERIODS = values(Period)
MODALITIES = values(Modality)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[A-Za-z0-9-]{2,20}$")
_ID = re.compile(r"^[0-9a-fA-F]{1,64}$")


class FilterError(NewsledgerError):
    """A filter value that is not one newsledger accepts. ``name`` is the filter (as the API
    and ``Ledger.events`` name it: ``since``, ``quad_class``), ``message`` the reason."""

    def __init__(self, name: str, value: Any, message: str) -> None:
        self.name = name
        self.value = value
        self.message = message
        super().__init__(f"{name}: {message}")


@functools.cache
def cameo_names() -> dict[str, str]:
    """Every CAMEO code and root newsledger knows, with its name: ``{"11": "Disapprove", …}``."""
    return {code: entry.name for code, entry in ontology().codes.items()}


def cameo_name(code: str | None) -> str:
    """The name of a CAMEO code ("112" → "Accuse, not specified below"), or "" if unknown."""
    return cameo_names().get(code or "", "")


@functools.cache
def plover_types() -> tuple[str, ...]:
    """The PLOVER event types, sorted."""
    types = {c.plover_event for c in ontology().codes.values() if c.plover_event}
    return tuple(sorted(types | set(PLOVER_DEFAULT_CODES)))


def vocabulary() -> dict[str, Any]:
    """Every closed vocabulary of the event filters, for forms and for help texts."""
    return {
        "cameo": [{"code": code, "name": name} for code, name in cameo_names().items()],
        "plover": list(plover_types()),
        "quad_class": [{"value": k, "name": v} for k, v in QUAD_CLASSES.items()],
        "status": list(CLAIM_STATUSES),
        "polarity": list(POLARITIES),
        "modality": list(MODALITIES),
        "by": list(PERIODS),
    }


def check_date(name: str, value: str) -> str:
    """An ISO date (YYYY-MM-DD) that exists on the calendar."""
    text = str(value).strip()
    try:
        if not _DATE.match(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise FilterError(name, value, Errors.E304.format(value=value)) from None
    return text


def check_period(since: str | None, until: str | None) -> None:
    """``since`` must not be after ``until``."""
    if since and until and since > until:
        raise FilterError("since", since, Errors.E310.format(since=since, until=until))


def check_cameo(name: str, value: str) -> str:
    text = str(value).strip()
    if text not in cameo_names():
        raise FilterError(name, value, Errors.E307.format(value=value))
    return text


def check_plover(name: str, value: str) -> str:
    text = str(value).strip().upper()
    if text not in plover_types():
        raise FilterError(name, value, Errors.E308.format(value=value,
                                                          choices=", ".join(plover_types())))
    return text


def check_choice(name: str, value: str, choices: tuple[str, ...] | list[str]) -> str:
    text = str(value).strip().lower()
    if text not in choices:
        raise FilterError(name, value, Errors.E309.format(value=value, choices=", ".join(choices)))
    return text


def check_code(name: str, value: str) -> str:
    """An actor code or a country code, upper-cased."""
    text = str(value).strip()
    if not _CODE.match(text):
        raise FilterError(name, value, Errors.E311.format(value=value))
    return text.upper()


def check_id(name: str, value: str) -> str:
    text = str(value).strip()
    if not _ID.match(text):
        raise FilterError(name, value, Errors.E312.format(value=value))
    return text.lower()


def _check_number(name: str, value: Any, kind: type, low: float, high: float | None,
                  expected: str) -> Any:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = kind(value)
    except (TypeError, ValueError):
        raise FilterError(name, value, Errors.E313.format(value=repr(value),
                                                          expected=expected)) from None
    if number < low or (high is not None and number > high):
        raise FilterError(name, value, Errors.E313.format(value=value, expected=expected))
    return number


_CHECKS: dict[str, Any] = {
    "actor": check_code, "source": check_code, "target": check_code, "country": check_code,
    "cameo": check_cameo, "plover": check_plover,
    "since": check_date, "until": check_date,
    "article": check_id, "story": check_id,
    "status": lambda n, v: check_choice(n, v, CLAIM_STATUSES),
    "polarity": lambda n, v: check_choice(n, v, POLARITIES),
    "modality": lambda n, v: check_choice(n, v, MODALITIES),
    "by": lambda n, v: check_choice(n, v, PERIODS),
    "quad_class": lambda n, v: _check_number(n, v, int, min(QuadClass).value,
                                             max(QuadClass).value, "a quad class from 1 to 4"),
    "min_corroboration": lambda n, v: _check_number(n, v, int, 1, None,
                                                    "a whole number of at least 1"),
    "min_confidence": lambda n, v: _check_number(n, v, float, 0.0, 1.0,
                                                 "a confidence from 0 to 1"),
}


def check_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters of an events query (the keywords of ``Ledger.events``), checked and
    normalised; unset ones (None) are kept as None. Raises ``FilterError`` for the first bad
    value, and when ``since`` is after ``until``."""
    checked: dict[str, Any] = {}
    for name, value in filters.items():
        check = _CHECKS.get(name)
        checked[name] = value if value is None or check is None else check(name, value)
    check_period(checked.get("since"), checked.get("until"))
    return checked
