"""The ``newsledger`` command: a thin shell over the public ``newsledger`` API.

Every listing takes ``--json``. The ledger is ``--db PATH``, else ``$NEWSLEDGER_DB``, else
``./newsledger.db``. Exit status: 0 when all went well, 1 when some inputs failed, 2 for an error
that stopped the command, 3 when newsledger itself failed (a bug: the traceback is printed).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

import newsledger
from newsledger import Ledger, NewsledgerError
from newsledger.errors import Errors, LedgerError
from newsledger.vocabulary import FilterError, cameo_name, check_code, check_filters, check_id

app = typer.Typer(
    name="newsledger",
    help="Turn news into a ledger of political events: who did what to whom, and who says so.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
# Where output is not a terminal (a pipe, a file), tables are not squeezed into 80 columns.
PIPE_WIDTH = 160


def _flag_type(self: typer.core.TyperOption, ctx: Any) -> str | None:
    """A flag (--json, --help) takes no value, so its help shows no type (not "<bool>")."""
    if self.is_flag and self.metavar is None:
        return None
    return _typed(self, ctx)


_typed = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="NEWSLEDGER_DB", help="The ledger file (SQLite).",
                 show_default=True),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
WideOption = Annotated[bool, typer.Option(
    "--wide", help="Every column, and each sentence in full (wrapped on a terminal).")]
ModelEventsOption = Annotated[bool, typer.Option(
    "--model-events", help="Also keep the learned coder's own events where the lexicon finds no "
    "act (more recall on political news, many wrong rows on general news).")]
CoderOption = Annotated[str, typer.Option(
    "--coder", help="Event coder: 'model' (the learned coder, refined by the lexicon) or "
    "'rules' (the lexicon alone: faster, less accurate).")]
Since = Annotated[str | None, typer.Option(help="On or after (YYYY-MM-DD).")]
Until = Annotated[str | None, typer.Option(help="On or before (YYYY-MM-DD).")]


class _State:
    db: Path = Path("newsledger.db")
    dictionaries: tuple[str, ...] = ()
    data: tuple[str, ...] = ()


state = _State()


@app.callback()
def _main(
    db: DbOption = Path("newsledger.db"),
    dictionary: Annotated[list[Path] | None, typer.Option(
        "--dictionary", envvar="NEWSLEDGER_DICTIONARIES",
        help="A PETRARCH/Phoenix actor or agents dictionary to use beside newsledger's own "
             "(repeatable; a file named *agents* is read as agents).")] = None,
    data: Annotated[list[Path] | None, typer.Option(
        "--data", help="A folder of knowledge over newsledger's own: actors, people, agents, "
             "verb patterns, speech cues, cleaning rules, outlets, story settings, in the files "
             "of newsledger/data (repeatable; after $NEWSLEDGER_DATA's; see the README).")
                    ] = None,
    version: Annotated[bool | None, typer.Option(
        "--version", help="Print the version and exit.", is_eager=True,
        callback=lambda value: _print_version(value))] = None,
) -> None:
    state.db = db
    state.dictionaries = tuple(str(d) for d in dictionary or ())
    state.data = _checked_folders(data)
    for path in state.dictionaries:
        if not Path(path).is_file():
            raise NewsledgerError(f"--dictionary {path}: no such file")


def _checked_folders(data: list[Path] | None) -> tuple[str, ...]:
    """The ``--data`` folders, each checked to be a folder."""
    folders = tuple(str(d) for d in data or ())
    for folder in folders:
        if not Path(folder).is_dir():
            raise NewsledgerError(f"--data {folder}: no such folder")
    return folders


def _print_warnings(warnings: list[str]) -> None:
    """Skipped lines of knowledge files (``--data``, ``--dictionary``), on standard error."""
    for warning in warnings:
        err.print(f"[yellow]warning[/] {escape(warning)}", highlight=False)


def _print_version(value: bool | None) -> None:
    if value:
        out.print(f"newsledger {newsledger.__version__}", highlight=False)
        raise typer.Exit()


def _open(readonly: bool = False, coder: str = "model", model_events: bool = False) -> Ledger:
    """The ledger at ``--db``: read-only for the commands that only read it, which never create
    a file (a missing ledger is an error saying how to make one); created when missing for
    the commands that write."""
    path = str(state.db)
    if path != ":memory:" and readonly:
        if not Path(path).is_file():
            raise LedgerError(Errors.E206.format(path=path))
    elif path != ":memory:":
        folder = Path(path).resolve().parent
        if folder.is_dir() and not os.access(folder, os.W_OK):
            detail = (f"{folder} cannot be written (read-only storage?); writing a ledger "
                      "needs its folder writable, for its journal")
            message = Errors.E203 if Path(path).exists() else Errors.E207
            raise LedgerError(message.format(path=path, detail=detail))
    try:
        try:
            return Ledger(path, readonly=readonly, dictionaries=state.dictionaries, coder=coder,
                          model_events=model_events, data=state.data)
        except LedgerError as error:
            # A ledger of an older schema is migrated once, where it may be written.
            if not (readonly and "needs migrating" in str(error) and os.access(path, os.W_OK)):
                raise
            Ledger(path, dictionaries=state.dictionaries, coder=coder, data=state.data).close()
            return Ledger(path, readonly=True, dictionaries=state.dictionaries, coder=coder,
                          data=state.data)
    except (OSError, sqlite3.Error) as error:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise LedgerError(Errors.E207.format(path=path, detail=detail)) from None


def _read() -> Ledger:
    return _open(readonly=True)


def _checked_code(argument: str, value: str) -> str:
    """An actor code given as the argument ``argument``, checked and upper-cased."""
    try:
        return check_code(argument, value)
    except FilterError as error:
        raise NewsledgerError(f"{argument} {value}: {error.message}") from None


def _checked_id(argument: str, value: str) -> str:
    """An id (or id prefix) given as the argument ``argument``, checked."""
    try:
        return check_id(argument, value)
    except FilterError as error:
        raise NewsledgerError(f"{argument} {value}: {error.message}") from None


# Option names of the filters where the CLI's differ from the API's.
_OPTION_NAMES = {"quad_class": "--quad"}


def _checked(**filters: Any) -> dict[str, Any]:
    """The filters of a command, checked against the API's vocabularies (dates, CAMEO codes,
    PLOVER types, statuses…); a bad one stops the command with an error naming the option."""
    try:
        return check_filters(filters)
    except FilterError as error:
        option = _OPTION_NAMES.get(error.name, "--" + error.name.replace("_", "-"))
        raise NewsledgerError(f"{option} {error.value}: {error.message}") from None


def _print_json(data: Any) -> None:
    """``data`` as JSON; typed results (``newsledger.results``) by their ``to_dict``."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_to_dict) + "\n")


