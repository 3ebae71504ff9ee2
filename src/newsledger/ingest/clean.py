"""News cleaning: from a page or a pasted text to the article body and its metadata.

HTML goes through trafilatura first. Then, for HTML and plain text alike, our own rules remove
what trafilatura leaves or what a copy-and-paste carries: share-button text, "Related News"
trailers, photo credits, read-more and newsletter prompts, bylines and repeated title lines. The
metadata that sits in the text is taken out of it and kept: a title line, a date line
("Mon Jun 24 2024") and a dateline ("SEOUL, South Korea:").

The cleaned text is final: every span that later stages record points into it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import dates
from ..errors import ConfigError, Errors, InputError
from ..gazetteer import Gazetteer, gazetteer, normalise
from ..resources import data_path, read_tsv, split_list
from ..model import Dateline, RawDocument

FURNITURE_KINDS = ("share", "trailer", "credit", "prompt", "byline")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)

# "SEOUL, South Korea:", "GAZA CITY, Palestinian Territories:", "WASHINGTON (Reuters) -", "LYON:"
_DATELINE_CAPS = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})"
    r"(?:,\s*(?P<region>[A-Z][\w'’.\-]*(?: [A-Za-z][\w'’.\-]*){0,3}))?"
    r"\s*(?:\((?P<agency>[^()]{1,30})\))?\s*(?::|—|–|--|-)\s+(?=\S)"
)
# "Seoul, South Korea —": in title case a region and a dash or colon are required.
_DATELINE_TITLE = re.compile(
    r"^(?P<place>[A-Z][a-z'’.\-]+(?: [A-Z][a-z'’.\-]+){0,2}),\s*"
    r"(?P<region>[A-Z][\w'’.\-]*(?: [A-Za-z][\w'’.\-]*){0,3})"
    r"\s*(?:\((?P<agency>[^()]{1,30})\))?\s*(?::|—|–|--)\s+(?=\S)"
)


@dataclass(slots=True)
class Cleaned:
    """The result of cleaning: the body text, the metadata found in it, and what was removed."""

    text: str
    title: str | None = None
    published: dt.date | None = None
    dateline: Dateline | None = None
    outlet: str | None = None
    url: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)
    date_source: str | None = None  # the rule that gave ``published``: see DATE_RULES
    outlet_country: str | None = None
    outlet_code: str | None = None  # the outlet as a media actor: data/actors/media.tsv
    text_published: dt.date | None = None  # the date found in the text itself, if any
    date_head: str | None = None  # a date at the head of the text, taken out of it


# Which rule gave an article's date, first found wins: the container's metadata (a JSONL field,
# a feed entry's date, the caller's ``published``), the page's HTML metadata (htmldate through
# trafilatura), the URL, a date line or dateline in the text. A file's mtime is never one of them.
DATE_RULES = ("metadata", "html", "url", "text")
# Fewer letters than this after cleaning is not an article (a stray byte, a menu, "Home").
MIN_ARTICLE_LETTERS = 20
# A loose date line (``loose_date_line``) is looked for among this many first body lines only.
LOOSE_DATE_HEAD = 6


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    max_words: int


class CleaningRules:
    """The furniture patterns of ``data/cleaning.yaml`` (or a user's file of the same shape)."""

    def __init__(self, path: Path | None = None, *, spec: dict | None = None) -> None:
        """path: a file of the shape of ``data/cleaning.yaml``; spec: its content, read
        already (a user's merged with the package's, see ``newsledger.knowledge``)."""
        path = path or data_path("cleaning.yaml")
        try:
            if spec is None:
                spec = yaml.safe_load(path.read_text(encoding="utf-8"))
            self.rules = [
                _Rule(kind, re.compile(pattern, re.IGNORECASE), int(spec[kind]["max_words"]))
                for kind in FURNITURE_KINDS
                for pattern in spec[kind]["patterns"]
            ]
            self.inline = [re.compile(p, re.IGNORECASE) for p in spec["inline"]["patterns"]]
        except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
            raise ConfigError(Errors.E303.format(path=path, line=0, detail=exc)) from None

    def furniture(self, line: str) -> str | None:
        """The kind of furniture ``line`` is ("share", "trailer", ...), or None for prose."""
        words = len(line.split())
        for rule in self.rules:
            if words <= rule.max_words and rule.pattern.fullmatch(line):
                return rule.kind
        return None


@functools.cache
def default_rules() -> CleaningRules:
    return CleaningRules()


class Cleaner:
    """Cleans HTML pages and plain texts into article bodies with metadata."""

    def __init__(self, rules: CleaningRules | None = None, places: Gazetteer | None = None, *,
                 outlets: dict[str, tuple[str, str | None]] | None = None,
                 media: dict[str, tuple[str, str | None]] | None = None) -> None:
        """rules, places, outlets, media: the cleaning rules, the countries, the outlets by
        domain and the media by name (defaults: the package's; see ``newsledger.knowledge``)."""
        self.rules = rules or default_rules()
        self.places = places or gazetteer()
        self.outlets = outlets
        self.media = media

    # -- HTML ------------------------------------------------------------------------------------

    def clean_html(self, html: str | bytes, *, url: str | None = None, title: str | None = None
                   ) -> Cleaned:
        """Extract the main text of a page with trafilatura, then clean it as text."""
        import trafilatura

        # No url for trafilatura: htmldate would read a date from it and call it the page's; the
        # URL rule is ours (``url_date``), recorded as such.
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=False,
        )
        text = getattr(extracted, "text", None) if extracted is not None else None
        if not text or not text.strip():
            return Cleaned(text="")
        cleaned = self.clean_text(text, title=title or extracted.title)
        html_date = dates.parse_date(extracted.date)
        if html_date is not None:
            cleaned.published, cleaned.date_source = html_date, "html"
        cleaned.outlet = extracted.sitename or None
        cleaned.url = extracted.url or url
        return cleaned

    # -- text ------------------------------------------------------------------------------------

    def clean_text(self, text: str, *, title: str | None = None) -> Cleaned:
        """Remove furniture from ``text`` and take out the metadata that sits in it.

        title: the title known from metadata, if any; lines that repeat it are removed. Without
            it, a first line that reads as a headline becomes the title.
        """
        result = Cleaned(text="", title=_tidy(title) if title else None)
        lines = [_tidy(line) for line in _normalise(text).split("\n")]
        lines = self._take_title(lines, result)
        paragraphs = _paragraphs(self._body_lines(lines, result))
        if paragraphs:
            paragraphs[0] = self._take_date_head(paragraphs[0], result)
            paragraphs[0] = self._take_dateline(paragraphs[0], result)
        result.text = "\n\n".join(p for p in paragraphs if p)
        result.text_published = result.published
        if result.published is not None:
            result.date_source = "text"
        return result

    def _body_lines(self, lines: list[str], result: Cleaned) -> list[str]:
        """The lines of the body, blank ones kept as "": returns them without the title
        repeats, date lines, furniture and inline furniture, each recorded in ``result``."""
        kept: list[str] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if not line:
                kept.append("")
                continue
            if self._take_metadata_line(line, len(kept), result):
                continue
            kind = self.rules.furniture(line)
            if kind:
                result.removed.append((kind, line))
                if kind == "trailer":
                    index = _skip_trailer_links(lines, index, result)
                continue
            line = self._strip_inline(line, result)
            if line:
                kept.append(line)
        return kept

    def _take_metadata_line(self, line: str, kept: int, result: Cleaned) -> bool:
        """Whether ``line`` is metadata to take out of the body: returns True for a line that
        repeats the title or a date line (its date kept in ``result.published`` unless one is
        there already), recorded in ``result.removed``; False for any other line. kept: how
        many lines the body has so far (a loose date line is looked for near the head only)."""
        if result.title and normalise(line) == normalise(result.title):
            result.removed.append(("title", line))
            return True
        day = dates.parse_date_line(line)
        if day is None and kept < LOOSE_DATE_HEAD:
            day = loose_date_line(line)
        if day is None:
            return False
        result.published = result.published or day
        result.removed.append(("date", line))
        return True

    def _strip_inline(self, line: str, result: Cleaned) -> str:
        """Returns ``line`` with the inline furniture patterns removed (possibly ""); each
        removal records the line as it was in ``result.removed``."""
        for pattern in self.rules.inline:
            stripped = pattern.sub("", line).strip()
            if stripped != line:
                result.removed.append(("inline", line))
                line = stripped
        return line

    def _take_date_head(self, paragraph: str, result: Cleaned) -> str:
        """Take a date at the head of the text ("Jun 14 2022 (IPS) - ", "afrol News, 27
        January - ") out of it; its year may be missing, to be filled from the URL later."""
        match = _TEXT_DATELINE.match(paragraph[:120])
        if not match:
            return paragraph
        prefix = match.group("prefix")
        if prefix and prefix.strip().isupper() and result.dateline is None:
            result.dateline = self._resolve_dateline(prefix.strip(), None)
        result.removed.append(("date", match.group(0).strip()))
        result.date_head = match.group(0)
        year = match.group("year") or match.group("year2")
        if year and result.published is None:
            result.published = text_dateline_date(match.group(0), None)
        rest = paragraph[match.end():]
        return rest[:1].upper() + rest[1:]

    def _take_title(self, lines: list[str], result: Cleaned) -> list[str]:
        if result.title:
            return lines
        for position, line in enumerate(lines):
            if not line:
                continue
            if (_headline_like(line) and self.rules.furniture(line) is None
                    and not _is_dateline(line) and dates.parse_date_line(line) is None
                    and loose_date_line(line) is None and any(lines[position + 1:])):
                result.title = line
                result.removed.append(("title", line))
                return lines[position + 1:]
            return lines
        return lines

    def _take_dateline(self, paragraph: str, result: Cleaned) -> str:
        for pattern in (_DATELINE_CAPS, _DATELINE_TITLE):
            match = pattern.match(paragraph)
            if not match:
                continue
            dateline = self._resolve_dateline(match.group("place"), match.group("region"))
            if dateline is None:
                continue
            result.dateline = dateline
            result.removed.append(("dateline", match.group(0).strip()))
            rest = paragraph[match.end():]
            return rest[:1].upper() + rest[1:]
        return paragraph

    def _resolve_dateline(self, place: str, region: str | None) -> Dateline | None:
        name = place.strip().title() if place.isupper() else place.strip()
        country = self.places.country_code(region) if region else None
        found = self.places.place(name, country=country) or (
            self.places.place(name) if country is None else None)
        if found is None and country is None:
            return None
        if found is not None and found.kind == "city":
            name = found.name
        return Dateline(place=name, country=country or (found.country if found else None))


