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
from ..gazetteer import Gazetteer, data_path, gazetteer, normalise
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


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    max_words: int


class CleaningRules:
    """The furniture patterns of ``data/cleaning.yaml`` (or a user's file of the same shape)."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or data_path("cleaning.yaml")
        try:
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

    def __init__(self, rules: CleaningRules | None = None, places: Gazetteer | None = None) -> None:
        self.rules = rules or default_rules()
        self.places = places or gazetteer()

    # -- HTML ------------------------------------------------------------------------------------

    def clean_html(self, html: str | bytes, *, url: str | None = None, title: str | None = None
                   ) -> Cleaned:
        """Extract the main text of a page with trafilatura, then clean it as text."""
        import trafilatura

        extracted = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=False,
        )
        text = getattr(extracted, "text", None) if extracted is not None else None
        if not text or not text.strip():
            return Cleaned(text="")
        cleaned = self.clean_text(text, title=title or extracted.title)
        cleaned.published = cleaned.published or dates.parse_date(extracted.date)
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
        kept: list[str] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            if not line:
                kept.append("")
                continue
            if result.title and normalise(line) == normalise(result.title):
                result.removed.append(("title", line))
                continue
            day = dates.parse_date_line(line)
            if day is not None:
                result.published = result.published or day
                result.removed.append(("date", line))
                continue
            kind = self.rules.furniture(line)
            if kind == "trailer":
                result.removed.append((kind, line))
                while index < len(lines) and (not lines[index] or _link_like(lines[index])):
                    if lines[index]:
                        result.removed.append((kind, lines[index]))
                    index += 1
                continue
            if kind:
                result.removed.append((kind, line))
                continue
            for pattern in self.rules.inline:
                stripped = pattern.sub("", line).strip()
                if stripped != line:
                    result.removed.append(("inline", line))
                    line = stripped
            if line:
                kept.append(line)
        paragraphs = _paragraphs(kept)
        if paragraphs:
            paragraphs[0] = self._take_dateline(paragraphs[0], result)
        result.text = "\n\n".join(p for p in paragraphs if p)
        return result

    def _take_title(self, lines: list[str], result: Cleaned) -> list[str]:
        if result.title:
            return lines
        for position, line in enumerate(lines):
            if not line:
                continue
            if _headline_like(line) and self.rules.furniture(line) is None and not _is_dateline(
                line) and any(lines[position + 1:]):
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

    Raises ``InputError`` (E111) when nothing of the article is left.
    """
    if raw.html is not None:
        cleaned = cleaner.clean_html(raw.html, url=raw.url, title=raw.title)
    else:
        cleaned = cleaner.clean_text(raw.text or "", title=raw.title)
    if not cleaned.text.strip():
        raise InputError(raw.source, Errors.E111)
    cleaned.published = dates.parse_date(raw.published) or cleaned.published
    cleaned.outlet = raw.outlet or cleaned.outlet
    cleaned.url = raw.url or cleaned.url
    return cleaned


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


def _link_like(line: str) -> bool:
    """A short line with no sentence ending: a link in a trailer list."""
    return len(line.split()) <= 15 and not _SENTENCE_END.search(line)


def _is_dateline(line: str) -> bool:
    return bool(_DATELINE_CAPS.match(line) or _DATELINE_TITLE.match(line))