def _to_dict(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


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
    model_events: ModelEventsOption = False,
    as_json: JsonOption = False,
) -> None:
    """Read articles, clean them, code them and store them in the ledger."""
    with _open(coder=coder, model_events=model_events) as ledger, _cluster(dask) as client, _progress() as bar:
        task = bar.add_task("ingesting", total=None)

        def advance(report: newsledger.IngestReport) -> None:
            bar.update(task, completed=report.seen,
                       description=f"{report.added} added, {report.duplicates} duplicates, "
                                   f"{len(report.failed)} failed")

        report = ledger.ingest(inputs, workers=workers, max_bytes=max_bytes, timeout=timeout,
                               progress=advance, client=client, allow_private=allow_private)
    _print_warnings(ledger.warnings)
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


@app.command()
def watch(
    feeds: Annotated[Path, typer.Argument(help="A file of RSS/Atom feed URLs, one a line.")],
    every: Annotated[str, typer.Option(help="Poll interval: 90s, 15m, 2h.")] = "15m",
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Fetch from loopback and private addresses too.")] = False,
    coder: CoderOption = "model",
) -> None:
    """Poll feeds and ingest their new articles until stopped (Ctrl-C or SIGTERM)."""
    import logging
    import signal

    from newsledger.ingest.watch import Watcher, parse_every, read_feed_list

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    with _open(coder=coder) as ledger:
        watcher = Watcher(ledger, read_feed_list(feeds), every=parse_every(every),
                          allow_private=allow_private)
        signal.signal(signal.SIGINT, watcher.stop)
        signal.signal(signal.SIGTERM, watcher.stop)
        watcher.run()


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
    dates = _checked(since=since, until=until)
    with _read() as ledger:
        found = ledger.articles(search=search, outlet=outlet, duplicates=duplicates,
                                limit=limit, offset=offset, **dates)
    if as_json:
        _print_json([_article_json(a) for a in found])
        return
    if not found:
        return _none("articles", offset)
    table = _table(("id", None), ("published", None), ("outlet", 1), ("title", 4),
                   ("dateline", 1), ("duplicate of", None))
    for article in found:
        title = article.title or _one_line(article.text)
        dateline = (f"{article.dateline.place} ({article.dateline.country or '?'})"
                    if article.dateline else "")
        table.add_row(article.id, article.published or "", article.outlet or "", title, dateline,
                      article.duplicate_of or "")
    _print_table(table)


