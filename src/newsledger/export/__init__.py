"""Exports: the ledger as CSV, GDELT 2.0 event rows, PLOVER/POLECAT JSON, Parquet or JSON lines,
and as pandas DataFrames.

    ledger.export("events.parquet", format="parquet", actor="PRK", since="2024-01-01")
    ledger.export("events/", format="parquet", partition="month")
    ledger.frame("claims", status="disputed")

Rows are read from SQLite in chunks and written as they come, so memory stays flat however
large the ledger. A file (or a partitioned folder) is written under a temporary name beside the
target and renamed when complete: a failure leaves nothing behind, and an existing target is
replaced only with ``force``. Every problem with the request (format, table, filter, output
path) is reported before anything is read, with a message naming the bad value.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import NewsledgerError
from ..model import Modality, Polarity, values
from ..store import export as export_store
from ..store.events import count as count_events, EventFilter
from .columns import TABLES, available
from .formats import TEXT_FORMATS, write_parquet

FORMATS = ("csv", "gdelt", "plover", "parquet", "jsonl")
EVENTS_ONLY = ("gdelt", "plover")
PARTITIONS = ("month",)
EXTRA = "pip install 'newsledger[analysis]'"


class ExportError(NewsledgerError):
    """An export cannot be made as asked (nothing was written)."""


class Messages:
    """The messages of export errors, each with its stable code (as ``errors.Errors``)."""

    E501 = "[E501] unknown format '{value}' (choose one of: {choices})"
    E502 = "[E502] unknown table '{value}' (choose one of: {choices})"
    E503 = "[E503] the {format} format holds events only, not {table}"
    E504 = "[E504] unknown partition '{value}' (choose one of: {choices})"
    E505 = "[E505] --partition works with the parquet format only, not {format}"
    E506 = "[E506] unknown filter '{value}' (filters: {choices})"
    E507 = "[E507] the filter {name} does not apply to {table} (its filters: {choices})"
    E508 = "[E508] filter {name}: '{value}' is not {expected}"
    E509 = "[E509] {path} exists; pass --force (force=True) to replace it"
    E510 = "[E510] cannot write {path}: {reason}"
    E511 = "[E511] the parquet format needs an output path (--out PATH)"
    E512 = "[E512] {what} needs {packages}: {extra} ({detail})"
    E513 = "[E513] GDELT has no negation: the gdelt format holds positive events only"


_CODE = re.compile(r"^[A-Za-z0-9-]{2,20}$")
_ID = re.compile(r"^[0-9a-f]{1,64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MODALITIES = values(Modality)


@dataclass(slots=True)
class ExportReport:
    """What an export wrote: rows, where, how long it took."""

    rows: int
    path: str
    format: str
    table: str
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "path": self.path, "format": self.format,
                "table": self.table, "seconds": round(self.seconds, 3)}


# -- validation ---------------------------------------------------------------------------------


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def check_request(format: str, table: str, partition: str | None) -> None:
    if format not in FORMATS:
        raise ExportError(Messages.E501.format(value=format, choices=_choices(FORMATS)))
    if table not in TABLES:
        raise ExportError(Messages.E502.format(value=table, choices=_choices(tuple(TABLES))))
    if format in EVENTS_ONLY and table != "events":
        raise ExportError(Messages.E503.format(format=format, table=table))
    if partition is not None:
        if partition not in PARTITIONS:
            raise ExportError(Messages.E504.format(value=partition,
                                                   choices=_choices(PARTITIONS)))
        if format != "parquet":
            raise ExportError(Messages.E505.format(format=format))


def check_filters(table: str, filters: dict[str, Any]) -> dict[str, Any]:
    """The filters that are set, checked: each must be known, apply to ``table`` and hold a
    value of its kind. Raises ``ExportError`` naming the first bad one."""
    allowed = export_store.TABLE_FILTERS.get(table, export_store.EVENT_FILTERS)
    known = export_store.EVENT_FILTERS
    checked: dict[str, Any] = {}
    for name, value in filters.items():
        if name not in known:
            raise ExportError(Messages.E506.format(value=name, choices=_choices(known)))
        if value is None:
            continue
        if name not in allowed:
            raise ExportError(Messages.E507.format(name=name, table=table,
                                                   choices=_choices(allowed)))
        checked[name] = _check_value(name, value)
    return checked


def _bad(name: str, value: Any, expected: str) -> ExportError:
    return ExportError(Messages.E508.format(name=name, value=value, expected=expected))


def _check_value(name: str, value: Any) -> Any:
    from ..model import CLAIM_STATUSES

    text = str(value)
    if name in ("since", "until"):
        try:
            if not _DATE.match(text):
                raise ValueError
            dt.date.fromisoformat(text)
        except ValueError:
            raise _bad(name, value, "a date (YYYY-MM-DD)") from None
        return text
    if name in ("actor", "source", "target"):
        if not _CODE.match(text):
            raise _bad(name, value, "an actor code or country code (e.g. PRK, PRKGOV)")
        return text.upper()
    if name == "cameo":
        if not re.fullmatch(r"\d{2,4}", text):
            raise _bad(name, value, "a CAMEO code or root of 2 to 4 digits (e.g. 11, 112)")
        return text
    if name == "plover":
        if text.upper() not in _plover_types():
            raise _bad(name, value, f"a PLOVER event type ({_choices(_plover_types())})")
        return text.upper()
    if name in ("article", "story"):
        if not _ID.match(text):
            raise _bad(name, value, "an id (lower-case hexadecimal)")
        return text
    choices = {"polarity": values(Polarity), "modality": MODALITIES,
               "status": CLAIM_STATUSES}
    if name in choices:
        if text not in choices[name]:
            raise _bad(name, value, f"one of {_choices(choices[name])}")
        return text
    if name == "quad_class":
        return _number(name, value, int, 1, 4, "a quad class from 1 to 4")
    if name == "min_corroboration":
        return _number(name, value, int, 1, None, "a whole number of at least 1")
    if name == "min_confidence":
        return _number(name, value, float, 0.0, 1.0, "a confidence from 0 to 1")
    return value


def _number(name: str, value: Any, kind: type, low: float, high: float | None,
            expected: str) -> Any:
    try:
        if isinstance(value, bool) or (kind is int and isinstance(value, float)):
            raise ValueError
        number = kind(value)
    except (TypeError, ValueError):
        raise _bad(name, value, expected) from None
    if number < low or (high is not None and number > high):
        raise _bad(name, value, expected)
    return number


def _plover_types() -> tuple[str, ...]:
    from ..events.ontology import PLOVER_DEFAULT_CODES, ontology

    types = {c.plover_event for c in ontology().codes.values() if c.plover_event}
    return tuple(sorted(types | set(PLOVER_DEFAULT_CODES)))


def _prepare(format: str, table: str, partition: str | None, filters: dict[str, Any]
             ) -> dict[str, Any]:
    check_request(format, table, partition)
    checked = check_filters(table, filters)
    if format == "gdelt":
        if checked.get("polarity") == "negative":
            raise ExportError(Messages.E513)
        checked["polarity"] = "positive"
    return checked


# -- output -------------------------------------------------------------------------------------


def check_target(path: Path, *, force: bool) -> None:
    """Refuse an output path that exists (without ``force``) or cannot be written."""
    if path.exists() or path.is_symlink():
        if not force:
            raise ExportError(Messages.E509.format(path=path))
        if path.is_dir() and any(path.iterdir()) and not _looks_exported(path):
            raise ExportError(Messages.E510.format(
                path=path, reason="it is a folder that does not hold an export; "
                                  "choose another path"))
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(Messages.E510.format(path=path,
                                               reason=f"no such folder {parent}"))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(Messages.E510.format(path=path,
                                               reason=f"no permission to write in {parent}"))


def _looks_exported(folder: Path) -> bool:
    """A folder --force may replace: one written by a partitioned export."""
    return all(child.name.startswith("month=") for child in folder.iterdir())


@contextmanager
def atomic_output(path: Path, *, folder: bool) -> Iterator[Path]:
    """A temporary file (or folder) beside ``path``, moved onto ``path`` once the block ends
    without error, and removed if it does not."""
    temporary = path.parent / f".{path.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        if folder:
            temporary.mkdir()
        yield temporary
        _move_into_place(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def _move_into_place(temporary: Path, path: Path) -> None:
    if not path.exists() and not path.is_symlink():
        temporary.rename(path)
    elif temporary.is_file() and path.is_file():
        os.replace(temporary, path)
    else:  # a folder over anything, or a file over a folder: set the old one aside first
        old = path.parent / f".{path.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
        path.rename(old)
        temporary.rename(path)
        _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


# -- the public functions ----------------------------------------------------------------------


def count(conn: sqlite3.Connection, *, format: str = "csv", table: str = "events",
          **filters: Any) -> int:
    """How many rows an export with these settings will hold."""
    checked = _prepare(format, table, None, filters)
    if table == "events":
        return count_events(conn, EventFilter(**checked))
    return export_store.count(conn, table, checked)


def text_chunks(conn: sqlite3.Connection, *, format: str = "csv", table: str = "events",
                header: bool = True, **filters: Any) -> Iterator[str]:
    """An export in a text format (csv, gdelt, plover, jsonl) as a stream of strings, one per
    chunk of rows (for streaming over HTTP). Checks the request before yielding anything."""
    checked = _prepare(format, table, None, filters)
    if format not in TEXT_FORMATS:
        raise ExportError(Messages.E511)
    chunks = export_store.chunks(conn, table, checked)
    columns = available(table, export_store.column_names(conn, table))
    writer = TEXT_FORMATS[format]
    pieces = (writer(table, columns, chunks, header=header) if format == "csv"
              else writer(table, columns, chunks))

    def stream() -> Iterator[str]:
        for text, _ in pieces:
            yield text

    return stream()


def export(conn: sqlite3.Connection, out: str | Path | TextIO | None, *, format: str = "csv",
           table: str = "events", partition: str | None = None, force: bool = False,
           progress: Callable[[int, int | None], None] | None = None,
           **filters: Any) -> ExportReport:
    """Write ``table`` (rows matching ``filters``, the filters of ``Ledger.events``) to ``out``
    in ``format``; see the module's docstring. ``out`` is a path, an open text stream, or
    ``None``/``"-"`` for standard output (text formats only). ``progress`` is called with the
    rows written so far and the total."""
    checked = _prepare(format, table, partition, filters)
    to_stream = out is None or out == "-" or hasattr(out, "write")
    if format == "parquet" and to_stream:
        raise ExportError(Messages.E511)
    path = None if to_stream else Path(out)  # type: ignore[arg-type]
    if path is not None:
        check_target(path, force=force)
    if format == "parquet":
        _require("the parquet format", "pyarrow")
    started = time.perf_counter()
    total = count(conn, format=format, table=table, **checked) if progress else None

    def advance(done: int) -> None:
        if progress:
            progress(done, total)

    columns = available(table, export_store.column_names(conn, table))
    chunks = export_store.chunks(conn, table, checked)
    if format == "parquet":
        assert path is not None
        with atomic_output(path, folder=partition is not None) as temporary:
            rows = write_parquet(table, columns, chunks, temporary, partition=partition,
                                 progress=advance)
    elif path is None:
        stream = sys.stdout if out is None or out == "-" else out
        rows = _write_text(stream, format, table, columns, chunks,  # type: ignore[arg-type]
                           advance)
    else:
        with atomic_output(path, folder=False) as temporary:
            try:
                handle = temporary.open("w", encoding="utf-8", newline="")
            except OSError as exc:
                raise ExportError(Messages.E510.format(path=path, reason=exc.strerror)) from None
            with handle:
                rows = _write_text(handle, format, table, columns, chunks, advance)
    name = "<stdout>" if path is None else str(path)
    return ExportReport(rows=rows, path=name, format=format, table=table,
                        seconds=time.perf_counter() - started)


def _write_text(stream: TextIO, format: str, table: str, columns: Any, chunks: Any,
                advance: Callable[[int], None]) -> int:
    done = 0
    for text, rows in TEXT_FORMATS[format](table, columns, chunks):
        stream.write(text)
        if rows:
            done += rows
            advance(done)
    return done


def frame(conn: sqlite3.Connection, table: str = "events", **filters: Any) -> Any:
    """``table`` (rows matching ``filters``) as a pandas DataFrame with typed columns: dates
    as datetime64, lists as lists, the Parquet export's types otherwise."""
    check_request("parquet", table, None)
    checked = check_filters(table, filters)
    _require("a DataFrame", "pandas and pyarrow", "pandas", "pyarrow")
    import pyarrow as pa

    from .formats import arrow_batch, arrow_schema

    columns = available(table, export_store.column_names(conn, table))
    schema = arrow_schema(columns)
    batches = [arrow_batch(columns, rows, schema)
               for rows in export_store.chunks(conn, table, checked)]
    arrow_table = pa.Table.from_batches(batches, schema=schema)
    return arrow_table.to_pandas(date_as_object=False)


def _require(what: str, packages: str, *modules: str) -> None:
    for module in modules or (packages,):
        try:
            __import__(module)
        except ImportError as exc:
            raise ExportError(Messages.E512.format(what=what, packages=packages, extra=EXTRA,
                                                   detail=exc)) from None
