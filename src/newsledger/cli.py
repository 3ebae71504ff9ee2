"""The ``newsledger`` command: a thin shell over the public ``newsledger`` API.

Every listing takes ``--json``. The ledger is ``--db PATH``, else ``$NEWSLEDGER_DB``, else
``./newsledger.db``. Exit status: 0 when all went well, 1 when some inputs failed, 2 for an error
that stopped the command, 3 when newsledger itself failed (a bug: the traceback is printed).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

import newsledger
from newsledger import Ledger, NewsledgerError

app = typer.Typer(
    name="newsledger",
    help="Turn news into a ledger of political events: who did what to whom, and who says so.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="NEWSLEDGER_DB", help="The ledger file (SQLite).",
                 show_default=True),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CoderOption = Annotated[str, typer.Option(
    "--coder", help="Event coder: 'model' (the learned coder, refined by the lexicon) or "
    "'rules' (the lexicon alone: faster, less accurate).")]
Since = Annotated[str | None, typer.Option(help="On or after (YYYY-MM-DD).")]
Until = Annotated[str | None, typer.Option(help="On or before (YYYY-MM-DD).")]


class _State:
    db: Path = Path("newsledger.db")
    dictionaries: tuple[str, ...] = ()


state = _State()


@app.callback()
def _main(
    db: DbOption = Path("newsledger.db"),
    dictionary: Annotated[list[Path] | None, typer.Option(
        "--dictionary", envvar="NEWSLEDGER_DICTIONARIES",
        help="A PETRARCH/Phoenix actor or agents dictionary to use beside newsledger's own "
             "(repeatable; a file named *agents* is read as agents).")] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        out.print(newsledger.__version__)
        raise typer.Exit()
    state.db = db
    state.dictionaries = tuple(str(d) for d in dictionary or ())
    for path in state.dictionaries:
        if not Path(path).is_file():
            raise NewsledgerError(f"--dictionary {path}: no such file")


def _open(readonly: bool = False, coder: str = "model") -> Ledger:
    return Ledger(state.db, readonly=readonly, dictionaries=state.dictionaries, coder=coder)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# -- ingest ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _cluster(address: str | None):
    if address is None:
        yield None
        return
    from newsledger.scale import cluster

    with cluster(address) as client:
        yield client


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(
        help="Files, folders, globs, http(s) URLs, or - for standard input.", metavar="PATH...")],
    workers: Annotated[int, typer.Option("--workers", "-j", min=1,
                                         help="Processes that parse and analyse.")] = 1,
    max_bytes: Annotated[int, typer.Option(help="Largest input accepted, in bytes.")] = 10_000_000,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per URL.")] = 20.0,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Fetch URLs on loopback, private and link-local addresses too "
        "(refused by default).")] = False,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="ADDRESS", help="Parse and analyse on a Dask cluster: a scheduler "
        "address (tcp://host:8786), or local[:N] for N local worker processes.")] = None,
    coder: CoderOption = "model",
    as_json: JsonOption = False,
) -> None:
    """Read articles, clean them, code them and store them in the ledger."""
    with _open(coder=coder) as ledger, _cluster(dask) as client, _progress() as bar:
        task = bar.add_task("ingesting", total=None)

        def advance(report: newsledger.IngestReport) -> None:
            bar.update(task, completed=report.seen,
                       description=f"{report.added} added, {report.duplicates} duplicates, "
                                   f"{len(report.failed)} failed")

        report = ledger.ingest(inputs, workers=workers, max_bytes=max_bytes, timeout=timeout,
                               progress=advance, client=client, allow_private=allow_private)
    if as_json:
        _print_json(report.to_dict())
    else:
        rate = report.words / report.seconds if report.seconds else 0.0
        out.print(f"{report.added} added, {report.duplicates} duplicates, {report.unchanged} "
                  f"unchanged, {len(report.failed)} failed, {len(report.skipped)} skipped "
                  f"({report.seconds:.1f} s, {rate:,.0f} words/s) → {state.db}")
        for problem in report.skipped:
            err.print(f"[yellow]skipped[/] {problem.source}: {problem.message}", highlight=False)
        for problem in report.failed:
            err.print(f"[red]failed[/] {problem.source}: {problem.message}", highlight=False)
    if report.failed:
        raise typer.Exit(1)


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    TextColumn("{task.completed} inputs"), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


# -- articles ----------------------------------------------------------------------------------


@app.command()
def articles(
    search: Annotated[str | None, typer.Option(help="Full-text search: every word must appear.")
                      ] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    duplicates: Annotated[bool, typer.Option(help="Include near-duplicates.")] = True,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List articles, newest first (best match first with --search)."""
    with _open() as ledger:
        found = ledger.articles(search=search, outlet=outlet, since=since, until=until,
                                duplicates=duplicates, limit=limit, offset=offset)
    if as_json:
        _print_json([_article_json(a) for a in found])
        return
    table = Table(show_lines=False)
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("outlet")
    table.add_column("title", ratio=3)
    table.add_column("dateline")
    table.add_column("duplicate of", no_wrap=True)
    for article in found:
        title = article.title or (article.text[:70] + "…" if len(article.text) > 70 else article.text)
        dateline = (f"{article.dateline.place} ({article.dateline.country or '?'})"
                    if article.dateline else "")
        table.add_row(article.id, article.published or "", article.outlet or "", title, dateline,
                      article.duplicate_of or "")
    out.print(table)


