"""Errors and warnings, each with a stable code.

Every message newsledger shows for a problem lives here, so that messages stay consistent,
searchable and testable (the scheme follows spaCy's ``errors.py``). A message names its code in
brackets: ``[E104] not valid UTF-8 at byte 17``. Input errors always carry the input they are
about, so a report over ten thousand files says which one failed and why.
"""

from __future__ import annotations


class _Codes(type):
    """Metaclass that prefixes each message with its code: ``Errors.E101 -> "[E101] ..."``."""

    def __getattribute__(cls, code: str) -> str:
        message = super().__getattribute__(code)
        if code.startswith(("E", "W")) and code[1:].isdigit():
            return f"[{code}] {message}"
        return message


class Errors(metaclass=_Codes):
    # E1xx: one input (a file, a line of a JSONL file, a feed entry, a URL) cannot be read.
    E101 = "no such file or folder"
    E102 = "the input is empty"
    E103 = "binary content, not text (a NUL byte at offset {offset})"
    E104 = "not valid UTF-8 at byte {offset}; convert it first (e.g. iconv -f latin1 -t utf-8)"
    E105 = "too large: {size} bytes, over the limit of {limit} bytes (raise it with --max-bytes)"
    E106 = "invalid JSON: {detail}"
    E107 = "a JSONL record needs a non-empty 'text' or 'html' field; found fields: {fields}"
    E108 = "not an RSS or Atom feed: {detail}"
    E109 = "URL scheme '{scheme}' is not allowed; only http and https are"
    E110 = "could not fetch: {detail}"
    E111 = "no article text left after removing the page furniture"
    E112 = "cannot read: {detail}"
    E113 = "field '{field}' must be {expected}, not {found}"
    E114 = "a JSONL line must hold a JSON object, not {found}"
    E115 = "could not be analysed ({kind}: {detail}); please report it with this input"
    E120 = ("refused to fetch {url}: {host} {reason}; only public addresses are fetched "
            "(pass --allow-private to allow private ones)")
    E121 = "unsafe XML refused: {detail}; entity declarations are not allowed in feeds"
    # E2xx: the ledger file.
    E201 = "{path} is not a newsledger ledger (no schema_version table) and is not empty"
    E202 = "{path} was written by a newer newsledger (schema version {found}, this one knows {known})"
    E203 = "{path} cannot be opened: {detail}"
    E204 = "no article with id '{id}'"
    E205 = "the id prefix '{id}' matches several articles: {matches}"
    E206 = ("no ledger at {path}; make one with 'newsledger --db {path} ingest PATH...' "
            "(e.g. examples/articles), or point --db or $NEWSLEDGER_DB at an existing ledger")
    E207 = "{path} cannot be created: {detail}"
    # E3xx: configuration.
    E301 = (
        "no English spaCy pipeline is installed (looked for {names}); install it with "
        "'pip install --no-deps --require-hashes -r requirements/spacy-model.txt'"
    )
    E302 = "cannot load the spaCy pipeline '{name}': {detail}"
    E303 = "{path}:{line}: {detail}"
    E304 = "'{value}' is not a date newsledger can read (use YYYY-MM-DD)"
    E305 = "scaling out needs Dask: pip install 'newsledger[dask]' ({detail})"
    E306 = "cannot reach the Dask scheduler at {address}: {detail}"
    E307 = ("'{value}' is not a CAMEO code or root newsledger knows (e.g. 11 or 112; "
            "'newsledger codes' lists them)")
    E308 = "'{value}' is not a PLOVER event type (choose one of: {choices})"
    E309 = "'{value}' is not one of: {choices}"
    E310 = "the period is empty: since {since} is after until {until}"
    E311 = "'{value}' is not an actor code (2 to 20 letters, digits or '-', e.g. PRK or PRKGOV)"
    E312 = "'{value}' is not an id (hexadecimal digits, e.g. 2ab4760c)"
    E313 = "{value} is out of range ({expected})"
    E320 = "'{value}' is not an event coder (choose one of: {choices})"
    E321 = "knowledge folder {path}: {detail} (--data, $NEWSLEDGER_DATA or data=)"
    E322 = "knowledge file {path}: {detail} (--data, $NEWSLEDGER_DATA or data=)"
    E130 = ("the {field} holds a lone surrogate (U+{point:04X}) at character {offset}, which is "
            "not valid Unicode; fix or remove that character")
    E131 = "JSON too complex to read: {detail}"
    E132 = ("the file name is not valid UTF-8 (shown here with \\x escapes); rename it, e.g. "
            "with convmv -f latin1 -t utf-8")
    E133 = "too short to be an article: {found} letters of text, fewer than {minimum}"
    # W1xx: warnings about inputs that are skipped on purpose.
    W101 = "skipped: unsupported file type '{suffix}'"
    W130 = "skipped: {kind}, not a regular file"
    W131 = "skipped: {detail}"
    W132 = "no articles in it: {detail}"


class NewsledgerError(Exception):
    """Base class of the errors newsledger raises on purpose."""


class InputError(NewsledgerError):
    """One input cannot be read. ``source`` names it (a path, ``path:line``, a URL or ``<stdin>``)."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}")

    @property
    def code(self) -> str:
        """The stable code of the message, such as ``E104``."""
        return self.message[1:5] if self.message.startswith("[") else ""


class LedgerError(NewsledgerError):
    """The ledger file cannot be used as asked."""


class NotFoundError(LedgerError):
    """The ledger holds nothing with the id asked for."""


class ConfigError(NewsledgerError):
    """A setting, model or data file is missing or malformed."""
