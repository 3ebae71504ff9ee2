"""The package's data files: where they are and how the tab-separated ones are read.

Every module that reads a file shipped under ``newsledger/data`` finds it with ``data_path`` and
reads a ``.tsv`` table with ``read_tsv``, so a table's format and its error messages are the same
everywhere.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from .errors import ConfigError, Errors


def data_path(*parts: str) -> Path:
    """The path of a data file shipped in the package: ``data_path("events", "cameo.tsv")``."""
    return Path(str(resources.files("newsledger").joinpath("data", *parts)))


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated data file with a header line; blank and ``#`` lines are skipped.

    Raises ``ConfigError`` (E303) for an unreadable file or a row with the wrong number of
    columns, naming the file and the row's line number in the file (comments counted).
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            numbered = [(number, line) for number, line in enumerate(handle, start=1)
                        if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise ConfigError(Errors.E303.format(path=path, line=0, detail=exc.strerror)) from None
    line_numbers = [number for number, _ in numbered]
    reader = csv.DictReader((line for _, line in numbered), delimiter="\t",
                            quoting=csv.QUOTE_NONE)
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            number = line_numbers[reader.line_num - 1]
            raise ConfigError(Errors.E303.format(path=path, line=number,
                                                 detail="wrong number of columns"))
        rows.append({key: value.strip() for key, value in row.items()})
    return rows


def split_list(value: str) -> tuple[str, ...]:
    """The items of a ``|``-separated cell: ``"DPRK | Pyongyang"`` → ``("DPRK", "Pyongyang")``."""
    return tuple(part.strip() for part in value.split("|") if part.strip())


def read_words(path: Path) -> list[str]:
    """The words of a word-list data file (one word or phrase a line), in the file's order;
    blank and ``#`` lines are skipped.

    Raises ``ConfigError`` (E303) for an unreadable file, naming it.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Errors.E303.format(path=path, line=0, detail=exc)) from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