def to_article_fields(raw: RawDocument, cleaner: Cleaner) -> Cleaned:
    """Clean one raw document, merging the metadata its container supplied.

    The date is taken, first found wins, from the container's metadata, the page's HTML
    metadata, the URL, then a date line or dateline in the text; ``date_source`` names the rule.
    Raises ``InputError`` when nothing of the article is left (E111), or too little to be one
    (E133: fewer than ``MIN_ARTICLE_LETTERS`` letters, such as a navigation-only page's "Home").
    """
    url_line = None
    if raw.html is not None:
        cleaned = cleaner.clean_html(raw.html, url=raw.url, title=raw.title)
    else:
        url_line, text = take_url_line(raw.text or "")
        cleaned = cleaner.clean_text(text, title=raw.title)
    if not cleaned.text.strip():
        raise InputError(raw.source, Errors.E111)
    letters = sum(char.isalpha() for char in cleaned.text[:MIN_ARTICLE_LETTERS * 20])
    if letters < MIN_ARTICLE_LETTERS:
        raise InputError(raw.source, Errors.E133.format(found=letters,
                                                        minimum=MIN_ARTICLE_LETTERS))
    html_date = cleaned.published if cleaned.date_source == "html" else None
    cleaned.url = raw.url or cleaned.url or url_line
    _choose_date(cleaned, dates.parse_date(raw.published), html_date, cleaned.text_published)
    known = outlet_of(cleaned.url, cleaner.outlets)
    # The container's outlet, else the outlets table, else the page's site name.
    cleaned.outlet = raw.outlet or (known[0] if known else None) or cleaned.outlet
    cleaned.outlet_country = known[1] if known else None
    cleaned.outlet_code = media_code(cleaned.outlet, cleaned.outlet_country, cleaner.media)
    return cleaned


