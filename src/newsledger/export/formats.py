"""The writers of each export format, fed with chunks of rows from ``store.export``.

Text formats (csv, gdelt, plover, jsonl) are produced as one string per chunk, so they can be
written to a file or streamed over HTTP alike; Parquet is written in row groups with pyarrow.
Nothing holds more than a chunk (or one row group of Parquet) in memory.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..store.events import row_to_event
from . import gdelt, plover
from .columns import PARTITION_DATE, Column

Columns = tuple[Column, ...]

ROW_GROUP = 65_536  # rows per Parquet row group
Chunks = Iterable[list[sqlite3.Row]]


# -- text formats -------------------------------------------------------------------------------


def csv_text(table: str, columns: Columns, chunks: Chunks, *, header: bool = True
             ) -> Iterator[tuple[str, int]]:
    """CSV with a header row; lists and other JSON as JSON text, missing values empty."""
    names = [name for name, _ in columns]
    if header:
        yield _csv_lines([names]), 0
    for rows in chunks:
        yield _csv_lines([tuple(row[n] for n in names) for row in rows]), len(rows)


def _csv_lines(rows: list[Any], **options: Any) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", **options).writerows(rows)
    return buffer.getvalue()


def gdelt_text(table: str, columns: Columns, chunks: Chunks) -> Iterator[tuple[str, int]]:
    """GDELT 2.0 event rows: 61 tab-separated columns, no header (as GDELT's own files)."""
    for rows in chunks:
        yield "".join(gdelt.line(row) for row in rows), len(rows)


def plover_text(table: str, columns: Columns, chunks: Chunks) -> Iterator[tuple[str, int]]:
    """One PLOVER/POLECAT JSON record per line."""
    for rows in chunks:
        yield "".join(json.dumps(plover.record(row), ensure_ascii=False) + "\n"
                      for row in rows), len(rows)


def jsonl_text(table: str, columns: Columns, chunks: Chunks) -> Iterator[tuple[str, int]]:
    """One JSON object per line: events as the API returns them, with their claim, article,
    merged event and story; other tables as their columns, JSON decoded."""
    convert = api_event if table == "events" else _decoder(columns)
    for rows in chunks:
        yield "".join(json.dumps(convert(row), ensure_ascii=False) + "\n"
                      for row in rows), len(rows)


def _decoder(columns: Columns) -> Callable[[sqlite3.Row], dict[str, Any]]:
    def decode(row: sqlite3.Row) -> dict[str, Any]:
        data = {}
        for name, kind in columns:
            value = row[name]
            if kind in ("list", "json") and value is not None:
                value = json.loads(value)
            data[name] = value
        return data
    return decode


def _json_list(value: str | None) -> list[Any]:
    return json.loads(value) if value else []


def api_event(row: sqlite3.Row) -> dict[str, Any]:
    """An event as ``GET /api/events`` returns it, with its claim, article, merged event and
    story beside it."""
    data = row_to_event({**dict(row), "sentence": row["sentence_text"]}).to_dict()
    data["claim"] = None if row["claim_id"] is None else {
        "id": row["claim_id"], "status": row["claim_status"],
        "asserted_by": _json_list(row["claim_asserted_by"]),
        "denied_by": _json_list(row["claim_denied_by"]),
        "confirmed_by": _json_list(row["claim_confirmed_by"]),
        "evidence": _json_list(row["claim_evidence"])}
    data["article"] = {"id": row["article_id"], "title": row["article_title"],
                       "url": row["article_url"], "outlet": row["article_outlet"],
                       "published": row["article_published"]}
    data["merged"] = None if row["merged_id"] is None else {
        "id": row["merged_id"], "reason": row["merge_reason"],
        "mentions": row["merged_mentions"], "articles": row["merged_articles"],
        "corroboration": row["corroboration"],
        "outlets": _json_list(row["merged_outlets"])}
    data["story_id"] = row["story_id"]
    return data


TEXT_FORMATS: dict[str, Callable[..., Iterator[tuple[str, int]]]] = {
    "csv": csv_text, "gdelt": gdelt_text, "plover": plover_text, "jsonl": jsonl_text,
}


# -- Parquet ------------------------------------------------------------------------------------


def arrow_schema(columns: Columns) -> Any:
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(),
             "date": pa.date32(), "timestamp": pa.timestamp("s", tz="UTC"),
             "list": pa.list_(pa.string()), "json": pa.string()}
    return pa.schema([pa.field(name, types[kind]) for name, kind in columns])


