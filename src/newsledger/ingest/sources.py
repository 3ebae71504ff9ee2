"""Read inputs into ``RawDocument`` records.

An input is a file, a folder (read recursively), a glob, ``-`` for standard input, or an
``http(s)`` URL. Files are read by type: ``.txt``, ``.html``/``.htm``, ``.jsonl`` (one article per
line), ``.json`` (a record or a list of records) and RSS/Atom feeds (``.xml``, ``.rss``, ``.atom``).

Readers never raise for a bad input: they yield an ``InputError`` in its place, naming the input
and the reason, and go on with the next one. A bad line of a JSONL file costs that line only.
"""

from __future__ import annotations

import glob
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import Errors, InputError
from ..model import RawDocument

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

Item = RawDocument | InputError


@dataclass(slots=True, frozen=True)
class ReadOptions:
    """Limits for reading inputs.

    max_bytes: largest file, JSONL line, stdin document or HTTP body accepted.
    timeout: seconds allowed for each URL, redirects included.
    allow_private: fetch URLs on loopback, private and link-local addresses too (off by
        default: see ``newsledger.ingest.fetch``).
    """

    max_bytes: int = 10_000_000
    timeout: float = 20.0
    allow_private: bool = False


def read_inputs(inputs: Iterable[str | Path], options: ReadOptions | None = None) -> Iterator[Item]:
    """Yield a ``RawDocument`` for each document found in ``inputs``, or an ``InputError``.

    inputs: paths, folders, globs, URLs, or ``-`` for standard input.
    options: size and time limits.
    """
    options = options or ReadOptions()
    for spec in inputs:
        spec = str(spec)
        if spec == STDIN:
            yield from _read_stdin(sys.stdin.buffer, options)
        elif "://" in spec or _URL_LIKE.match(spec) and not Path(spec).exists():
            from .fetch import fetch_url  # refuses every scheme but http(s): data:, file:…

            yield from fetch_url(spec, options)
        else:
            yield from _read_path_spec(spec, options)


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
    suffix = path.suffix.lower()
    if suffix not in KNOWN_SUFFIXES and in_folder:
        yield InputError(source, Errors.W101.format(suffix=suffix))
        return
    problem = _not_regular(path)
    if problem:
        yield InputError(source, Errors.E112.format(detail=problem))
        return
    if suffix in JSONL_SUFFIXES:
        try:
            with path.open("rb") as stream:
                yield from read_jsonl(stream, source, options)
        except OSError as exc:
            yield InputError(source, Errors.E112.format(detail=exc.strerror or exc))
        return
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            yield InputError(source, Errors.E105.format(size=size, limit=options.max_bytes))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(source, Errors.E112.format(detail=exc.strerror or exc))
        return
    if suffix in HTML_SUFFIXES:
        yield from _html_document(data, source)
    elif suffix in FEED_SUFFIXES:
        yield from read_feed(data, source)
    elif suffix in JSON_SUFFIXES:
        yield from _read_json(data, source)
    else:
        yield from _text_document(data, source)


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (a FIFO would block the read forever), or None."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder"))
    kind = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"not a regular file ({kind})"


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8 text, raising ``InputError`` for empty, binary or mis-encoded data."""
    if not data.strip():
        raise InputError(source, Errors.E102)
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise InputError(source, Errors.E103.format(offset=nul))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, Errors.E104.format(offset=exc.start)) from None
    if not text.strip():
        raise InputError(source, Errors.E102)
    return text


# Files that are not text whatever their name says, by the bytes they start with.
_DISGUISES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an office file such as .docx, .xlsx or .odt?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls)"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_RTF = b"{\\rtf"


def disguised_kind(data: bytes) -> str | None:
    """What a file named as text really is ("a PDF document"), or None for text or RTF."""
    head = data[:16]
    return next((kind for magic, kind in _DISGUISES if head.startswith(magic)), None)


def rtf_to_text(data: bytes, source: str) -> str:
    """The plain text of an RTF document (``striprtf``), raising ``InputError`` if none is left."""
    from striprtf.striprtf import rtf_to_text as convert

    try:
        text = convert(data.decode("latin-1"), errors="ignore")
    except Exception as exc:  # striprtf raises plain exceptions on broken groups
        raise InputError(source, Errors.E112.format(detail=f"broken RTF ({exc})")) from None
    if not text.strip():
        raise InputError(source, Errors.E102)
    return text


def _text_document(data: bytes, source: str) -> Iterator[Item]:
    kind = disguised_kind(data)
    if kind:
        yield InputError(source, Errors.E112.format(detail=f"{kind}, not text; convert it first"))
        return
    try:
        if data.lstrip()[:5] == _RTF:
            yield RawDocument(source=source, text=rtf_to_text(data, source))
        else:
            yield RawDocument(source=source, text=decode_text(data, source))
    except InputError as error:
        yield error


def _html_document(data: bytes, source: str, **meta: Any) -> Iterator[Item]:
    if not data.strip():
        yield InputError(source, Errors.E102)
        return
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        yield InputError(source, Errors.E103.format(offset=nul))
        return
    yield RawDocument(source=source, html=data, **meta)


def _read_stdin(stream: IO[bytes], options: ReadOptions) -> Iterator[Item]:
    head = stream.read(options.max_bytes + 1)
    if len(head) > options.max_bytes:
        yield InputError(STDIN_NAME, Errors.E105.format(size=f"over {options.max_bytes}",
                                                      limit=options.max_bytes))
        return
    start = head.lstrip()[:200].lower()
    if start.startswith(b"{"):
        import io

        yield from read_jsonl(io.BytesIO(head), STDIN_NAME, options)
    elif start.startswith(b"<?xml") and (b"<rss" in head[:2000] or b"<feed" in head[:2000]):
        yield from read_feed(head, STDIN_NAME)
    elif start.startswith(b"<"):
        yield from _html_document(head, STDIN_NAME)
    else:
        yield from _text_document(head, STDIN_NAME)


# --- JSON and JSONL ---------------------------------------------------------------------------

_STRING_FIELDS = ("text", "html", "url", "title", "published", "outlet")


def read_jsonl(stream: IO[bytes], source: str, options: ReadOptions) -> Iterator[Item]:
    """One article per line: ``text`` or ``html``, optional ``url``, ``title``, ``published``,
    ``outlet``. Each bad line is reported as ``source:LINE`` and the rest are read."""
    for number, line in enumerate(stream, start=1):
        where = f"{source}:{number}"
        if len(line) > options.max_bytes:
            yield InputError(where, Errors.E105.format(size=len(line), limit=options.max_bytes))
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except UnicodeDecodeError as exc:
            yield InputError(where, Errors.E104.format(offset=exc.start))
            continue
        except json.JSONDecodeError as exc:
            yield InputError(where, Errors.E106.format(detail=f"{exc.msg} at column {exc.colno}"))
            continue
        yield _record_document(record, where)


def _read_json(data: bytes, source: str) -> Iterator[Item]:
    try:
        payload = json.loads(decode_text(data, source))
    except InputError as error:
        yield error
        return
    except json.JSONDecodeError as exc:
        yield InputError(source, Errors.E106.format(detail=f"{exc.msg} at line {exc.lineno}"))
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


def read_feed(data: bytes, source: str) -> Iterator[Item]:
    """Each entry of an RSS or Atom feed, with its content (or summary) as HTML."""
    import feedparser

    if not data.strip():
        yield InputError(source, Errors.E102)
        return
    unsafe = unsafe_xml(data)
    if unsafe:
        yield InputError(source, Errors.E121.format(detail=unsafe))
        return
    # A stream, never bytes: feedparser opens a bytes or str argument as a file name if it can.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.get("version"):
        reason = parsed.get("bozo_exception")
        detail = str(reason).strip() if reason else "no <rss> or <feed> element"
        yield InputError(source, Errors.E108.format(detail=detail))
        return
    outlet = parsed.feed.get("title") or None
    for index, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#{index}"
        body = ""
        for content in entry.get("content") or []:
            body = max(body, content.get("value") or "", key=len)
        body = body or entry.get("summary") or entry.get("description") or ""
        if not body.strip():
            yield InputError(where, Errors.E107.format(fields=", ".join(sorted(entry.keys()))))
            continue
        yield RawDocument(
            source=where,
            html=body if "<" in body else None,
            text=None if "<" in body else body,
            url=entry.get("link") or None,
            title=entry.get("title") or None,
            published=_feed_date(entry),
            outlet=outlet,
        )


_ENTITY_DECLARATION = "<!ENTITY"
_XML_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def unsafe_xml(data: bytes) -> str | None:
    """Why ``data`` must not be handed to an XML parser, or None.

    Entity declarations are refused outright: they are how a billion-laughs feed blows up and
    how an XXE feed reads a local file (``<!ENTITY x SYSTEM "file:///etc/passwd">``). The feed
    is first parsed by defusedxml, which stops at the first declaration; a feed that is not
    well-formed XML (feedparser still reads many of those) is searched for a declaration in
    each encoding an XML file may use.
    """
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as safe_tree
    from defusedxml import DefusedXmlException

    try:
        safe_tree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        name, system = getattr(exc, "name", None), getattr(exc, "sysid", None)
        if not name:
            return type(exc).__name__
        return f"it declares the entity '{name}'" + (f" (external: {system})" if system else "")
    except (ParseError, ValueError):
        upper = data.upper()
        for encoding in _XML_ENCODINGS:
            if _ENTITY_DECLARATION.encode(encoding) in upper:
                return f"an entity declaration in malformed XML ({encoding})"
    return None


def _feed_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None