def _article_json(article: newsledger.Article) -> dict[str, Any]:
    data = article.to_dict()
    data.pop("source", None)
    return data


@app.command()
def show(article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id or prefix.")],
         as_json: JsonOption = False) -> None:
    """Show one article: its metadata, where it was read from, and its text."""
    with _read() as ledger:
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
    cameo: Annotated[str | None, typer.Option(
        help="CAMEO code (112) or root (11); 'newsledger codes' lists them.")] = None,
    quad: Annotated[int | None, typer.Option(min=1, max=4, help="Quad class 1-4.")] = None,
    plover: Annotated[str | None, typer.Option(help="PLOVER event type (ACCUSE, AID…).")] = None,
    since: Since = None,
    until: Until = None,
    article: Annotated[str | None, typer.Option(help="One article's events (id).")] = None,
    story: Annotated[str | None, typer.Option(help="One story's events (id).")] = None,
    status: Annotated[str | None, typer.Option(
        help="Events whose claim is reported, disputed, denied or confirmed.")] = None,
    min_corroboration: Annotated[int | None, typer.Option(
        help="Events reported independently at least this often.")] = None,
    polarity: Annotated[str | None, typer.Option(help="positive or negative.")] = None,
    modality: Annotated[str | None, typer.Option(
        help="asserted, possible, intended, future, conditional, background or denied.")
                        ] = None,
    min_confidence: Annotated[float | None, typer.Option(help="Confidence at least this.")
                              ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    wide: WideOption = False,
    as_json: JsonOption = False,
) -> None:
    """List coded events: who did what to whom, with the sentence behind each, newest first."""
    filters = _checked(actor=actor, source=source, target=target, cameo=cameo,
                       quad_class=quad, plover=plover, since=since, until=until,
                       article=article, story=story, status=status,
                       min_corroboration=min_corroboration, polarity=polarity,
                       modality=modality, min_confidence=min_confidence)
    with _read() as ledger:
        found = ledger.events(limit=limit, offset=offset, **filters)
        total = (ledger.count_events(**filters) if len(found) == limit or offset
                 else offset + len(found))
    if as_json:
        _print_json([e.to_dict() for e in found])
        return
    if not found:
        return _none("events", offset)
    _print_events(found, wide=wide)
    if total > len(found):
        shown = f"{offset + 1}-{offset + len(found)}" if found else "none"
        out.print(f"showing {shown} of {total} events (--limit, --offset for more)",
                  highlight=False)


def _none(what: str, offset: int) -> None:
    """Say that a listing is empty, rather than print an empty table."""
    out.print(f"no {what} in {state.db} match" + (f" (after --offset {offset})" if offset else ""),
              highlight=False)


def _event_label(event: newsledger.Event) -> str:
    """"112 Accuse, not specified below", with "(not)" for a negated event."""
    label = f"{event.cameo} {cameo_name(event.cameo)}".strip()
    return label + (" (not)" if event.polarity == "negative" else "")