def _article_json(article: newsledger.Article) -> dict[str, Any]:
    data = article.to_dict()
    data.pop("source", None)
    return data


@app.command()
def show(article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or prefix.")],
         as_json: JsonOption = False) -> None:
    """Show one article: its metadata, where it was read from, and its text."""
    with _open() as ledger:
        article = ledger.article(article_id)
        sources = ledger.sources(article.id)
    if as_json:
        data = _article_json(article)
        data["sources"] = sources
        _print_json(data)
        return
    out.print(f"[bold]{article.title or '(no title)'}[/]")
    out.print(f"id {article.id}  published {article.published or '?'}  outlet "
              f"{article.outlet or '?'}")
    if article.dateline:
        out.print(f"dateline {article.dateline.place} ({article.dateline.country or '?'})")
    if article.duplicate_of:
        out.print(f"near-duplicate of {article.duplicate_of} (overlap {article.similarity})")
    for source in sources:
        out.print(f"read from {source['source']}", highlight=False)
    out.print()
    out.print(article.text, highlight=False)


@app.command()
def events(
    actor: Annotated[str | None, typer.Option(help="Source or target (code or country).")] = None,
    source: Annotated[str | None, typer.Option(help="Source actor code or country.")] = None,
    target: Annotated[str | None, typer.Option(help="Target actor code or country.")] = None,
    cameo: Annotated[str | None, typer.Option(help="CAMEO code (112) or root (11).")] = None,
    quad: Annotated[int | None, typer.Option(min=1, max=4, help="Quad class 1-4.")] = None,
    plover: Annotated[str | None, typer.Option(help="PLOVER event type.")] = None,
    since: Since = None,
    until: Until = None,
    article: Annotated[str | None, typer.Option(help="One article's events (id).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List coded events: who did what to whom, with the sentence behind each."""
    with _open() as ledger:
        found = ledger.events(actor=actor, source=source, target=target, cameo=cameo,
                              quad_class=quad, plover=plover, since=since, until=until,
                              article=article, limit=limit, offset=offset)
    if as_json:
        _print_json([e.to_dict() for e in found])
        return
    table = Table("date", "source", "event", "target", "evidence", "conf")
    for event in found:
        what = f"{event.cameo} {event.plover_event or ''}"
        if event.polarity == "negative":
            what += " (not)"
        table.add_row(event.date or "", event.source.code if event.source else "",
                      what, event.target.code if event.target else "",
                      event.sentence_text, f"{event.confidence:.2f}")
    out.print(table)


@app.command()
def claims(
    status: Annotated[str | None, typer.Option(
        help="reported, disputed, denied or confirmed.")] = None,
    actor: Annotated[str | None, typer.Option(
        help="An actor asserting, denying, doing or suffering it (code or country).")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List claims: events someone asserts, and who denies or confirms them."""
    from newsledger.model import CLAIM_STATUSES

    if status and status not in CLAIM_STATUSES:
        raise NewsledgerError(f"--status must be one of {', '.join(CLAIM_STATUSES)}")
    with _open() as ledger:
        found = ledger.claims(status=status, actor=actor, limit=limit, offset=offset)
        events = {c.event_id: ledger.event(c.event_id) for c in found}
    if as_json:
        _print_json([c.to_dict() | {"event": events[c.event_id].to_dict()
                                    if events[c.event_id] else None} for c in found])
        return
    table = Table("status", "claim", "asserted by", "denied by", "evidence")
    for claim in found:
        event = events[claim.event_id]
        what = (f"{event.source.code if event.source else '?'} {event.cameo} "
                f"{event.target.code if event.target else ''}") if event else claim.event_id
        table.add_row(claim.status, what, ", ".join(claim.asserted_by),
                      ", ".join(claim.denied_by), event.sentence_text if event else "")
    out.print(table)


@app.command()
def extract(
    source: Annotated[str, typer.Argument(help="A text file, or - for standard input.")] = "-",
    published: Annotated[str | None, typer.Option(help="The article's date (YYYY-MM-DD).")
                         ] = None,
    coder: CoderOption = "model",
) -> None:
    """Code one text without a ledger and print what was found as JSON."""
    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise newsledger.InputError(source, str(exc)) from None
    _print_json(newsledger.extract(text, published, dictionaries=state.dictionaries,
                                   coder=coder).to_dict())


@app.command()
def actors(
    country: Annotated[str | None, typer.Option(help="Only actors of this country (ISO-3).")
                       ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List the actors the ledger's articles name, most mentioned first."""
    with _open() as ledger:
        found = ledger.actors(country=country.upper() if country else None, limit=limit,
                              offset=offset)
    if as_json:
        _print_json(found)
        return
    table = Table("code", "name", "country", "sector", "mentions", "articles")
    for row in found:
        table.add_row(row["code"], row["name"], row["country"] or "", row["sector"] or "",
                      str(row["mentions"]), str(row["articles"]))
    out.print(table)


@app.command()
def actor(code: Annotated[str, typer.Argument(help="An actor code, e.g. PRKGOV.")],
          as_json: JsonOption = False) -> None:
    """Show one actor: its names, counts, and where it is mentioned, with the rule used."""
    with _open() as ledger:
        found = ledger.actor(code)
    if found is None:
        raise NewsledgerError(f"no actor with code '{code}' in {state.db}")
    if as_json:
        _print_json(found)
        return
    out.print(f"[bold]{found['code']}[/]  {', '.join(found['names'][:5])}")
    out.print(f"country {found['country'] or '?'}  sector {found['sector'] or '-'}  "
              f"{found['mention_count']} mentions in {found['articles']} articles")
    table = Table("article", "published", "text", "rule")
    for mention in found["mentions"]:
        table.add_row(mention["article_id"], mention["published"] or "", mention["text"],
                      mention["rule"])
    out.print(table)


By = Annotated[str, typer.Option("--by", help="day, week or month.")]


@app.command()
def stories(
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    min_articles: Annotated[int, typer.Option(min=1, help="Only stories this big.")] = 1,
    as_json: JsonOption = False,
) -> None:
    """List stories: articles about one developing event, most recently active first."""
    with _open() as ledger:
        found = ledger.stories(limit=limit, offset=offset, min_articles=min_articles)
    if as_json:
        _print_json(found)
        return
    table = Table("id", "label", "from", "to", "articles", "outlets")
    for story_row in found:
        table.add_row(story_row["id"], story_row["label"], story_row["first_date"] or "",
                      story_row["last_date"] or "", str(story_row["articles"]),
                      ", ".join(story_row["outlets"]))
    out.print(table)


@app.command()
def story(story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id or prefix.")],
          by: By = "day", as_json: JsonOption = False) -> None:
    """Show one story: its timeline, articles and claims."""
    _check_period(by)
    with _open() as ledger:
        found = ledger.story(story_id, by=by)
        events = {}
        if found:
            events = {c.event_id: ledger.event(c.event_id) for c in found["claims"]}
    if found is None:
        raise NewsledgerError(f"no story with id '{story_id}' in {state.db}")
    if as_json:
        _print_json(found | {"events": [e.to_dict() for e in found["events"]],
                             "claims": [c.to_dict() for c in found["claims"]]})
        return
    out.print(f"[bold]{found['label']}[/]  ({found['first_date'] or '?'} – "
              f"{found['last_date'] or '?'}, {found['articles']} articles, outlets: "
              f"{', '.join(found['outlets']) or '?'})")
    timeline_table = Table("period", "events", "coop verbal", "coop material", "conflict verbal",
                           "conflict material", "mean Goldstein", title="timeline")
    for entry in found["timeline"]:
        q = entry["quad_classes"]
        timeline_table.add_row(entry["period"], str(entry["events"]), str(q["1"]), str(q["2"]),
                               str(q["3"]), str(q["4"]), f"{entry['mean_goldstein']:+.2f}")
    out.print(timeline_table)
    articles_table = Table("article", "published", "outlet", "title", title="articles")
    for article in found["article_list"]:
        articles_table.add_row(article["id"], article["published"] or "", article["outlet"] or "",
                               article["title"] or "")
    out.print(articles_table)
    if found["claims"]:
        claims_table = Table("status", "claim", "asserted by", "denied by", title="claims")
        for claim in found["claims"]:
            event = events.get(claim.event_id)
            what = (f"{event.source.code if event.source else '?'} {event.cameo} "
                    f"{event.target.code if event.target else ''}") if event else ""
            claims_table.add_row(claim.status, what, ", ".join(claim.asserted_by),
                                 ", ".join(claim.denied_by))
        out.print(claims_table)


def _check_period(by: str) -> None:
    if by not in ("day", "week", "month"):
        raise NewsledgerError(f"--by must be day, week or month, not '{by}'")


def _print_series(title: str, entries: list[dict[str, Any]]) -> None:
    table = Table("period", "events", "coop verbal", "coop material", "conflict verbal",
                  "conflict material", "mean Goldstein", title=title)
    for entry in entries:
        q = entry["quad_classes"]
        table.add_row(entry["period"], str(entry["events"]), str(q["1"]), str(q["2"]),
                      str(q["3"]), str(q["4"]), f"{entry['mean_goldstein']:+.2f}")
    out.print(table)


@app.command()
def timeline(
    actor: Annotated[str, typer.Option(help="Actor code or country, e.g. PRK.")],
    target: Annotated[str | None, typer.Option(help="Only events towards this actor.")] = None,
    by: By = "day",
    since: Since = None,
    until: Until = None,
    as_json: JsonOption = False,
) -> None:
    """An actor's events over time: counts by quad class and mean Goldstein per period."""
    _check_period(by)
    with _open() as ledger:
        found = ledger.timeline(actor, target=target, by=by, since=since, until=until)
    if as_json:
        _print_json(found)
        return
    _print_series(f"{actor.upper()}{' → ' + target.upper() if target else ''} by {by}", found)


@app.command()
def dyad(
    first: Annotated[str, typer.Argument(help="An actor code or country.")],
    second: Annotated[str, typer.Argument(help="Another actor code or country.")],
    by: By = "week",
    since: Since = None,
    until: Until = None,
    as_json: JsonOption = False,
) -> None:
    """The events between two actors, each way, by day, week or month."""
    _check_period(by)
    with _open() as ledger:
        found = ledger.dyad(first, second, by=by, since=since, until=until)
    if as_json:
        _print_json(found)
        return
    _print_series(f"{found['first']} → {found['second']}", found["forward"])
    _print_series(f"{found['second']} → {found['first']}", found["backward"])


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(
        envvar="NEWSLEDGER_TOKEN", help="Enable POST /api/ingest for requests bearing this "
                                        "token (without one the server never writes).")] = None,
    max_body: Annotated[int, typer.Option(help="Largest request body, in bytes.")] = 5_000_000,
) -> None:
    """Serve the web page and the JSON API (OpenAPI docs at /docs) over the ledger."""
    import uvicorn

    from newsledger.web import create_app

    web_app = create_app(state.db, token=token, max_body=max_body)
    err.print(f"serving {state.db} on http://{host}:{port}/ "
              f"({'read-write with a token' if token else 'read-only'})")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path | None, typer.Option(
        help="Folder of gold files (default: ../shared/data/gold).")] = None,
    only: Annotated[list[str] | None, typer.Option(
        help="Scorers to run (repeatable): petr2-gsr, plover, pentacode, source-target, "
             "plover-actors, petrarch-unittest-actors, stories.")] = None,
    coder: CoderOption = "model",
    as_json: JsonOption = False,
) -> None:
    """Score newsledger on the frozen dev split of the gold data and print the figures."""
    from newsledger.evaluate import Score, run
    from newsledger.events.training import shared_folder

    folder = gold or shared_folder() / "data" / "gold"
    results = run(folder, only=only, coder=coder)
    if as_json:
        _print_json([r.to_dict() if isinstance(r, Score) else {"error": str(r)}
                     for r in results])
        return
    for result in results:
        if not isinstance(result, Score):
            err.print(f"[yellow]skipped[/] {result}")
            continue
        table = Table(title=f"{result.name} — {result.gold}", title_justify="left",
                      caption=result.method, caption_justify="left")
        table.add_column("figure")
        table.add_column("value", justify="right")
        for key, value in result.figures.items():
            table.add_row(key, f"{value:.3f}")
        for key, value in result.counts.items():
            table.add_row(key, str(value))
        out.print(table)
        for note in result.notes:
            out.print(f"  note: {note}", highlight=False)


@app.command()
def stats(as_json: JsonOption = False) -> None:
    """Counts of what the ledger holds."""
    with _open() as ledger:
        counts = ledger.stats()
    if as_json:
        _print_json(counts)
        return
    table = Table("what", "count")
    for key, value in counts.items():
        table.add_row(key, f"{value:,}")
    out.print(table)


@app.command(name="export")
def export_command(
    format: Annotated[str, typer.Option(
        "--format", "-f", help="csv, gdelt (GDELT 2.0 event table), plover (PLOVER/POLECAT "
                               "JSON lines), parquet or jsonl.")] = "csv",
    out_path: Annotated[str | None, typer.Option(
        "--out", "-o", metavar="PATH", help="Where to write (a folder with --partition); "
                                            "standard output when omitted (not for parquet).")
                        ] = None,
    table: Annotated[str, typer.Option(
        help="events, articles, claims, stories or mentions.")] = "events",
    partition: Annotated[str | None, typer.Option(
        help="month: a folder of monthly Parquet files (hive-style month=YYYY-MM).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output.")
                     ] = False,
    actor: Annotated[str | None, typer.Option(help="Source or target (code or country).")] = None,
    source: Annotated[str | None, typer.Option(help="Source actor code or country.")] = None,
    target: Annotated[str | None, typer.Option(help="Target actor code or country.")] = None,
    cameo: Annotated[str | None, typer.Option(help="CAMEO code (112) or root (11).")] = None,
    quad: Annotated[int | None, typer.Option(min=1, max=4, help="Quad class 1-4.")] = None,
    plover: Annotated[str | None, typer.Option(help="PLOVER event type.")] = None,
    since: Since = None,
    until: Until = None,
    article: Annotated[str | None, typer.Option(help="One article's events (id).")] = None,
    story: Annotated[str | None, typer.Option(help="One story's events (id).")] = None,
    status: Annotated[str | None, typer.Option(
        help="Events whose claim is reported, disputed, denied or confirmed.")] = None,
    polarity: Annotated[str | None, typer.Option(help="positive or negative.")] = None,
    modality: Annotated[str | None, typer.Option(
        help="asserted, possible, intended, future, conditional, background or denied.")
                        ] = None,
    min_corroboration: Annotated[int | None, typer.Option(
        help="Events reported independently at least this often.")] = None,
    min_confidence: Annotated[float | None, typer.Option(help="Confidence at least this.")
                              ] = None,
    as_json: JsonOption = False,
) -> None:
    """Export a table for pandas, R, DuckDB, GDELT or POLECAT tools, streaming; it takes the
    filters of 'events'. Columns: docs/schema.md."""
    filters = dict(actor=actor, source=source, target=target, cameo=cameo, quad_class=quad,
                   plover=plover, since=since, until=until, article=article, story=story,
                   status=status, polarity=polarity, modality=modality,
                   min_corroboration=min_corroboration, min_confidence=min_confidence)
    bar = Progress(SpinnerColumn(), TextColumn("exporting {task.fields[what]}"), BarColumn(),
                   TextColumn("{task.completed:,} rows"), TimeElapsedColumn(),
                   console=err, transient=True, disable=not err.is_terminal)
    with _open() as ledger, bar:
        task = bar.add_task("export", total=None, what=table)

        def advance(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        report = ledger.export(out_path or "-", format=format, table=table,
                               partition=partition, force=force, progress=advance, **filters)
    if out_path is None:
        return
    if as_json:
        _print_json(report.to_dict())
    else:
        out.print(f"{report.rows:,} {table} rows → {report.path} ({report.format}, "
                  f"{report.seconds:.1f} s)", highlight=False)


def main() -> None:
    """Entry point of the ``newsledger`` console script."""
    try:
        app()
    except NewsledgerError as error:
        err.print(f"[red]error:[/] {error}", highlight=False)
        sys.exit(2)
    except Exception:  # a bug in newsledger, never to be taken for "some inputs failed" (1)
        import traceback

        traceback.print_exc()
        err.print("[red]internal error:[/] newsledger failed; please report it with the "
                  "traceback above", highlight=False)
        sys.exit(3)


if __name__ == "__main__":
    main()
