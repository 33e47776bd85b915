"""Ingest on a Dask cluster: the same documents, pipeline and store as the
local engine, with the coding spread over worker processes.

1. The client lists the inputs (``iter_inputs``), records unreadable ones in
   the store's ``errors`` table and skips documents already stored.
2. The raw documents become a ``dask.bag``; every partition is cleaned and
   coded on a worker (the pipeline is built once per worker process) and
   written as Parquet under ``<db>.parts/month=YYYY-MM/``: one row per
   document with its OUTPUT.md JSON as a string column.
3. The client loads the parts into DuckDB through ``store.add_results`` in
   input order, as the local engine does, so both engines build the same
   store; a partition is loaded as soon as it and every one before it are
   done, so an interrupted run keeps what it loaded and the next run resumes.

Workers and client must see the same ``parts_dir`` (one machine, or a shared
file system on a cluster); see ``docs/distributed.md``.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import dask.bag
import pyarrow as pa
import pyarrow.parquet as pq

from .api import IngestReport, _articles, validate_published
from .config import Settings
from .errors import ConfigError, EventcoderError, ProcessingError
from .ingest.readers import InputFailure, iter_inputs
from .model import Article, ExtractionResult, RawDocument
from .pipeline import DocumentFailure, Pipeline

#: Documents per partition when ``partitions`` is not given (and at least two partitions per worker).
DOCS_PER_PARTITION = 100
#: Parquet partition value for documents without a publication month.
UNKNOWN_MONTH = "unknown"

PART_SCHEMA = pa.schema([
    ("seq", pa.int64()),  # position in the input listing: the order the client loads in
    ("doc_id", pa.string()),
    ("origin", pa.string()),
    ("month", pa.string()),  # YYYY-MM of the publication date, or "unknown"
    ("result", pa.string()),  # the OUTPUT.md JSON of the document
])


@dataclass(frozen=True)
class Failure:
    """A document that could not be coded, as plain strings (pickles across processes)."""

    origin: str
    code: str
    reason: str
    message: str

    @classmethod
    def of(cls, origin: str, error: EventcoderError) -> Failure:
        return cls(origin, error.code, error.reason, str(error))


@dataclass(frozen=True)
class PartitionOutcome:
    """What a worker did with one partition: the Parquet files it wrote and its failures."""

    first_seq: int
    files: tuple[str, ...] = ()
    failures: tuple[tuple[int, Failure], ...] = ()


@dataclass
class _Listing:
    documents: list[tuple[int, RawDocument]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def ingest_dask(paths: Sequence[str | Path], db: str | Path, *, published: str | None = None,
                scheduler: str | None = None, workers: int = 2, partitions: int | None = None,
                settings: Settings | None = None, parts_dir: str | Path | None = None) -> IngestReport:
    """Read, code on Dask workers, and store documents; resumable and idempotent like ``api.ingest``.

    ``scheduler`` is a Dask scheduler address (``tcp://host:8786``); without
    one a ``LocalCluster`` of ``workers`` single-threaded processes runs and
    is closed at the end. Parts go to ``parts_dir`` (default ``<db>.parts``).
    """
    from .store.duckdb_store import DuckDBStore

    settings = settings or Settings.from_env()
    published = validate_published(published)
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1 (got {workers})")
    parts_root = Path(parts_dir) if parts_dir is not None else Path(f"{db}.parts")
    report = IngestReport()
    with DuckDBStore.open(db, settings=settings) as store:
        listing = _list_inputs(paths, settings, store, report)
        for failure in listing.failures:
            _record(store, report, failure)
        if listing.documents:
            bag = _partitioned(listing.documents, partitions or _default_partitions(len(listing.documents), workers))
            run = RunSpec(published=published, settings=settings, parts_root=str(parts_root),
                          run_id=uuid.uuid4().hex[:12])
            with _client(scheduler, workers) as client:
                for outcome in _in_order(client, bag.map_partitions(code_partition, run)):
                    _load(store, report, outcome, settings)
    return report


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs besides its partition (small, pickled once per task)."""

    published: str | None
    settings: Settings
    parts_root: str
    run_id: str


def _list_inputs(paths: Sequence[str | Path], settings: Settings, store: Any, report: IngestReport) -> _Listing:
    """Raw documents to code, numbered in input order; stored ones skipped (and their errors resolved)."""
    listing = _Listing()
    known = store.document_ids()
    for item in iter_inputs(paths, settings):
        if isinstance(item, InputFailure):
            report.documents_seen += 1
            listing.failures.append(Failure.of(item.origin, item.error))
        elif item.doc_id in known:
            report.documents_skipped += 1
            store.resolve_error(item.origin)
        else:
            report.documents_seen += 1
            listing.documents.append((len(listing.documents), item))
    return listing


def _default_partitions(count: int, workers: int) -> int:
    return max(1, min(count, max(2 * workers, -(-count // DOCS_PER_PARTITION))))


def _partitioned(documents: list[tuple[int, RawDocument]], partitions: int) -> dask.bag.Bag:
    if partitions < 1:
        raise ConfigError(f"partitions must be at least 1 (got {partitions})")
    size = -(-len(documents) // partitions)
    return dask.bag.from_sequence(documents, partition_size=max(1, size))


@contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client on the given scheduler, or on a LocalCluster closed on exit."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as error:
            raise ConfigError(f"cannot reach Dask scheduler {scheduler}: {error}",
                              hint="start it with `dask scheduler` and check the address (tcp://host:8786)") from None
        with client:
            yield client
        return
    # No dashboard; the scheduler's small HTTP server (health, metrics) takes any free local port.
    # Its shutdown chatter ("worker still alive, killing") is not the user's concern: errors only.
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}, silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:
        yield client


def _in_order(client: Any, bag: dask.bag.Bag) -> Iterator[PartitionOutcome]:
    """Partition outcomes in input order, each as soon as it and all before it are done."""
    from distributed import as_completed

    futures = client.compute(bag.to_delayed())
    position = {future.key: index for index, future in enumerate(futures)}
    done: dict[int, list[PartitionOutcome]] = {}
    next_index = 0
    for future in as_completed(futures):
        done[position[future.key]] = _outcome(future)
        future.release()
        while next_index in done:
            yield from done.pop(next_index)
            next_index += 1


def _outcome(future: Any) -> list[PartitionOutcome]:
    """A partition's result; a worker crash (not a document failure) stops the run cleanly."""
    try:
        outcome: list[PartitionOutcome] = future.result()
    except EventcoderError:
        raise
    except Exception as error:  # whatever the worker raised, reported as one line
        raise ProcessingError(
            f"a Dask partition failed: {type(error).__name__}: {error}",
            hint="partitions loaded so far are stored; fix the cause (e.g. a parts directory the workers "
                 "cannot write) and run the same ingest again to resume") from None
    return outcome


def _load(store: Any, report: IngestReport, outcome: PartitionOutcome, settings: Settings) -> None:
    """Store one partition's results (in input order) and record its failures."""
    rows = _read_parts(outcome.files)
    for start in range(0, len(rows), max(1, settings.store_batch_size)):
        batch = rows[start:start + settings.store_batch_size]
        stats = store.add_results([json.loads(row["result"]) for row in batch])
        report.documents_added += stats.documents_added
        report.documents_skipped += stats.documents_skipped
        report.events_added += stats.events_added
        for row in batch:
            store.resolve_error(row["origin"])
    for _seq, failure in outcome.failures:
        _record(store, report, failure)


def _read_parts(files: Sequence[str]) -> list[dict[str, Any]]:
    if not files:
        return []
    tables = [pq.read_table(file) for file in files]
    rows: list[dict[str, Any]] = pa.concat_tables(tables).to_pylist()
    return sorted(rows, key=lambda row: row["seq"])


def _record(store: Any, report: IngestReport, failure: Failure) -> None:
    store.record_error(failure.origin, failure.code, failure.reason, failure.message)
    report.failures.append((failure.origin, failure.message))


# -- on the workers ---------------------------------------------------------------


@lru_cache(maxsize=2)
def worker_pipeline(settings: Settings) -> Pipeline:
    """The pipeline of this worker process, built on its first partition."""
    return Pipeline(settings)


def code_partition(documents: list[tuple[int, RawDocument]], run: RunSpec) -> list[PartitionOutcome]:
    """Clean and code one partition, write its results as Parquet parts by month."""
    if not documents:
        return []
    first_seq = documents[0][0]
    coded: list[tuple[int, Article]] = []
    failures: list[tuple[int, Failure]] = []
    for seq, raw in documents:
        item = next(_articles([raw], run.published, run.settings, known=set()))
        if isinstance(item, InputFailure):
            failures.append((seq, Failure.of(item.origin, item.error)))
        else:
            coded.append((seq, item))
    rows: list[dict[str, Any]] = []
    outputs = worker_pipeline(run.settings).process(article for _seq, article in coded)
    for (seq, article), output in zip(coded, outputs, strict=True):
        if isinstance(output, DocumentFailure):
            failures.append((seq, Failure.of(article.origin or article.id, output.error)))
        else:
            rows.append(_part_row(seq, article, output))
    files = _write_parts(rows, run, first_seq)
    return [PartitionOutcome(first_seq, files, tuple(sorted(failures, key=lambda pair: pair[0])))]


def _part_row(seq: int, article: Article, result: ExtractionResult) -> dict[str, Any]:
    return {"seq": seq, "doc_id": article.id, "origin": article.origin or article.id,
            "month": publication_month(article.published.value),
            "result": json.dumps(result.to_dict(), ensure_ascii=False)}


def publication_month(value: str | None) -> str:
    """``YYYY-MM`` of an ISO date of day or month precision, else ``unknown``."""
    if value and len(value) >= 7 and value[4] == "-":
        return value[:7]
    return UNKNOWN_MONTH


def _write_parts(rows: list[dict[str, Any]], run: RunSpec, first_seq: int) -> tuple[str, ...]:
    """One Parquet file per month present: ``<root>/month=YYYY-MM/<run>-<first seq>.parquet``."""
    by_month: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_month.setdefault(row["month"], []).append(row)
    files = []
    for month, month_rows in sorted(by_month.items()):
        directory = Path(run.parts_root) / f"month={month}"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{run.run_id}-{first_seq:09d}.parquet"
        table = pa.Table.from_pylist(month_rows, schema=PART_SCHEMA).drop(["month"])
        temporary = path.with_suffix(".parquet.tmp")
        pq.write_table(table, temporary)
        temporary.replace(path)  # a reader never sees half a part
        files.append(str(path))
    return tuple(files)
