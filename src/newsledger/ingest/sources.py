"""Read inputs into ``RawDocument`` records.

An input is a file, a folder (read recursively), a glob, ``-`` for standard input, or an
``http(s)`` URL. Files are read by type: ``.txt``, ``.html``/``.htm``, ``.jsonl`` (one article per
line), ``.json`` (a record or a list of records) and RSS/Atom feeds (``.xml``, ``.rss``, ``.atom``).

Readers never raise for a bad input: they yield an ``InputError`` in its place, naming the input
and the reason, and go on with the next one. A bad line of a JSONL file costs that line only.

Rules every reader follows:

- Text is UTF-8. A file that starts with a UTF-8, UTF-16 or UTF-32 byte-order mark is decoded by
  it, whatever its type (``.txt``, ``.jsonl``, ``.html``…); without one, UTF-16 is refused like
  any other binary content. A NUL byte anywhere means binary content.
- ``max_bytes`` is enforced while reading, not only against the size a file claims, and FIFOs,
  devices and sockets are skipped with a warning (``W130``) without being opened for a blocking
  read, so that ``/dev/zero`` or a FIFO named ``.txt`` can neither hang a run nor fill memory.
- A string that is not valid Unicode (a lone surrogate from a JSON ``"\\ud800"`` escape) and a
  file name that is not UTF-8 are refused with the field or name that holds them (``E130``,
  ``E132``), since neither can be stored or printed.
"""

from __future__ import annotations

import glob
import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import Errors, InputError
from ..model import RawDocument
from .documents import (Item, ReadOptions, bom_encoding, decode_text, html_document, read_feed,
                        text_document)

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".feed"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | FEED_SUFFIXES

STDIN = "-"
# "data:text/plain,…", "javascript:…": a scheme, not a path (a one-letter one is a drive, "C:").
_URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
STDIN_NAME = "<stdin>"
# Lone surrogates: what a JSON "\ud800" escape or a non-UTF-8 file name decodes to.
_SURROGATE = re.compile("[\ud800-\udfff]")
_READ_CHUNK = 1 << 16

def read_inputs(inputs: Iterable[str | Path], options: ReadOptions | None = None) -> Iterator[Item]:
    """Yield a ``RawDocument`` for each document found in ``inputs``, or an ``InputError``.

    inputs: paths, folders, globs, URLs, or ``-`` for standard input.
    options: size and time limits.
    """
    options = options or ReadOptions()
    for spec in inputs:
        spec = os.fsdecode(spec) if isinstance(spec, bytes) else str(spec)
        if spec == STDIN:
            items = _read_stdin(sys.stdin.buffer, options)
        elif "://" in spec or _URL_LIKE.match(spec) and not Path(spec).exists():
            from .fetch import fetch_url  # refuses every scheme but http(s): data:, file:…

            items = fetch_url(spec, options)
        else:
            items = _read_path_spec(spec, options)
        for item in items:
            yield vetted(item)


def vetted(item: Item) -> Item:
    """``item``, or the ``InputError`` that says why it cannot be stored: a source name that is
    not UTF-8 (``E132``), or a field holding a lone surrogate (``E130``). An error's own source
    is made printable."""
    if _SURROGATE.search(item.source):
        name = printable(item.source)
        if isinstance(item, InputError):
            return InputError(name, item.message)
        return InputError(name, Errors.E132)
    if isinstance(item, InputError):
        return item
    for name in ("text", "html", "title", "url", "published", "outlet"):
        value = getattr(item, name)
        found = _SURROGATE.search(value) if isinstance(value, str) else None
        if found:
            return InputError(item.source, Errors.E130.format(
                field=name, point=ord(found.group()), offset=found.start()))
    return item