def _choose_date(cleaned: Cleaned, given: dt.date | None, html: dt.date | None,
                 text: dt.date | None) -> None:
    from_url = url_date(cleaned.url)
    if text is None and cleaned.date_head:
        year = from_url.year if from_url else url_year(cleaned.url)
        text = text_dateline_date(cleaned.date_head, year)
    found = zip(DATE_RULES, (given, html, from_url, text))
    rule, day = next(((rule, day) for rule, day in found if day is not None), (None, None))
    cleaned.published, cleaned.date_source = day, rule


# --- metadata from what users have ----------------------------------------------------------

# "https://example.com/a", or the tokenised form of corpora: "http : / / example . com / a".
_URL_LINE = re.compile(r"^\s*(https?\s*:\s*/\s*/\s*\S.*|www\s*\.\s*\S+\s*\..*)$", re.IGNORECASE)
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2]|[a-z]{3,9})[/_-](0?[1-9]|[12]\d|3[01])(?!\d)",
                      re.IGNORECASE)
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2]|[a-z]{3,9})(?:/|$)", re.IGNORECASE)
_URL_SECTION_DAY = re.compile(r"/((?:19|20)\d\d)/[a-z]+/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/",
                              re.IGNORECASE)  # cnn.com/2009/POLITICS/03/03/