def arrow_batch(columns: Columns, rows: list[sqlite3.Row], schema: Any) -> Any:
    """A chunk of rows as a typed Arrow record batch."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not rows:
        return pa.RecordBatch.from_pylist([], schema=schema)
    position = {name: i for i, name in enumerate(rows[0].keys())}
    values = list(zip(*rows))
    arrays = []
    for (name, kind), field in zip(columns, schema):
        column = values[position[name]]
        if kind == "date":
            array = pa.array(column, pa.string()).cast(pa.date32())
        elif kind == "timestamp":
            array = pc.strptime(pa.array(column, pa.string()), format="%Y-%m-%dT%H:%M:%SZ",
                                unit="s", error_is_null=True).cast(field.type)
        elif kind == "list":
            array = pa.array([None if v is None else json.loads(v) for v in column], field.type)
        else:
            array = pa.array(column, field.type)
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class _Writer:
    """One Parquet file, written in row groups of ``ROW_GROUP`` rows."""

    def __init__(self, path: Path, schema: Any) -> None:
        import pyarrow.parquet as pq

        self.writer = pq.ParquetWriter(path, schema, compression="zstd")
        self.schema = schema
        self.pending: list[Any] = []
        self.rows = 0

    def add(self, batch: Any) -> None:
        self.pending.append(batch)
        self.rows += batch.num_rows
        if self.rows >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.pending:
            self.writer.write_table(pa.Table.from_batches(self.pending, schema=self.schema),
                                    row_group_size=max(self.rows, 1))
        self.pending, self.rows = [], 0

    def close(self) -> None:
        self.flush()
        self.writer.close()


def write_parquet(table: str, columns: Columns, chunks: Chunks, path: Path, *,
                  partition: str | None,
                  progress: Callable[[int], None]) -> int:
    """Write ``chunks`` to ``path``: one Parquet file, or with ``partition="month"`` a folder
    of ``month=YYYY-MM/part-0.parquet`` files (``month=undated`` for rows without a date),
    which DuckDB, pyarrow, Spark and Dask read as one dataset (hive partitioning).

    Rows come newest first, so a month's rows arrive together: a month's file is closed when
    the next month begins, and only one row group is ever held in memory. (Should a month come
    back, its rows go to a further file of its folder, ``part-1.parquet``.)"""
    schema = arrow_schema(columns)
    current: tuple[str, _Writer] | None = None
    parts: dict[str, int] = {}
    done = 0
    try:
        for rows in chunks:
            if partition is None:
                groups = {"": rows}
            else:
                groups = {}
                column = PARTITION_DATE[table]
                for row in rows:
                    value = row[column]
                    groups.setdefault(value[:7] if value else "undated", []).append(row)
            for key, group in groups.items():
                if current is None or current[0] != key:
                    if current is not None:
                        current[1].close()
                        current = None
                    target = path
                    if partition is not None:
                        folder = path / f"month={key}"
                        folder.mkdir(exist_ok=True)
                        target = folder / f"part-{parts.get(key, 0)}.parquet"
                        parts[key] = parts.get(key, 0) + 1
                    current = (key, _Writer(target, schema))
                current[1].add(arrow_batch(columns, group, schema))
            done += len(rows)
            progress(done)
        if partition is None and current is None:  # an empty export is still a readable file
            current = ("", _Writer(path, schema))
    finally:
        if current is not None:
            current[1].close()
    return done