def printable(name: str) -> str:
    """A name that may hold undecodable bytes (``os.fsdecode`` turns them into lone surrogates),
    with those bytes shown as ``\\xe9``: safe to print and to store."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_path_spec(spec: str, options: ReadOptions) -> Iterator[Item]:
    path = Path(spec)
    if path.is_dir():
        for file in _walk(path):
            yield from read_file(file, options, in_folder=True)
    elif path.exists() or path.is_symlink():  # a broken or looping link says why
        yield from read_file(path, options)
    elif glob.has_magic(spec):
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            yield InputError(spec, Errors.E101)
        for match in matches:
            yield from _read_path_spec(match, options)
    else:
        yield InputError(spec, Errors.E101)


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in a stable order, leaving out hidden files and folders."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() or not path.is_dir():  # a FIFO or a broken link is reported
            yield path


def read_file(path: Path, options: ReadOptions, *, in_folder: bool = False) -> Iterator[Item]:
    """Yield the documents of one file, by its type.

    in_folder: the file was found by walking a folder, so an unsupported type is skipped
        (reported as a ``W101`` warning) rather than read as text.
    """
    source = str(path.absolute())
    if _SURROGATE.search(source):  # not UTF-8: it could be neither stored nor printed
        yield InputError(printable(source), Errors.E132)
        return
    suffix = path.suffix.lower()
    if suffix not in KNOWN_SUFFIXES and in_folder:
        yield InputError(source, Errors.W101.format(suffix=suffix))
        return
    try:
        stream = _open_regular(path, source)
    except InputError as error:
        yield error
        return
    with stream:
        if suffix in JSONL_SUFFIXES:
            try:
                yield from read_jsonl(stream, source, options)
            except OSError as exc:
                yield InputError(source, Errors.E112.format(detail=exc.strerror or exc))
            return
        try:
            size = os.fstat(stream.fileno()).st_size
            if size > options.max_bytes:
                yield InputError(source, Errors.E105.format(size=size, limit=options.max_bytes))
                return
            # Bounded even when the file grows while it is read, or lies about its size.
            data = stream.read(options.max_bytes + 1)
        except OSError as exc:
            yield InputError(source, Errors.E112.format(detail=exc.strerror or exc))
            return
    if len(data) > options.max_bytes:
        yield InputError(source, Errors.E105.format(size=f"over {options.max_bytes}",
                                                    limit=options.max_bytes))
        return
    if suffix in HTML_SUFFIXES:
        yield from html_document(data, source)
    elif suffix in FEED_SUFFIXES:
        yield from read_feed(data, source)
    elif suffix in JSON_SUFFIXES:
        yield from _read_json(data, source)
    else:
        yield from text_document(data, source)


_SPECIAL = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISDIR, "a folder"))


def _special_kind(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO"), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _SPECIAL if test(mode)), "a special file")


def _open_regular(path: Path, source: str) -> IO[bytes]:
    """``path`` opened for reading, raising ``InputError``: a ``W130`` warning for a FIFO, device
    or socket, a ``W131`` one for a broken or looping link, ``E112`` for other failures.

    The file is checked on the descriptor actually opened, and opened without blocking, so a
    FIFO put in place of a file between a listing and the read is still skipped, not waited on.
    """
    try:
        kind = _special_kind(path.stat().st_mode)
    except OSError as exc:
        raise _unopenable(path, source, exc) from None
    if kind:
        raise InputError(source, Errors.W130.format(kind=kind))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _unopenable(path, source, exc) from None
    try:
        kind = _special_kind(os.fstat(fd).st_mode)
        if kind:
            raise InputError(source, Errors.W130.format(kind=kind))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _unopenable(path: Path, source: str, exc: OSError) -> InputError:
    import errno

    if path.is_symlink():
        if exc.errno == errno.ELOOP:
            return InputError(source, Errors.W131.format(detail="a symbolic link loop"))
        if exc.errno == errno.ENOENT:
            target = printable(os.fsdecode(os.readlink(path)))
            return InputError(source, Errors.W131.format(
                detail=f"a broken symbolic link (to {target}, which does not exist)"))
    return InputError(source, Errors.E112.format(detail=exc.strerror or exc))


def _read_stdin(stream: IO[bytes], options: ReadOptions) -> Iterator[Item]:
    head = stream.read(options.max_bytes + 1)
    if len(head) > options.max_bytes:
        yield InputError(STDIN_NAME, Errors.E105.format(size=f"over {options.max_bytes}",
                                                      limit=options.max_bytes))
        return
    start = head.lstrip()[:200].lower()
    if start.startswith(b"{"):
        yield from read_jsonl(io.BytesIO(head), STDIN_NAME, options)
    elif start.startswith(b"<?xml") and (b"<rss" in head[:2000] or b"<feed" in head[:2000]):
        yield from read_feed(head, STDIN_NAME)
    elif start.startswith(b"<"):
        yield from html_document(head, STDIN_NAME)
    else:
        yield from text_document(head, STDIN_NAME)


# --- JSON and JSONL ---------------------------------------------------------------------------

_STRING_FIELDS = ("text", "html", "url", "title", "published", "outlet")


def read_jsonl(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[Item]:
    """One article per line: ``text`` or ``html``, optional ``url``, ``title``, ``published``,
    ``outlet``. Each bad line is reported as ``source:LINE`` and the rest are read; a file with
    no line at all is reported with a ``W132`` warning. Lines are UTF-8, or UTF-16/32 when the
    file starts with a byte-order mark; no line longer than ``max_bytes`` is held in memory."""
    head = stream.read(4)
    encoding = bom_encoding(head)
    if encoding in (None, "utf-8-sig"):
        lines = _byte_lines(io.BufferedReader(_Prefixed(head, stream)), options.max_bytes)
    else:
        text = io.TextIOWrapper(_Prefixed(head, stream), encoding=encoding, newline="")
        lines = _text_lines(text, options.max_bytes, encoding)
    blank = True
    for number, line in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if isinstance(line, InputError):
            blank = False
            yield InputError(where, line.message)
            continue
        if not line.strip():
            continue
        blank = False
        yield _parse_record(line, where, lambda exc: f"{exc.msg} at column {exc.colno}")
    if blank:
        yield InputError(source, Errors.W132.format(
            detail="the file is empty" if not head else "only blank lines"))


class _Prefixed(io.RawIOBase):
    """A stream that gives ``head`` (bytes already read from ``stream``), then the rest."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size], self.head = self.head[:size], self.head[size:]
            return size
        data = self.stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _byte_lines(stream: IO[bytes], limit: int) -> Iterator[str | InputError]:
    """The UTF-8 lines of ``stream`` (a leading BOM dropped), each at most ``limit`` bytes; a
    longer line is skipped unread past the limit and given as its ``InputError``."""
    first = True
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line) + _skip_line(stream)
            yield InputError("", Errors.E105.format(size=size, limit=limit))
            continue
        if first and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        first = False
        nul = line.find(b"\x00")
        if nul >= 0:
            yield InputError("", Errors.E103.format(offset=nul))
            continue
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputError("", Errors.E104.format(offset=exc.start))


