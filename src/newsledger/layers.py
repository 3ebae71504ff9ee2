"""Knowledge in layers: the package's data files, then a user's folders of the same shape.

A user folder mirrors ``newsledger/data``: ``DIR/actors/people.yaml``,
``DIR/events/lexicon/*.yaml``, ``DIR/claims/speech.yaml``, ``DIR/outlets.tsv``… Each loader reads the package's file strictly (a
bad line there is a bug of the package: ``ConfigError``), then each user folder's file of the same
name, leniently: a bad user line is skipped with a warning naming the file and the line, and the
rest is used. How a user's entries combine with the package's is decided per kind of knowledge
(see ``newsledger.knowledge`` and the README, "Extending the knowledge"): for a table, a user row
with the same key replaces the package's row and other rows are added.

This module reads files only; it knows no kind of knowledge.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, Errors
from .resources import read_tsv


def user_files(folders: Sequence[Path], *parts: str) -> list[Path]:
    """The file ``parts`` in each user folder that has it, in the folders' order."""
    return [path for path in (Path(folder).joinpath(*parts) for folder in folders)
            if path.is_file()]


def read_user_tsv(path: Path, columns: Sequence[str], warnings: list[str]
                  ) -> list[dict[str, str]]:
    """The rows of a user's tab-separated file. Its header names the columns like the package's
    file; a row with the wrong number of fields is skipped with a warning ``file:line: reason``,
    as is the whole file when its header lacks one of ``columns``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        warnings.append(f"{path}: cannot be read ({exc}); skipped")
        return []
    numbered = [(number, line) for number, line in enumerate(lines, start=1)
                if line.strip() and not line.startswith("#")]
    if not numbered:
        return []
    header_line, header_text = numbered[0]
    header = [name.strip() for name in header_text.split("\t")]
    missing = [name for name in columns if name not in header]
    if missing:
        warnings.append(f"{path}:{header_line}: the header needs the columns "
                        f"{', '.join(columns)} (missing {', '.join(missing)}); file skipped")
        return []
    rows = []
    for number, line in numbered[1:]:
        fields = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(fields) != len(header):
            warnings.append(f"{path}:{number}: expected {len(header)} tab-separated fields "
                            f"({', '.join(header)}), found {len(fields)}; line skipped")
            continue
        row = {name: value.strip() for name, value in zip(header, fields)}
        if columns and not row.get(columns[0]):
            warnings.append(f"{path}:{number}: the {columns[0]} is empty; line skipped")
            continue
        rows.append(row)
    return rows


def layered_rows(base: Path, users: Sequence[Path], key: Callable[[dict[str, str]], str],
                 warnings: list[str], columns: Sequence[str] | None = None
                 ) -> list[dict[str, str]]:
    """The package's table ``base`` with each user table in ``users`` over it: a user row whose
    ``key`` equals a row's replaces that row where it stood, other user rows are added at the
    end, in order. ``columns``: those a user file must have (default: the package header's)."""
    rows = read_tsv(base)
    if not users:
        return rows
    needed = list(columns or (rows[0].keys() if rows else ()))
    where = {key(row): number for number, row in enumerate(rows)}
    for path in users:
        for row in read_user_tsv(path, needed, warnings):
            row = {name: row.get(name, "") for name in dict.fromkeys([*needed, *row])}
            found = where.get(key(row))
            if found is None:
                where[key(row)] = len(rows)
                rows.append(row)
            else:
                rows[found] = row
    return rows


def read_yaml(path: Path, warnings: list[str] | None = None) -> Any:
    """A YAML file's content. For the package's files (``warnings`` None) an unreadable file is a
    ``ConfigError``; for a user's, a warning, and None."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        if warnings is None:
            raise ConfigError(Errors.E303.format(path=path, line="?", detail=exc)) from None
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        warnings.append(f"{path}{line}: not readable YAML ({_first_line(exc)}); file skipped")
        return None


def item_lines(path: Path) -> list[int]:
    """The line of each item of a YAML file holding a list (or a mapping with ``entries``), for
    messages about one item; empty when the file is not such a list."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if isinstance(node, yaml.MappingNode):
        node = next((value for key, value in node.value
                     if isinstance(key, yaml.ScalarNode) and key.value == "entries"), None)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def user_lines(folders: Sequence[Path], *parts: str) -> list[str]:
    """The non-blank, non-comment lines of the file ``parts`` in each user folder."""
    lines: list[str] = []
    for path in user_files(folders, *parts):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines += [line.strip() for line in text.splitlines()
                  if line.strip() and not line.startswith("#")]
    return lines


def merge_spec(base: dict[str, Any], user: dict[str, Any], *, lists: str = "add"
               ) -> dict[str, Any]:
    """A settings mapping with a user's over it: a list is extended with the user's items
    (``lists="add"``) or replaced (``"replace"``), a mapping merged key by key the same way, a
    scalar replaced."""
    merged = dict(base)
    for name, value in user.items():
        old = merged.get(name)
        if isinstance(old, dict) and isinstance(value, dict):
            merged[name] = merge_spec(old, value, lists=lists)
        elif isinstance(old, list) and isinstance(value, list) and lists == "add":
            merged[name] = old + [item for item in value if item not in old]
        else:
            merged[name] = value
    return merged


def user_specs(folders: Sequence[Path], parts: Iterable[str], warnings: list[str]
               ) -> list[tuple[Path, dict[str, Any]]]:
    """Each user folder's YAML mapping at ``parts`` (a file that is not a mapping: a warning)."""
    found = []
    for path in user_files(folders, *parts):
        spec = read_yaml(path, warnings)
        if spec is None:
            continue
        if not isinstance(spec, dict):
            warnings.append(f"{path}:1: expected a mapping of settings like the package's "
                            f"file; file skipped")
            continue
        found.append((path, spec))
    return found


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
