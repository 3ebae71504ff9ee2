"""Documents from bytes: plain text, HTML and RSS/Atom feeds, as ``RawDocument`` records.

The readers of files and standard input (``sources``) and of URLs (``fetch``) both turn the
bytes they got into documents here, so a document reads the same wherever it came from. A reader
never raises for bad content: it yields an ``InputError`` naming the source and the reason.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Errors, InputError
from ..model import RawDocument

# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"))

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


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names, or None."""
    return next((name for mark, name in _BOMS if data.startswith(mark)), None)


def decode_text(data: bytes, source: str) -> str:
    """Decode bytes as text, raising ``InputError`` for empty, binary or mis-encoded data.

    Text is UTF-8, or UTF-16/UTF-32 when a byte-order mark says so; a NUL anywhere (in the
    decoded text) means binary content.
    """
    if not data.strip():
        raise InputError(source, Errors.E102)
    encoding = bom_encoding(data) or "utf-8"
    if encoding == "utf-8":
        nul = data.find(b"\x00")
        if nul >= 0:
            raise InputError(source, Errors.E103.format(offset=nul))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise InputError(source, Errors.E112.format(
                detail=f"broken {encoding.upper()} at byte {exc.start}")) from None
        raise InputError(source, Errors.E104.format(offset=exc.start)) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(source, Errors.E103.format(offset=len(text[:nul].encode(encoding))))
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


def text_document(data: bytes, source: str) -> Iterator[Item]:
    """The document of a plain-text (or RTF) file, or the error saying why it is not text."""
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


def html_document(data: bytes, source: str, **meta: Any) -> Iterator[Item]:
    """The document of an HTML page (``meta``: more ``RawDocument`` fields), or the error
    saying why it cannot be read."""
    if not data.strip():
        yield InputError(source, Errors.E102)
        return
    if bom_encoding(data) not in (None, "utf-8-sig"):  # UTF-16/32: passed on as UTF-8
        try:
            data = decode_text(data, source).encode("utf-8")
        except InputError as error:
            yield error
            return
    nul = data.find(b"\x00")
    if nul >= 0:
        yield InputError(source, Errors.E103.format(offset=nul))
        return
    yield RawDocument(source=source, html=data, **meta)


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
    if not parsed.entries:
        yield InputError(source, Errors.W132.format(detail="the feed has no entries"))
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