def _print_events(found: list[newsledger.Event], *, wide: bool = False) -> None:
    """Events as a table: one line per event (the sentence cut to fit); with ``wide``, more
    columns and each sentence in full."""
    if wide:
        table = _table(("id", None), ("date", None), ("source", None), ("event", 2),
                       ("target", None), ("PLOVER", None), ("modality", None),
                       ("Goldstein", None), ("conf", None), ("article", None),
                       ("evidence", 6), wrap=True)
    else:
        table = _table(("date", None), ("source", None), ("event", 2), ("target", None),
                       ("evidence", 5), ("conf", None))
    for event in found:
        source = event.source.code if event.source else ""
        target = event.target.code if event.target else ""
        sentence = _one_line(event.sentence_text)
        if wide:
            table.add_row(event.id, event.date or "", source, _event_label(event), target,
                          event.plover_event or "", event.modality, f"{event.goldstein:+.1f}",
                          f"{event.confidence:.2f}", event.article_id, sentence)
        else:
            table.add_row(event.date or "", source, _event_label(event), target, sentence,
                          f"{event.confidence:.2f}")
    _print_table(table, wide=wide)


def _one_line(text: str | None) -> str:
    """Text with its line breaks and runs of spaces made single spaces."""
    return " ".join((text or "").split())


def _table(*columns: tuple[str, int | None], wrap: bool = False, **options: Any) -> Table:
    """A table whose rows stay one line each: the text columns (those given a share) are cut
    with an ellipsis to fit the width; with ``wrap``, they wrap instead."""
    table = Table(**options)
    for name, share in columns:
        table.add_column(name, no_wrap=share is None or not wrap,
                         overflow="fold" if wrap else "ellipsis")
        if share is not None:
            _SHARES[id(table.columns[-1])] = share
    return table


_SHARES: dict[int, int] = {}  # the text columns of the tables made by _table, and their shares


