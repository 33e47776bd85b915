"""Exports of events (each report, or one row per story) and actors to CSV, JSON lines or Parquet.

Rows stream from one parameterised DuckDB query as Arrow record batches, so
memory stays flat however large the store is. Nested fields (context,
mentions, disputed_by, member_of, story sources) are native lists in Parquet
and JSON lines, and JSON strings in CSV. Files are written beside the target
and renamed into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ..errors import QueryError, StoreError
from .duckdb_store import DuckDBStore
from .query import EventFilter, _where

FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet")
_BATCH_ROWS = 50_000

_EVENT_COLUMNS: tuple[str, ...] = (
    "e.id", "e.document_id", "e.event_key", "e.story_id", "e.type", "e.mode", "e.context", "e.cameo",
    "e.quad_class", "e.goldstein", "e.actor_id", "e.actor_name", "e.recipient_id", "e.recipient_name", "e.date",
    "e.date_precision", "e.date_text", "e.date_start", "e.date_end", "e.location_name", "e.location_country",
    "e.location_admin1", "e.lat", "e.lon", "e.geonameid", "e.modality", "e.attributed_id", "e.attributed_name",
    "e.disputed_by", "e.evidence_text", "e.evidence_start", "e.evidence_end", "e.trigger_text", "e.trigger_start",
    "e.trigger_end", "e.confidence",
    "d.title AS document_title", "d.source AS document_source", "d.url AS document_url",
    "d.published AS document_published", "m.mentions",
)
_STORY_COLUMNS: tuple[str, ...] = (
    "s.n_reports AS story_reports", "s.n_sources AS story_sources", "s.sources AS story_source_names",
    "s.document_ids AS story_document_ids", "s.first_reported AS story_first_reported",
)
_NESTED = {"e.context", "e.disputed_by", "m.mentions", "s.sources", "s.document_ids", "a.member_of"}
_MENTIONS = """(SELECT event_id, list({'text': text, 'start': start, 'end': "end"} ORDER BY start) AS mentions
               FROM event_mentions GROUP BY event_id) AS m ON m.event_id = e.id"""


def _select_list(columns: tuple[str, ...], fmt: str) -> str:
    """Column expressions; nested ones become JSON strings for CSV."""
    selected = []
    for column in columns:
        expression, _, alias = column.partition(" AS ")
        name = alias or expression.split(".")[-1]
        if fmt == "csv" and expression in _NESTED:
            selected.append(f"to_json({expression})::VARCHAR AS {name}")
        else:
            selected.append(f"{expression} AS {name}")
    return ", ".join(selected)


def _format(fmt: str) -> str:
    if not isinstance(fmt, str) or fmt.lower() not in FORMATS:
        raise QueryError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    return fmt.lower()


def export_events(store: DuckDBStore, path: str | Path, fmt: str, flt: EventFilter | None = None,
                  merged: bool = False) -> int:
    """Write events matching ``flt`` (every report, or with ``merged`` one row per story); return rows written."""
    fmt = _format(fmt)
    where, params = _where(flt, store)
    if merged:
        sql = f"""WITH matched AS (SELECT DISTINCT e.story_id FROM events AS e WHERE {where})
            SELECT {_select_list(_EVENT_COLUMNS + _STORY_COLUMNS, fmt)}
            FROM stories AS s JOIN matched ON matched.story_id = s.id
            JOIN events AS e ON e.id = s.event_id
            LEFT JOIN documents AS d ON d.id = e.document_id LEFT JOIN {_MENTIONS}
            ORDER BY e.date_start NULLS LAST, e.id"""
    else:
        sql = f"""SELECT {_select_list(_EVENT_COLUMNS, fmt)}
            FROM events AS e LEFT JOIN documents AS d ON d.id = e.document_id LEFT JOIN {_MENTIONS}
            WHERE {where} ORDER BY e.date_start NULLS LAST, e.id"""
    return _write(store, sql, params, Path(path), fmt)


_ACTOR_SQL = "SELECT {columns} FROM actors AS a ORDER BY a.id"


def export_actors(store: DuckDBStore, path: str | Path, fmt: str) -> int:
    """Write every actor with its affiliations, roles (JSON text) and event count; return rows written."""
    fmt = _format(fmt)
    columns = _select_list(
        ("a.id", "a.name", "a.type", "a.country", "a.code", "a.member_of", "a.roles", "a.n_events"), fmt)
    decode: dict[str, Callable[[Any], Any]] = {"roles": json.loads} if fmt == "jsonl" else {}
    return _write(store, _ACTOR_SQL.format(columns=columns), [], Path(path), fmt, decode=decode)


def _write(store: DuckDBStore, sql: str, params: list[Any], path: Path, fmt: str, *,
           decode: dict[str, Callable[[Any], Any]] | None = None) -> int:
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with store.reading() as cursor:
            reader = cursor.execute(sql, params).fetch_record_batch(_BATCH_ROWS)
            written = _WRITERS[fmt](reader, partial, decode or {})
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise StoreError(f"cannot write export: {error.strerror or error}", where=str(path)) from None
    except (duckdb.Error, pa.ArrowException, StoreError):
        partial.unlink(missing_ok=True)
        raise
    return written


def _write_parquet(reader: pa.RecordBatchReader, path: Path, decode: dict[str, Callable[[Any], Any]]) -> int:
    return _write_batches(pq.ParquetWriter(path, reader.schema), reader)


def _write_csv(reader: pa.RecordBatchReader, path: Path, decode: dict[str, Callable[[Any], Any]]) -> int:
    return _write_batches(pa_csv.CSVWriter(path, reader.schema), reader)


def _write_batches(writer: Any, reader: pa.RecordBatchReader) -> int:
    """Stream Arrow batches into a Parquet or CSV writer (closed at the end)."""
    written = 0
    with writer:
        for batch in reader:
            writer.write_batch(batch)
            written += batch.num_rows
    return written


def _write_jsonl(reader: pa.RecordBatchReader, path: Path, decode: dict[str, Callable[[Any], Any]]) -> int:
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        for batch in reader:
            for row in batch.to_pylist():
                for key, function in decode.items():
                    if row.get(key) is not None:
                        row[key] = function(row[key])
                handle.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
            written += batch.num_rows
    return written


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_WRITERS: dict[str, Callable[[pa.RecordBatchReader, Path, dict[str, Callable[[Any], Any]]], int]] = {
    "parquet": _write_parquet, "csv": _write_csv, "jsonl": _write_jsonl,
}