def _skip_line(stream: IO[bytes]) -> int:
    """Read and drop the rest of a line; the number of bytes dropped."""
    skipped = 0
    while True:
        chunk = stream.readline(_READ_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _text_lines(stream: io.TextIOWrapper, limit: int, encoding: str
                ) -> Iterator[str | InputError]:
    """The lines of a UTF-16/32 file, each at most ``limit`` characters."""
    try:
        while True:
            line = stream.readline(limit + 1)
            if not line:
                return
            if len(line) > limit and not line.endswith("\n"):
                while (rest := stream.readline(_READ_CHUNK)) and not rest.endswith("\n"):
                    pass
                yield InputError("", Errors.E105.format(size=f"over {limit}", limit=limit))
                continue
            if "\x00" in line:
                yield InputError("", Errors.E103.format(offset=line.index("\x00")))
                continue
            yield line
    except UnicodeDecodeError as exc:
        yield InputError("", Errors.E112.format(
            detail=f"broken {encoding.upper()} ({exc.reason}); the rest of the file is not read"))


def _parse_record(line: str, where: str, position: Any) -> Item:
    """The document in one JSON record, or the ``InputError`` that says why there is none."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(where, Errors.E106.format(detail=position(exc)))
    except RecursionError:
        return InputError(where, Errors.E131.format(detail="nested too deeply"))
    except ValueError as exc:  # an integer of thousands of digits (int_max_str_digits)
        return InputError(where, Errors.E131.format(detail=str(exc).split(";")[0]))
    return _record_document(record, where)


def _read_json(data: bytes, source: str) -> Iterator[Item]:
    try:
        text = decode_text(data, source)
    except InputError as error:
        yield error
        return
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(source, Errors.E106.format(detail=f"{exc.msg} at line {exc.lineno}"))
        return
    except RecursionError:
        yield InputError(source, Errors.E131.format(detail="nested too deeply"))
        return
    except ValueError as exc:
        yield InputError(source, Errors.E131.format(detail=str(exc).split(";")[0]))
        return
    if payload == [] or payload == {}:
        yield InputError(source, Errors.E102)  # "[]" holds no article: say so, do not skip
        return
    records = payload if isinstance(payload, list) else [payload]
    for index, record in enumerate(records):
        where = f"{source}[{index}]" if isinstance(payload, list) else source
        yield _record_document(record, where)


def _record_document(record: Any, where: str) -> Item:
    if not isinstance(record, dict):
        return InputError(where, Errors.E114.format(found=type(record).__name__))
    for name in _STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return InputError(where, Errors.E113.format(
                field=name, expected="a string", found=type(value).__name__))
    text, html = record.get("text"), record.get("html")
    if not (text and text.strip()) and not (html and html.strip()):
        return InputError(where, Errors.E107.format(fields=", ".join(sorted(record)) or "none"))
    meta = {name: record.get(name) or None for name in ("url", "title", "published", "outlet")}
    if text and text.strip():
        return RawDocument(source=where, text=text, **meta)
    return RawDocument(source=where, html=html, **meta)


# --- feeds ------------------------------------------------------------------------------------