def _fit(table: Table, width: int) -> None:
    """Give each text column of ``table`` its share of what the other columns leave of
    ``width``, so that no row needs a second line."""
    from rich.cells import cell_len

    def natural(column: Any) -> int:
        cells = [str(c) for c in column._cells] + [str(column.header)]
        return max(cell_len(c) for c in cells)

    flexible = [c for c in table.columns if id(c) in _SHARES]
    fixed = sum(natural(c) for c in table.columns if id(c) not in _SHARES)
    room = width - fixed - 3 * len(table.columns) - 1
    waiting = sorted(flexible, key=lambda c: natural(c) / _SHARES[id(c)])
    while waiting:  # a column narrower than its share gives the rest to the others
        total = sum(_SHARES[id(c)] for c in waiting)
        column = waiting.pop(0)
        share = max(8, room * _SHARES[id(column)] // total)
        column.width = column.max_width = min(natural(column), share)
        room -= column.width


def _print_table(table: Table, *, wide: bool = False) -> None:
    """Print a table, one line per row where it fits: at the terminal's width; into a pipe or
    a file at ``PIPE_WIDTH`` columns (or ``$COLUMNS``), and with ``wide`` as wide as its
    longest row."""
    if wide and not out.is_terminal and not os.environ.get("COLUMNS"):
        for column in table.columns:
            column.no_wrap, column.overflow = True, "ignore"
        Console(width=100_000, no_color=True, file=sys.stdout).print(table)
        return
    if wide:
        out.print(table)
        return
    width = out.width if out.is_terminal or os.environ.get("COLUMNS") else PIPE_WIDTH
    _fit(table, width)
    Console(width=width, no_color=not out.is_terminal, force_terminal=out.is_terminal,
            file=sys.stdout).print(table)


@app.command()
def event(event_id: Annotated[str, typer.Argument(
        metavar="ID", help="An event id (events --wide shows them) or a merged event id.")],
          as_json: JsonOption = False) -> None:
    """Show one event and the merged event it belongs to, with every report of it.

    Each report names its outlet and why it joined; the merged event has its corroboration
    and its claims taken together."""
    found, merged = _event_and_merged(_checked_id("ID", event_id))
    if as_json:
        _print_json((found.to_dict() if found else {}) | {"merged": merged})
        return
    if found is not None:
        _print_event(found)
    if merged is None:
        out.print("(not merged with other reports)")
        return
    out.print(_merged_summary(merged), highlight=False)
    _print_table(_reports_table(merged["mention_list"]))


def _event_and_merged(event_id: str) -> tuple[newsledger.Event | None, dict[str, Any] | None]:
    """The event of ``event_id`` and its merged event, or no event and the merged event of
    that id; an error when neither exists."""
    with _read() as ledger:
        found = ledger.event(event_id)
        merged = ledger.merged_event_of(found.id) if found else ledger.merged_event(event_id)
    if found is None and merged is None:
        raise NewsledgerError(f"no event or merged event with id '{event_id}' in {state.db} "
                              "('newsledger events --wide' shows event ids)")
    return found, merged


def _print_event(found: newsledger.Event) -> None:
    """An event's heading (who → whom: what), its codes and scores, its source and sentence."""
    source = found.source.code if found.source else "?"
    target = found.target.code if found.target else "-"
    out.print(f"[bold]{source} → {target}: {_event_label(found)}[/]", highlight=False)
    out.print(f"id {found.id}  date {found.date or '?'}  article {found.article_id}  "
              f"quad class {found.quad_class}  Goldstein {found.goldstein:+.1f}  PLOVER "
              f"{found.plover_event or '-'}  {found.modality}  confidence "
              f"{found.confidence:.2f}  rule {found.rule}", highlight=False)
    if found.attributed_to:
        out.print(f"according to {', '.join(found.attributed_to)}", highlight=False)
    out.print(_one_line(found.sentence_text), highlight=False)


def _merged_summary(merged: dict[str, Any]) -> str:
    """One line: the merged event's reports, corroboration, dates, outlets and claim."""
    line = (f"merged event {merged['id']}: {merged['mentions']} reports, corroboration "
            f"{merged['corroboration']}, {merged['date_first'] or '?'} – "
            f"{merged['date_last'] or '?'}, outlets: {', '.join(merged['outlets']) or '?'}")
    claim = merged.get("claims")
    if claim:
        line += (f"; claim {claim['status']} (asserted by {', '.join(claim['asserted_by']) or '-'}"
                 f", denied by {', '.join(claim['denied_by']) or '-'})")
    return line


def _reports_table(mentions: list[dict[str, Any]]) -> Table:
    """The merged event's reports, one row each, with why each joined."""
    table = _table(("event", None), ("article", None), ("outlet", 1), ("published", None),
                   ("date", None), ("source", None), ("code", None), ("target", None),
                   ("why it joined", 2), title="reports", title_justify="left")
    for mention in mentions:
        table.add_row(mention["id"], mention["article_id"],
                      *(mention[key] or "" for key in ("outlet", "published", "date",
                                                       "source_code")),
                      mention["cameo"], mention["target_code"] or "",
                      mention["merge_reason"] or "")
    return table


@app.command()
def codes(
    root: Annotated[str | None, typer.Argument(help="Only the codes of this root (e.g. 11).")
                    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the CAMEO codes newsledger knows: name, quad class, Goldstein, PLOVER type."""
    from newsledger.events.ontology import ontology

    if root is not None:
        root = _checked(cameo=root)["cameo"][:2]
    found = [c for c in ontology().codes.values() if root is None or c.root == root]
    if as_json:
        _print_json([{"code": c.code, "name": c.name, "root": c.root,
                      "quad_class": c.quad_class, "goldstein": c.goldstein,
                      "plover": c.plover_event} for c in found])
        return
    table = _table(("code", None), ("name", 4), ("quad", None), ("Goldstein", None),
                   ("PLOVER", None))
    for c in found:
        table.add_row(c.code, c.name, str(c.quad_class), f"{c.goldstein:+.1f}",
                      c.plover_event or "")
    _print_table(table)


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
    checked = _checked(status=status, actor=actor)
    with _read() as ledger:
        found = ledger.claims(limit=limit, offset=offset, **checked)
        events = {c.event_id: ledger.event(c.event_id) for c in found}
    if as_json:
        _print_json([c.to_dict() | {"event": events[c.event_id].to_dict()
                                    if events[c.event_id] else None} for c in found])
        return
    if not found:
        return _none("claims", offset)
    table = _table(("status", None), ("claim", 2), ("asserted by", 1), ("denied by", 1),
                   ("evidence", 4))
    for claim in found:
        event = events[claim.event_id]
        table.add_row(claim.status, _claim_label(event) if event else claim.event_id,
                      ", ".join(claim.asserted_by), ", ".join(claim.denied_by),
                      _one_line(event.sentence_text) if event else "")
    _print_table(table)


def _claim_label(event: newsledger.Event) -> str:
    """"RUS 190 Use conventional military force ---LAB": who did what to whom."""
    return " ".join(part for part in (event.source.code if event.source else "?",
                                      _event_label(event),
                                      event.target.code if event.target else "") if part)


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
    found = newsledger.extract(text, published, dictionaries=state.dictionaries, coder=coder,
                               data=state.data)
    _print_warnings(found.warnings)
    _print_json(found.to_dict())


@app.command()
def actors(
    country: Annotated[str | None, typer.Option(help="Only actors of this country (ISO-3).")
                       ] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: JsonOption = False,
) -> None:
    """List the actors the ledger's articles name, most mentioned first."""
    checked = _checked(country=country)
    with _read() as ledger:
        found = ledger.actors(limit=limit, offset=offset, **checked)
    if as_json:
        _print_json(found)
        return
    if not found:
        return _none("actors", offset)
    table = _table(("code", None), ("name", 1), ("country", None), ("sector", None),
                   ("mentions", None), ("articles", None))
    for row in found:
        table.add_row(row["code"], row["name"], row["country"] or "", row["sector"] or "",
                      str(row["mentions"]), str(row["articles"]))
    _print_table(table)


@app.command()
def actor(code: Annotated[str, typer.Argument(help="An actor code, e.g. PRKGOV.")],
          as_json: JsonOption = False) -> None:
    """Show one actor: its names, counts, and where it is mentioned, with the rule used."""
    code = _checked(actor=code)["actor"]
    with _read() as ledger:
        found = ledger.actor(code)
    if found is None:
        raise NewsledgerError(f"no actor with code '{code}' in {state.db} ('newsledger actors' "
                              "lists those it holds)")
    if as_json:
        _print_json(found)
        return
    out.print(f"[bold]{found['code']}[/]  {', '.join(found['names'][:5])}")
    out.print(f"country {found['country'] or '?'}  sector {found['sector'] or '-'}  "
              f"{found['mention_count']} mentions in {found['articles']} articles")
    table = _table(("article", None), ("published", None), ("text", 2), ("rule", 3))
    for mention in found["mentions"]:
        table.add_row(mention["article_id"], mention["published"] or "",
                      _one_line(mention["text"]), mention["rule"])
    _print_table(table)


By = Annotated[str, typer.Option("--by", help="day, week or month.")]


@app.command()
def stories(
    limit: Annotated[int, typer.Option(min=1)] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    min_articles: Annotated[int, typer.Option(min=1, help="Only stories this big.")] = 1,
    as_json: JsonOption = False,
) -> None:
    """List stories: articles about one developing event, most recently active first."""
    with _read() as ledger:
        found = ledger.stories(limit=limit, offset=offset, min_articles=min_articles)
    if as_json:
        _print_json(found)
        return
    if not found:
        return _none("stories", offset)
    table = _table(("id", None), ("label", 3), ("from", None), ("to", None),
                   ("articles", None), ("outlets", 2))
    for story_row in found:
        table.add_row(story_row["id"], story_row["label"], story_row["first_date"] or "",
                      story_row["last_date"] or "", str(story_row["articles"]),
                      ", ".join(story_row["outlets"]))
    _print_table(table)


@app.command()
def story(story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id or prefix.")],
          by: By = "day", as_json: JsonOption = False) -> None:
    """Show one story: its timeline, articles and claims."""
    _check_period(by)
    story_id = _checked_id("ID", story_id)
    with _read() as ledger:
        found = ledger.story(story_id, by=by)
        events = {}
        if found:
            events = {c.event_id: ledger.event(c.event_id) for c in found["claims"]}
    if found is None:
        raise NewsledgerError(f"no story with id '{story_id}' in {state.db} ('newsledger "
                              "stories' lists those it holds)")
    if as_json:
        _print_json(found.to_dict())
        return
    out.print(f"[bold]{found['label']}[/]  ({found['first_date'] or '?'} – "
              f"{found['last_date'] or '?'}, {found['articles']} articles, outlets: "
              f"{', '.join(found['outlets']) or '?'})")
    _print_series("timeline", found["timeline"])
    articles_table = _table(("article", None), ("published", None), ("outlet", 1),
                            ("title", 3), title="articles")
    for article in found["article_list"]:
        articles_table.add_row(article["id"], article["published"] or "", article["outlet"] or "",
                               article["title"] or "")
    _print_table(articles_table)
    if found["claims"]:
        claims_table = _table(("status", None), ("claim", 3), ("asserted by", 1),
                              ("denied by", 1), title="claims")
        for claim in found["claims"]:
            event = events.get(claim.event_id)
            claims_table.add_row(claim.status, _claim_label(event) if event else "",
                                 ", ".join(claim.asserted_by), ", ".join(claim.denied_by))
        _print_table(claims_table)


def _check_period(by: str) -> None:
    _checked(by=by)


def _print_series(title: str, entries: list[dict[str, Any]]) -> None:
    table = _table(("period", None), ("events", None), ("coop verbal", None),
                   ("coop material", None), ("conflict verbal", None),
                   ("conflict material", None), ("mean Goldstein", None), title=title,
                   title_justify="left")
    for entry in entries:
        q = entry["quad_classes"]
        table.add_row(entry["period"], str(entry["events"]), str(q["1"]), str(q["2"]),
                      str(q["3"]), str(q["4"]), f"{entry['mean_goldstein']:+.2f}")
    _print_table(table)


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
    checked = _checked(actor=actor, target=target, by=by, since=since, until=until)
    actor, target = checked.pop("actor"), checked.pop("target")
    with _read() as ledger:
        found = ledger.timeline(actor, target=target, **checked)
    if as_json:
        _print_json(found)
        return
    if not found:
        out.print(f"no events of {actor}{' towards ' + target if target else ''} in "
                  f"{state.db}{' between those dates' if since or until else ''}",
                  highlight=False)
        return
    _print_series(f"{actor}{' → ' + target if target else ''} by {by}", found)


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
    first, second = _checked_code("FIRST", first), _checked_code("SECOND", second)
    checked = _checked(by=by, since=since, until=until)
    with _read() as ledger:
        found = ledger.dyad(first, second, **checked)
    if as_json:
        _print_json(found)
        return
    if not found["forward"] and not found["backward"]:
        out.print(f"no events between {found['first']} and {found['second']} in {state.db}"
                  f"{' between those dates' if since or until else ''}", highlight=False)
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
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=1, max=64,
        help="Server processes sharing the port, each with its own read-only connections "
             "(the ledger's WAL lets them read side by side, and beside an ingest).")] = 1,
    data: Annotated[list[Path] | None, typer.Option(
        "--data", help="A folder of knowledge over newsledger's own, as 'newsledger --data' "
                       "(repeatable; after those given before the command): what posted "
                       "articles are coded and clustered with.")] = None,
) -> None:
    """Serve the web page and the JSON API (OpenAPI docs at /docs) over the ledger."""
    import uvicorn

    from newsledger.web import create_app
    from newsledger.web.app import MAX_REQUEST_HEAD, serve_environment

    folders = (*state.data, *_checked_folders(data))
    # The ledger is checked (and migrated) once, and the knowledge folders checked, here.
    web_app = create_app(state.db, token=token, max_body=max_body, data=folders)
    _print_warnings(web_app.state.knowledge.warnings)
    err.print(f"serving {state.db} on http://{host}:{port}/ "
              f"({'read-write with a token' if token else 'read-only'}"
              f"{f', {workers} processes' if workers > 1 else ''})")
    # h11 (always h11, whatever else is installed) reads a request's head up to this size
    # before the app sees it: beyond it, it drops the connection; under it, the app answers a
    # too-long query string with a clear 414. No access log: it was never shown (warning level)
    # and cost a log record per request.
    options: dict[str, Any] = dict(host=host, port=port, log_level="warning", http="h11",
                                   access_log=False,
                                   h11_max_incomplete_event_size=MAX_REQUEST_HEAD)
    if workers == 1:
        uvicorn.run(web_app, **options)
        return
    # Worker processes are started afresh (spawned) and build the app from these variables.
    os.environ.update(serve_environment(state.db, token=token, max_body=max_body,
                                        data=folders))
    uvicorn.run("newsledger.web.app:app_from_environment", factory=True, workers=workers,
                **options)


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path | None, typer.Option(
        help="Folder of gold files (default: ../shared/data/gold).")] = None,
    only: Annotated[list[str] | None, typer.Option(
        help="Scorers to run (repeatable): petr2-gsr, plover, pentacode, source-target, "
             "plover-actors, petrarch-unittest-actors, stories.")] = None,
    coder: CoderOption = "model",
    model_events: ModelEventsOption = False,
    as_json: JsonOption = False,
) -> None:
    """Score newsledger on the frozen dev split of the gold data and print the figures."""
    from newsledger.evaluate import Score, run
    from newsledger.evaluate import actors as _a, events as _e, stories as _s  # noqa: F401
    from newsledger.evaluate.report import SCORERS
    from newsledger.events.training import SHARED_ENV, shared_folder

    folder = gold or shared_folder() / "data" / "gold"
    where = ("The gold data is not part of newsledger: it is the shared data folder "
             f"(../shared/data/gold beside the repository, or ${SHARED_ENV}/data/gold) holding "
             "petr2_gsr.jsonl, plover_gsr.json, petr_unittest.jsonl, ecbplus_dev.jsonl and the "
             "CAMEO training files; point at another folder with --gold DIR.")
    if not folder.is_dir():
        raise NewsledgerError(f"no gold data: {folder} is not a folder. {where}")
    unknown = [name for name in only or () if name not in SCORERS]
    if unknown:
        raise NewsledgerError(f"--only {unknown[0]}: not a scorer (choose from: "
                              f"{', '.join(SCORERS)})")
    from newsledger.knowledge import of as knowledge_of
    from newsledger.pipeline import Pipeline

    pipeline = Pipeline(coder=coder, model_events=model_events,
                        knowledge=knowledge_of(state.data))
    results = run(folder, only=only, pipeline=pipeline)
    if as_json:
        _print_json([r.to_dict() if isinstance(r, Score) else {"error": str(r)}
                     for r in results])
        return
    if not any(isinstance(r, Score) for r in results):
        for result in results:
            err.print(f"[yellow]skipped[/] {result}", highlight=False)
        raise NewsledgerError(f"no gold file found in {folder}, nothing was scored. {where}")
    for result in results:
        if not isinstance(result, Score):
            err.print(f"[yellow]skipped[/] {result}", highlight=False)
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
    with _read() as ledger:
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
    """Export a table for pandas, R, DuckDB, GDELT or POLECAT tools, streaming.

    It takes the filters of 'events'. Columns: docs/schema.md."""
    filters = _checked(actor=actor, source=source, target=target, cameo=cameo, quad_class=quad,
                       plover=plover, since=since, until=until, article=article, story=story,
                       status=status, polarity=polarity, modality=modality,
                       min_corroboration=min_corroboration, min_confidence=min_confidence)
    bar = Progress(SpinnerColumn(), TextColumn("exporting {task.fields[what]}"), BarColumn(),
                   TextColumn("{task.completed:,} rows"), TimeElapsedColumn(),
                   console=err, transient=True, disable=not err.is_terminal)
    with _read() as ledger, bar:
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
    except Exception as error:  # a bug in newsledger, never to be taken for "some inputs failed"
        import sqlite3
        import traceback

        if isinstance(error, sqlite3.DatabaseError):  # a damaged or busy ledger, not a bug
            from newsledger.errors import Errors

            detail = str(error) if "locked" in str(error) else (
                f"it is damaged ({error}); check it with sqlite3 {state.db} "
                "'PRAGMA integrity_check' and restore it from a copy")
            err.print("[red]error:[/] " + Errors.E203.format(path=state.db, detail=detail),
                      highlight=False)
            sys.exit(2)
        traceback.print_exc()
        err.print("[red]internal error:[/] newsledger failed; please report it with the "
                  "traceback above", highlight=False)
        sys.exit(3)


if __name__ == "__main__":
    main()
