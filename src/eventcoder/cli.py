"""Command line: parses arguments, calls the Python API, prints.

Domain errors print one line on stderr and exit 2 (bad arguments or input
that stops the command) or 3 (an ingest that stored some documents but not
all); tracebacks only with ``--debug``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import Settings
from .errors import EventcoderError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_USAGE = 2
EXIT_PARTIAL = 3


def fails_cleanly(command: F) -> F:
    """Turn an EventcoderError into one line on stderr and exit status 2."""
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except EventcoderError as error:
            if debug:
                raise
            click.echo(f"eventcoder: {error}", err=True)
            sys.exit(EXIT_USAGE)
    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="eventcoder")
def main(debug: bool) -> None:
    """eventcoder: sourced, structured event data from news text."""


db_option = click.option("--db", type=click.Path(dir_okay=False), default="eventcoder.duckdb",
                         show_default=True, help="DuckDB database file.")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", help="Publication date YYYY-MM-DD (else read from metadata or inferred).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True)
@click.option("--input-format", type=click.Choice(["auto", "text", "html", "jsonl"]), default="auto",
              show_default=True, help="How to read the inputs (auto: by extension and content).")
@fails_cleanly
def extract(paths: tuple[str, ...], published: str | None, fmt: str, input_format: str) -> None:
    """Code the events of FILE(s) and print OUTPUT.md JSON (one object per document)."""
    from .api import extract_paths
    from .ingest.readers import InputFailure
    from .pipeline import DocumentFailure

    failed = 0
    for item in extract_paths(list(paths), published, input_format=input_format):
        if isinstance(item, InputFailure | DocumentFailure):
            failed += 1
            click.echo(f"eventcoder: {item.error}", err=True)
            continue
        indent = 2 if fmt == "json" else None
        click.echo(json.dumps(item.to_dict(), ensure_ascii=False, indent=indent))
    if failed:
        sys.exit(EXIT_USAGE)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--published", help="Publication date (YYYY-MM-DD) for every input; overrides their own dates.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (default: a local cluster).")
@click.option("--workers", type=int, default=2, show_default=True, help="Dask local workers.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@fails_cleanly
def ingest(paths: tuple[str, ...], db: str, published: str | None, engine: str, scheduler: str | None,
           workers: int, progress: bool | None) -> None:
    """Read, code and store documents (files, directories, JSONL); resumable."""
    from .api import ingest as run_ingest

    show = sys.stderr.isatty() if progress is None else progress
    if engine == "dask":
        from .distributed import ingest_dask
        report = ingest_dask(list(paths), db, published=published, scheduler=scheduler, workers=workers)
    else:
        with _progress_bar(show) as advance:
            report = run_ingest(list(paths), db, published=published, progress=advance)
    for _origin, message in report.failures:
        click.echo(f"eventcoder: {message}", err=True)
    click.echo(json.dumps(report.to_dict()))
    if report.failures:
        click.echo(f"eventcoder: {len(report.failures)} input(s) failed; listed by `eventcoder errors --db {db}`,"
                   " fixed inputs are picked up by running the same ingest again", err=True)
        nothing_usable = report.documents_added == 0 and report.documents_skipped == 0
        sys.exit(EXIT_USAGE if nothing_usable else EXIT_PARTIAL)


class _progress_bar:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, show: bool) -> None:
        self.show = show
        self._progress: Any = None

    def __enter__(self) -> Callable[[int], None] | None:
        if not self.show:
            return None
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                  TextColumn("{task.completed} documents"), TimeElapsedColumn(),
                                  console=Console(stderr=True))
        self._progress.start()
        task = self._progress.add_task("ingesting", total=None)
        return lambda n: self._progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _filter(type_: str | None, actor: str | None, since: str | None, until: str | None,
            modality: str | None, country: str | None, text: str | None) -> Any:
    from .store.query import EventFilter
    return EventFilter(type=type_, actor=actor, since=_day(since, "--since"), until=_day(until, "--until"),
                       modality=modality, country=country, text=text)


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        from .errors import QueryError
        raise QueryError(f"invalid {name} {value!r}", hint="give a date as YYYY-MM-DD") from None


filter_options = [
    click.option("--type", "type_", help="PLOVER event type, e.g. COERCE."),
    click.option("--actor", help="Actor id or name (source or target)."),
    click.option("--since", help="Events on or after YYYY-MM-DD (precision-aware)."),
    click.option("--until", help="Events on or before YYYY-MM-DD (precision-aware)."),
    click.option("--modality", help="asserted, claimed, denied, …"),
    click.option("--country", help="ISO3 country of the location."),
    click.option("--text", help="Words in the evidence sentence."),
]


def with_filters(command: F) -> F:
    for option in reversed(filter_options):
        command = option(command)
    return command


@main.command()
@db_option
@with_filters
@click.option("--limit", type=int, default=20, show_default=True)
@click.option("--merged", is_flag=True, help="One row per story (de-duplicated across articles).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@fails_cleanly
def query(db: str, type_: str | None, actor: str | None, since: str | None, until: str | None,
          modality: str | None, country: str | None, text: str | None, limit: int, merged: bool, fmt: str) -> None:
    """Events matching filters."""
    from .store.duckdb_store import DuckDBStore
    from .store.query import query_events

    _require_db(db)
    with DuckDBStore.open(db, read_only=True) as store:
        page = query_events(store, _filter(type_, actor, since, until, modality, country, text),
                            limit=limit, merged=merged)
    if fmt == "json":
        click.echo(json.dumps({"total": page.total, "items": page.items}, default=str, ensure_ascii=False))
        return
    for item in page.items:
        actor_name = (item.get("actor") or {}).get("name") or "-"
        recipient_name = (item.get("recipient") or {}).get("name") or "-"
        evidence = (item.get("evidence") or {}).get("text") or ""
        click.echo(f"{item.get('date') or '?':10}  {item.get('type'):9}  {item.get('modality'):9}  "
                   f"{actor_name} -> {recipient_name}  | {evidence[:80]}")
    click.echo(f"({len(page.items)} of {page.total})", err=True)


@main.command()
@db_option
@with_filters
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True)
@click.option("--merged", is_flag=True)
@fails_cleanly
def export(db: str, type_: str | None, actor: str | None, since: str | None, until: str | None,
           modality: str | None, country: str | None, text: str | None, fmt: str, out: str, merged: bool) -> None:
    """Export events as CSV, JSONL or Parquet."""
    from .store.duckdb_store import DuckDBStore
    from .store.export import export_events

    _require_db(db)
    with DuckDBStore.open(db, read_only=True) as store:
        count = export_events(store, out, fmt, _filter(type_, actor, since, until, modality, country, text),
                              merged=merged)
    click.echo(f"{count} rows -> {out}")


@main.command()
@db_option
@fails_cleanly
def summary(db: str) -> None:
    """Documents, events by type, top actors."""
    from .store.duckdb_store import DuckDBStore
    from .store.query import summary as store_summary

    _require_db(db)
    with DuckDBStore.open(db, read_only=True) as store:
        data = store_summary(store)
    errors = data.get("errors") or {}
    pending = errors.get("pending", 0) if isinstance(errors, dict) else errors
    click.echo(f"documents: {data.get('documents')}   events: {data.get('events')}   "
               f"stories: {data.get('stories')}   failed inputs: {pending}")
    click.echo("events by type:")
    for name, count in _pairs(data.get("by_type")):
        click.echo(f"  {name:10} {count}")
    click.echo("top actors:")
    for name, count in _pairs(data.get("top_actors"))[:10]:
        click.echo(f"  {name:40} {count}")


def _pairs(value: Any) -> list[tuple[str, int]]:
    if isinstance(value, dict):
        return list(value.items())
    pairs = []
    for item in value or []:
        if isinstance(item, dict):
            count = item.get("count", item.get("events", 0))
            pairs.append((str(item.get("name") or item.get("type") or item.get("id")), int(count or 0)))
        else:
            pairs.append((str(item[0]), int(item[1])))
    return pairs


@main.command()
@db_option
@click.option("--all", "show_all", is_flag=True, help="Include failures that a later run fixed.")
@fails_cleanly
def errors(db: str, show_all: bool) -> None:
    """Inputs that failed, with the reason; rerun the same ingest to retry."""
    from .store.duckdb_store import DuckDBStore

    _require_db(db)
    with DuckDBStore.open(db, read_only=True) as store:
        for row in store.errors(pending_only=not show_all):
            click.echo(f"{row.get('origin')}\t{row.get('reason')}\t{row.get('message')}")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--snapshot", is_flag=True, help="Serve a snapshot, so an ingest can write to the same file meanwhile.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes on the same port (each with its own connection and cache).")
@click.option("--cache-size", type=click.IntRange(0), default=256, show_default=True,
              help="Rendered answers of listings and aggregates kept per process (0: none).")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]), default="info",
              show_default=True, help="uvicorn's log level; below info there is no access log.")
@fails_cleanly
def serve(db: str, host: str, port: int, snapshot: bool, workers: int, cache_size: int, log_level: str) -> None:
    """Start the API and dashboard."""
    from .serve.app import serve as run_server

    _require_db(db)
    run_server(db, host=host, port=port, snapshot=snapshot, workers=workers, cache_size=cache_size,
               log_level=log_level)


@main.group()
def actors() -> None:
    """The actor registry."""


@actors.command("lookup")
@click.argument("name")
@click.option("--date", "on", help="Roles held on this date (YYYY-MM-DD).")
@fails_cleanly
def actors_lookup(name: str, on: str | None) -> None:
    """Resolve NAME to registry actors: id, type, roles on a date, affiliations."""
    from .resolve.registry import Registry

    day = _day(on, "--date")
    matches = Registry.default().lookup(name, on=day)
    if not matches:
        click.echo(f"eventcoder: no actor matches {name!r}", err=True)
        sys.exit(1)
    for match in matches:
        entry = match.entry
        roles = ", ".join(f"{role.role} ({role.of or '-'}, {role.start or '?'}–{role.end or ''})"
                          for role in entry.roles_on(day)) or "-"
        click.echo(f"{entry.id}\t{entry.name}\t{entry.type}\t{entry.country or '-'}\t"
                   f"score={match.score:.2f} ({match.how})")
        click.echo(f"    roles: {roles}")
        click.echo(f"    member of: {', '.join(entry.member_of) or '-'}")


@main.command()
@click.option("--corpus", type=click.Path(exists=True), default="samples", show_default=True)
@click.option("--limit", type=int, default=200, show_default=True)
@click.option("--workers", type=int, default=1, show_default=True)
@fails_cleanly
def bench(corpus: str, limit: int, workers: int) -> None:
    """Docs/s of bare spaCy vs the full pipeline on the same texts; one JSON line."""
    from .bench import run_benchmark

    click.echo(json.dumps(run_benchmark(corpus, limit=limit, workers=workers, settings=Settings.from_env())))


def _require_db(db: str) -> None:
    if not Path(db).exists():
        from .errors import StoreError
        raise StoreError(f"no database {db}", hint="create it with `eventcoder ingest PATH --db FILE`")


if __name__ == "__main__":  # pragma: no cover
    main()
