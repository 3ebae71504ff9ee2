"""Fetch one ``http(s)`` URL safely: a total time limit, a size cap, a redirect limit, and no
request to the host's own network.

By default a URL is refused when its host is, or resolves to, a loopback, private, link-local,
multicast, reserved or unspecified address (IPv4 or IPv6, including IPv4 addresses embedded in
IPv6 ones). The check runs when the connection is made, on the very address connected to, so a
name that resolves to a public address when first looked up and to ``127.0.0.1`` a moment later
(DNS rebinding) is still refused. Redirects are followed here, one hop at a time, and each hop is
checked the same way; only ``http`` and ``https`` are ever followed. ``allow_private`` (the
``--allow-private`` flag) turns the address check off, for feeds served on a private network.

``timeout`` bounds the whole download, not each read: every socket operation (connect, TLS
handshake, each read of the headers and of the body) is given only the time left before the
deadline, so a server that trickles its headers or body a byte at a time is cut off on time.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import typing
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from ..errors import Errors, InputError
from ..model import RawDocument
from .documents import Item, ReadOptions, html_document, read_feed, text_document

ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "newsledger/0.1 (+https://github.com/newsledger)"
MAX_REDIRECTS = 5

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT


class Refused(Exception):
    """A connection the policy forbids: ``host`` is or resolves to a non-public address."""

    def __init__(self, host: str, reason: str) -> None:
        self.host = host
        self.reason = reason
        super().__init__(f"{host} {reason}")


def address_problem(ip: IPAddress) -> str | None:
    """Why a connection to ``ip`` is refused ("is a loopback address"…), or None if it is a
    public address."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        problem = address_problem(embedded)
        return f"embeds {embedded}, which {problem}" if problem else None
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    )
    for attribute, name in checks:
        if getattr(ip, attribute):
            return f"is {name}"
    if ip.version == 4 and ip in _SHARED or not ip.is_global:
        return "is not a public address"
    return None


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, IPv4-compatible, 6to4 or NAT64 IPv6 address."""
    if ip.version != 6:
        return None
    assert isinstance(ip, ipaddress.IPv6Address)
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (int(ip) >> 32 == 0 and int(ip) > 0xFFFF):  # 64:ff9b::a.b.c.d, ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def vetted_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, all of them public; raises ``Refused`` when any is
    not (a name with one private address among public ones is refused as a whole)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    addresses = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
    for address in addresses:
        problem = address_problem(ipaddress.ip_address(address))
        if problem:
            raise Refused(host, problem if host == address
                          else f"resolves to {address}, which {problem}")
    return addresses


class Deadline:
    """The moment a download must be over by; ``left`` caps the time of one socket operation."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self, timeout: float | None, kind: type[Exception] = httpcore.ReadTimeout) -> float:
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise kind(f"time limit of {self.seconds:g} s reached")
        return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.stream = stream
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self.deadline.left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, self.deadline.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context: typing.Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        left = self.deadline.left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, left),
                               self.deadline)

    def get_extra_info(self, info: str) -> typing.Any:
        return self.stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Opens TCP connections within the deadline and, when ``guarded``, only to vetted
    addresses, resolved at connect time."""

    def __init__(self, deadline: Deadline, *, guarded: bool = True) -> None:
        self.deadline = deadline
        self.guarded = guarded

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None
                    ) -> httpcore.NetworkStream:
        if not self.guarded:
            left = self.deadline.left(timeout, httpcore.ConnectTimeout)
            stream = super().connect_tcp(host, port, left, local_address, socket_options)
            return _DeadlineStream(stream, self.deadline)
        error: Exception | None = None
        for address in vetted_addresses(host, port):
            left = self.deadline.left(timeout, httpcore.ConnectTimeout)
            try:
                stream = super().connect_tcp(address, port, left, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
            else:
                return _DeadlineStream(stream, self.deadline)
        raise error or httpcore.ConnectError(f"no address for {host}")


def http_client(options: ReadOptions, deadline: Deadline | None = None) -> httpx.Client:
    """A client that follows no redirect itself, ignores proxy settings from the environment
    (a proxy would hide the address really connected to), connects only through
    ``_GuardedBackend`` (vetting addresses unless private ones are allowed) and ends every
    socket operation by ``deadline``."""
    deadline = deadline or Deadline(options.timeout)
    transport = httpx.HTTPTransport(trust_env=False)
    # The transport's pool is rebuilt with our backend; the TLS context is the one httpx makes,
    # and TLS still checks the certificate against the URL's host name.
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001
        ssl_context=httpx.create_ssl_context(trust_env=False),
        network_backend=_GuardedBackend(deadline, guarded=not options.allow_private))
    return httpx.Client(transport=transport, follow_redirects=False, trust_env=False,
                        timeout=options.timeout,
                        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})


def _scheme_error(url: str, target: str) -> InputError | None:
    scheme = urlsplit(target).scheme.lower()
    if scheme in ALLOWED_SCHEMES:
        return None
    message = Errors.E109.format(scheme=scheme or "(none)")
    if target != url:
        message += f" (a redirect to {target})"
    return InputError(url, message)


def download(url: str, options: ReadOptions) -> tuple[str, str, bytes]:
    """The final URL, content type and body behind ``url``; raises ``InputError``.

    Every hop is checked for its scheme and (at connect time) its address; the whole download,
    redirects included, must finish within ``options.timeout`` seconds and ``options.max_bytes``.
    """
    error = _scheme_error(url, url)
    if error:
        raise error
    limit = Deadline(options.timeout)
    deadline = limit.at
    target = url
    try:
        with http_client(options, limit) as client:
            request = client.build_request("GET", url)
            for _hop in range(MAX_REDIRECTS + 1):
                _set_timeout(request, deadline, url)
                response = client.send(request, stream=True)
                try:
                    if response.next_request is not None:
                        request = response.next_request
                        # shown as sent: httpx gives "file:///x" the current host
                        target = urljoin(str(response.url), response.headers.get("location", ""))
                        error = _scheme_error(url, target) or _scheme_error(url, str(request.url))
                        if error:
                            raise error
                        continue
                    return str(response.url), _content_type(response), _body(
                        response, url, options, deadline)
                finally:
                    response.close()
            raise InputError(url, Errors.E110.format(detail=f"more than {MAX_REDIRECTS} redirects"))
    except Refused as refused:
        raise InputError(url, Errors.E120.format(
            url=target, host=refused.host, reason=refused.reason)) from None
    except httpx.InvalidURL as exc:
        raise InputError(url, Errors.E110.format(detail=f"invalid URL: {exc}")) from None
    except httpx.TimeoutException as exc:
        spent = time.monotonic() >= deadline - 0.05
        detail = f"time limit of {options.timeout:g} s reached" if spent else f"timed out ({exc})"
        raise InputError(url, Errors.E110.format(detail=detail)) from None
    except httpx.HTTPError as exc:
        raise InputError(url, Errors.E110.format(detail=str(exc) or type(exc).__name__)) from None


def _set_timeout(request: httpx.Request, deadline: float, url: str) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise InputError(url, Errors.E110.format(detail="time limit reached"))
    request.extensions["timeout"] = httpx.Timeout(left).as_dict()


def _content_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").lower()


def _body(response: httpx.Response, url: str, options: ReadOptions, deadline: float) -> bytes:
    if response.status_code >= 400:
        raise InputError(url, Errors.E110.format(detail=f"HTTP {response.status_code}"))
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > options.max_bytes:
        raise InputError(url, Errors.E105.format(size=declared, limit=options.max_bytes))
    chunks, size = [], 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > options.max_bytes:
            raise InputError(url, Errors.E105.format(size=f"over {options.max_bytes}",
                                                     limit=options.max_bytes))
        if time.monotonic() > deadline:
            raise InputError(url, Errors.E110.format(
                detail=f"time limit of {options.timeout:g} s reached"))
        chunks.append(chunk)
    data = b"".join(chunks)
    return _decoded(response, data, url, options)


def _decoded(response: httpx.Response, data: bytes, url: str, options: ReadOptions) -> bytes:
    """The body with its content encoding undone, within the size cap (no gzip bomb)."""
    encoding = response.headers.get("content-encoding", "identity").lower().strip()
    if encoding in ("", "identity"):
        return data
    if encoding not in ("gzip", "deflate", "x-gzip"):
        raise InputError(url, Errors.E110.format(detail=f"unsupported content encoding {encoding}"))
    import zlib

    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, options.max_bytes + 1)
    except zlib.error as exc:
        raise InputError(url, Errors.E110.format(detail=f"bad {encoding} body: {exc}")) from None
    if len(out) > options.max_bytes or inflater.unconsumed_tail:
        raise InputError(url, Errors.E105.format(size=f"over {options.max_bytes}",
                                                 limit=options.max_bytes))
    return out


def fetch_url(url: str, options: ReadOptions) -> Iterator[Item]:
    """Yield the document behind ``url`` (a page, a feed's entries, or plain text), or the
    ``InputError`` that says why it cannot be fetched."""
    try:
        final_url, content_type, data = download(url, options)
    except InputError as error:
        yield error
        return
    if any(kind in content_type for kind in ("rss", "atom")) or (
        "xml" in content_type and (b"<rss" in data[:2000] or b"<feed" in data[:2000])
    ):
        yield from read_feed(data, url)
    elif "text/plain" in content_type:
        for item in text_document(data, url):
            if isinstance(item, RawDocument):
                item.url = final_url
            yield item
    else:
        yield from html_document(data, url, url=final_url)