_URL_YEAR = re.compile(r"/((?:19|20)\d\d)(?:/|$)")
_URL_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
_MONTH = r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "Jun 14 2022 (IPS) -", "June 14, 2022 -", "afrol News, 27 January -", "LIMA, 3 March 2021:",
# "WASHINGTON, June 14 (Reuters) -": a date at the very head of the text, or after a short
# prefix ending in a comma (an outlet or a dateline place), followed by a dash, colon or slash.
_TEXT_DATELINE = re.compile(
    r"^(?:(?P<prefix>[^\n,.;:!?]{1,40}),\s*)?(?:" + _MONTH +
    r"\s+(?P<day>\d{1,2}),?(?:\s+(?P<year>(?:19|20)\d\d))?"
    r"|(?P<day2>\d{1,2})\s+" + _MONTH.replace("month", "month2") +
    r"(?:,?\s+(?P<year2>(?:19|20)\d\d))?)\b\s*(?:\([^()]{1,30}\)\s*)?(?:-|–|—|:|/)\s*",
    re.IGNORECASE)


# A short line near the head that is a date and little else: "21 July 2013 Last updated at 11 :
# 11 GMT", "Sunday , 21 July 2013", "on Apr 12 2007", "updated 8 : 41 p . m . EST , Tue March 3 ,
# 2009", "12 January 2010 @ 09 : 29 pm". A sentence that mentions a date is not one.
_FULL_DATE = re.compile(
    r"\b(?:(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)"
    r"|" + _MONTH.replace("month", "month2") + r"\s+(?P<day2>\d{1,2})\s*,?\s+(?P<year2>(?:19|20)\d\d)"
    r"|(?P<year3>(?:19|20)\d\d)\s*-\s*(?P<month3>0?[1-9]|1[0-2])\s*-\s*(?P<day3>0?[1-9]|[12]\d|3[01]))\b",
    re.IGNORECASE)
_DATE_LINE_WORDS = re.compile(
    r"\b(?:last|updated?|published|posted|on|at|created|modified|date|mon|tue|wed|thu|fri|sat|sun"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|[ap]\s*\.?\s*m|gmt|utc|bst|est|edt"
    r"|cet|cest|pst|pdt|ist|hrs|ago|uk|et)\b|\d+(?:[ap]m)?|[^\w\s]", re.IGNORECASE)


def loose_date_line(line: str) -> dt.date | None:
    """The date of a short line that holds a full date and nothing but date furniture."""
    if len(line.split()) > 24:
        return None
    match = _FULL_DATE.search(line)
    if not match:
        return None
    rest = _DATE_LINE_WORDS.sub(" ", line[:match.start()] + " " + line[match.end():])
    if len(rest.split()) > 1:
        return None
    groups = match.groupdict()
    year = groups["year"] or groups["year2"] or groups["year3"]
    month = groups["month"] or groups["month2"] or groups["month3"]
    day = groups["day"] or groups["day2"] or groups["day3"]
    return _make_date(year, month, day)


def take_url_line(text: str) -> tuple[str | None, str]:
    """The URL on the first non-empty line of ``text``, if there is one, and the rest of it."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    if not _URL_LINE.match(first):
        return None, text
    url = "".join(first.split())
    if not url.lower().startswith("http"):
        url = "http://" + url
    return url, rest


def url_date(url: str | None) -> dt.date | None:
    """A date written in a URL: ``/2022/06/09/``, ``2022-06-09``, ``20220720``, or ``/2022/07/``
    (the first of the month)."""
    if not url:
        return None
    for pattern, has_day in ((_URL_DAY, True), (_URL_COMPACT, True), (_URL_SECTION_DAY, True),
                             (_URL_MONTH, False)):
        for match in pattern.finditer(url):
            day = _make_date(match.group(1), match.group(2), match.group(3) if has_day else "1")
            if day is not None:
                return day
    return None


def url_year(url: str | None) -> int | None:
    """A year standing alone as a segment of a URL's path ("/articles/2011/x")."""
    match = _URL_YEAR.search(url or "")
    return int(match.group(1)) if match else None


