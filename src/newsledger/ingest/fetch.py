"""Fetch one ``http(s)`` URL, with a time-out and a size cap; no other scheme is followed."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..errors import Errors, InputError
from ..model import RawDocument
from .sources import Item, ReadOptions, _html_document, _text_document, read_feed

ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "newsledger/0.1 (+https://github.com/newsledger)"


def fetch_url(url: str, options: ReadOptions) -> Iterator[Item]:
    """Yield the document behind ``url`` (a page, a feed's entries, or plain text)."""
    import httpx

    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        yield InputError(url, Errors.E109.format(scheme=scheme))
        return
    try:
        with httpx.Client(follow_redirects=True, timeout=options.timeout,
                          headers={"User-Agent": USER_AGENT}, max_redirects=5) as client:
            with client.stream("GET", url) as response:
                if response.url.scheme not in ALLOWED_SCHEMES:
                    yield InputError(url, Errors.E109.format(scheme=response.url.scheme))
                    return
                if response.status_code >= 400:
                    yield InputError(url, Errors.E110.format(detail=f"HTTP {response.status_code}"))
                    return
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > options.max_bytes:
                    yield InputError(url, Errors.E105.format(size=declared, limit=options.max_bytes))
                    return
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > options.max_bytes:
                        yield InputError(url, Errors.E105.format(size=f"over {options.max_bytes}",
                                                                 limit=options.max_bytes))
                        return
                    chunks.append(chunk)
                content_type = response.headers.get("content-type", "").lower()
                final_url = str(response.url)
    except httpx.HTTPError as exc:
        yield InputError(url, Errors.E110.format(detail=str(exc) or type(exc).__name__))
        return
    data = b"".join(chunks)
    if any(kind in content_type for kind in ("rss", "atom")) or (
        "xml" in content_type and (b"<rss" in data[:2000] or b"<feed" in data[:2000])
    ):
        yield from read_feed(data, url)
    elif "text/plain" in content_type:
        for item in _text_document(data, url):
            if isinstance(item, RawDocument):
                item.url = final_url
            yield item
    else:
        yield from _html_document(data, url, url=final_url)