def text_dateline_date(text: str, year: int | None) -> dt.date | None:
    """The date at the head of the text ("Jun 14 2022 (IPS) -"); a date without a year takes
    ``year`` (from the URL), else none is given."""
    match = _TEXT_DATELINE.match(text[:120])
    if not match:
        return None
    month = match.group("month") or match.group("month2")
    day = match.group("day") or match.group("day2")
    found_year = match.group("year") or match.group("year2") or (str(year) if year else None)
    return _make_date(found_year, month, day) if found_year else None


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
    if number is None:
        return None
    try:
        return dt.date(int(year), number, int(day))
    except ValueError:
        return None


@functools.cache
def _outlets() -> dict[str, tuple[str, str | None]]:
    return read_outlets(data_path("outlets.tsv"))


def read_outlets(path: Path) -> dict[str, tuple[str, str | None]]:
    """An outlets file (domain, name, country; tab-separated, no header) by domain."""
    table: dict[str, tuple[str, str | None]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ConfigError(Errors.E303.format(path=path, line=number,
                                                 detail="expected domain, name, country"))
        table[parts[0].strip().lower()] = (parts[1].strip(), parts[2].strip() or None)
    return table


def outlet_of(url: str | None, table: dict[str, tuple[str, str | None]] | None = None
              ) -> tuple[str, str | None] | None:
    """The outlet (name, country) of a URL's domain, from ``table`` (default
    ``data/outlets.tsv``): the longest listed suffix of the host, so ``edition.cnn.com`` is
    CNN."""
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    parts = host.removeprefix("www.").split(".")
    table = _outlets() if table is None else table
    for start in range(len(parts) - 1):
        found = table.get(".".join(parts[start:]))
        if found:
            return found
    return None


@functools.cache
def _media() -> dict[str, tuple[str, str | None]]:
    """data/actors/media.tsv by lower-cased name and alias: (code, country)."""
    table: dict[str, tuple[str, str | None]] = {}
    for row in read_tsv(data_path("actors") / "media.tsv"):
        for name in (row["name"], *split_list(row.get("aliases") or "")):
            key = name.strip().lower().removeprefix("the ")
            if key:
                table.setdefault(key, (row["code"], row.get("country") or None))
    return table


def media_code(outlet: str | None, country: str | None,
               media: dict[str, tuple[str, str | None]] | None = None) -> str | None:
    """The media actor code of an outlet: its row in ``data/actors/media.tsv`` by name or alias
    (the outlets table joined to the media table), else ``<country>MED`` when its country is
    known, else None."""
    if outlet:
        found = (_media() if media is None else media).get(
            outlet.strip().lower().removeprefix("the "))
        if found:
            return found[0]
    return f"{country}MED" if country else None


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")


def _tidy(line: str) -> str:
    return " ".join(line.split())


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines as paragraphs: each non-empty line is a paragraph (news text puts one per line)."""
    return [line for line in lines if line]


def _headline_like(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 25 or line[0].islower():
        return False
    if re.search(r"[.,;:]$", line):
        return False
    return True


def _skip_trailer_links(lines: list[str], index: int, result: Cleaned) -> int:
    """The index of the first line from ``index`` on that is neither blank nor link-like: the
    link lines of a trailer list ("Related News" and the links below it) skipped, each recorded
    in ``result.removed`` as a trailer."""
    while index < len(lines) and (not lines[index] or _link_like(lines[index])):
        if lines[index]:
            result.removed.append(("trailer", lines[index]))
        index += 1
    return index


def _link_like(line: str) -> bool:
    """A short line with no sentence ending: a link in a trailer list."""
    return len(line.split()) <= 15 and not _SENTENCE_END.search(line)


def _is_dateline(line: str) -> bool:
    return bool(_DATELINE_CAPS.match(line) or _DATELINE_TITLE.match(line))
