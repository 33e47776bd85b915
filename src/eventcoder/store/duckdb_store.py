"""``DuckDBStore``: the ``Store`` protocol on one DuckDB file.

Writes go through one connection, in one transaction per batch of documents,
as bulk Arrow inserts; reads (``query.py``) use a fresh cursor per call, so a
server may read from several threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from ..config import Settings
from ..errors import SchemaVersionError, StoreError
from .base import AddStats
from .rows import DocumentRows, Row, flatten_result
from .stories import Report, Story, assign_stories

SCHEMA_VERSION = "3"
#: Older versions this one upgrades in place when opened for writing (3 added the text-search tables).
_MIGRATABLE = {"2"}
SCHEMA_SQL = Path(__file__).with_name("schema.sql")

_ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
    "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "BOOLEAN": pa.bool_(), "VARCHAR[]": pa.list_(pa.string()),
}
#: Unsorted search rows tolerated before ``cluster_search`` (a full scan of this many words stays a few ms).
SEARCH_TAIL_ROWS = 500_000
#: Insert order within a batch: stories before the events that point at them.
_BATCH_TABLES = ("documents", "actor_mentions", "events", "event_mentions", "quotes")


class DuckDBStore:
    """A DuckDB file holding documents, actors, events, stories and input errors."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str, *, read_only: bool,
                 settings: Settings) -> None:
        self._con = connection
        self.path = path
        self.read_only = read_only
        self.settings = settings
        self._lock = threading.RLock()
        self._arrow_schemas: dict[str, pa.Schema] = {}
        self._derived: dict[str, tuple[int, Any]] = {}

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, settings: Settings | None = None) -> DuckDBStore:
        """Open (and, unless read-only, create) the store at ``path``; ``":memory:"`` works too."""
        where = str(path)
        if where != ":memory:" and not read_only:
            Path(where).parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = duckdb.connect(where, read_only=read_only)
        except duckdb.Error as error:
            raise StoreError(
                f"cannot open store: {_first_line(error)}", where=where,
                hint="check that the path is a DuckDB file, readable, and not open for writing by another process",
            ) from None
        store = cls(connection, where, read_only=read_only, settings=settings or Settings())
        try:
            store._ensure_schema()
        except BaseException:
            connection.close()
            raise
        return store

    def _ensure_schema(self) -> None:
        tables = {row[0] for row in self._con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "meta" in tables:
            row = self._con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            found = row[0] if row else None
            if found in _MIGRATABLE and not self.read_only:
                self._migrate()
                return
            if found in _MIGRATABLE:
                raise SchemaVersionError(
                    f"store has schema version {found}, this eventcoder needs {SCHEMA_VERSION}", where=self.path,
                    hint="open it once for writing (e.g. `eventcoder ingest` of nothing new) to upgrade it in place",
                )
            if found != SCHEMA_VERSION:
                raise SchemaVersionError(
                    f"store has schema version {found}, this eventcoder needs {SCHEMA_VERSION}", where=self.path,
                    hint="ingest again into a new --db file (or use the eventcoder version that wrote it)",
                )
            return
        if tables:
            raise SchemaVersionError(
                "not an eventcoder store (tables but no schema version)", where=self.path,
                hint="point --db at a new file or one eventcoder created",
            )
        if self.read_only:
            raise StoreError("empty database: nothing ingested yet", where=self.path,
                             hint="run `eventcoder ingest PATH --db FILE` first")
        with self._transaction():
            self._con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
            self._con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])

    def _migrate(self) -> None:
        """Upgrade an older store in place: new tables, the search words of the events already stored."""
        with self._transaction():
            self._con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
            self._index_search("events")
            self._con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION])
        self.cluster_search()

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on the same database, safe to use from another thread; close it after use."""
        with self._lock:
            try:
                return self._con.cursor()
            except duckdb.Error as error:
                raise StoreError(f"store is not usable: {_first_line(error)}", where=self.path) from None

    # -- documents ------------------------------------------------------------

    def add_results(self, results: Iterable[dict[str, Any]]) -> AddStats:
        """Store result dicts, one transaction per ``settings.store_batch_size`` documents.

        Documents already stored (or repeated in ``results``) are skipped, so
        re-ingesting is idempotent; a crash loses at most the open batch, never
        half a document.
        """
        self._writable()
        total = AddStats()
        for batch in _batches(results, max(1, self.settings.store_batch_size)):
            total = total + self._add_batch(batch)
        if self._unclustered_search_rows() > max(SEARCH_TAIL_ROWS, self._clustered_search_rows() // 20):
            self.cluster_search()
        return total

    def _add_batch(self, batch: list[dict[str, Any]]) -> AddStats:
        ingested_at = datetime.now(UTC).replace(tzinfo=None)
        flattened = [flatten_result(result, ingested_at=ingested_at) for result in batch]
        with self._transaction():
            stored = self._stored_ids([rows.doc_id for rows in flattened])
            fresh = _unique_new(flattened, stored)
            if not fresh:
                return AddStats(documents_skipped=len(batch))
            reports = [
                Report.of(event, rows.document)
                for rows in fresh for event in rows.events
            ]
            stories, merged = assign_stories(self._con, reports)
            self._insert_actors(fresh)
            self._upsert_stories(stories)
            for table in _BATCH_TABLES:
                self._insert(table, [row for rows in fresh for row in _table_rows(rows, table)])
            self._index_new_events([row for rows in fresh for row in rows.events])
            self._resolve_origins([rows.document["origin"] for rows in fresh if rows.document["origin"]])
        return AddStats(len(fresh), len(batch) - len(fresh), len(reports), merged)

    # -- text search ------------------------------------------------------------

    def _index_new_events(self, events: list[Row]) -> None:
        if not events:
            return
        columns = ("id", "date_start", "evidence_text")
        arrow = pa.Table.from_pylist([{name: event[name] for name in columns} for event in events],
                                     schema=self._arrow_schema("events", columns))
        self._con.register("incoming_search", arrow)
        try:
            self._index_search("incoming_search")
        finally:
            self._con.unregister("incoming_search")

    def _index_search(self, source: str) -> None:
        """Add the words of the sentences of the events in ``source`` (a table or view) to the search tables."""
        # Split in SQL with the same lower() the scan fallback uses, so both paths agree on every character.
        self._con.execute(
            f"""CREATE OR REPLACE TEMP TABLE incoming_terms AS
                SELECT DISTINCT term, id AS event_id, date_start FROM (
                    SELECT id, date_start, unnest(string_split(lower(evidence_text), ' ')) AS term FROM {source}
                ) WHERE term <> ''""")
        try:
            self._con.execute("INSERT INTO search_terms SELECT * FROM incoming_terms ORDER BY term, date_start")
            self._con.execute(
                """INSERT INTO search_vocabulary SELECT term, count(*) FROM incoming_terms GROUP BY term
                   ON CONFLICT (term) DO UPDATE SET n = search_vocabulary.n + excluded.n""")
        finally:
            self._con.execute("DROP TABLE incoming_terms")

    def cluster_search(self) -> None:
        """Rewrite ``search_terms`` sorted by term, so a search reads only its words' row groups.

        Ingest appends in arrival order, which zone maps cannot skip; this runs
        when the unsorted tail grows past ``SEARCH_TAIL_ROWS`` (or a twentieth
        of the table), so its cost stays a small share of ingest.
        """
        self._writable()
        with self._transaction():
            self._con.execute("CREATE TABLE search_terms_sorted AS "
                              "SELECT * FROM search_terms ORDER BY term, date_start")
            self._con.execute("DROP TABLE search_terms")
            self._con.execute("ALTER TABLE search_terms_sorted RENAME TO search_terms")
            self._con.execute("INSERT OR REPLACE INTO meta SELECT 'search_clustered_rows', count(*)::VARCHAR "
                              "FROM search_terms")

    def rebuild_search(self) -> None:
        """Recompute the search tables from the stored events (after a bulk load that bypassed ``add_results``)."""
        self._writable()
        with self._transaction():
            self._con.execute("DELETE FROM search_terms")
            self._con.execute("DELETE FROM search_vocabulary")
            self._index_search("events")
        self.cluster_search()

    def _clustered_search_rows(self) -> int:
        row = self._con.execute("SELECT value FROM meta WHERE key = 'search_clustered_rows'").fetchone()
        return int(row[0]) if row else 0

    def _unclustered_search_rows(self) -> int:
        row = self._con.execute("SELECT count(*) FROM search_terms").fetchone()
        return (int(row[0]) if row else 0) - self._clustered_search_rows()

    def _resolve_origins(self, origins: list[str]) -> None:
        """An input that failed before and is now stored is no longer a pending error."""
        if origins:
            self._con.execute(f"UPDATE errors SET resolved = true WHERE origin IN {placeholders(len(origins))}",
                              origins)

    def _stored_ids(self, doc_ids: list[str]) -> set[str]:
        # An IN list of parameters is answered from the primary-key index; unnest(?) would scan.
        found = self._con.execute(f"SELECT id FROM documents WHERE id IN {placeholders(len(doc_ids))}",
                                  doc_ids).fetchall()
        return {row[0] for row in found}

    def _insert_actors(self, documents: list[DocumentRows]) -> None:
        """New actors (first record seen wins; bare event references become ``unknown`` actors) and event counts."""
        first_seen: dict[str, Row] = {}
        for rows in documents:
            for actor in rows.actors:
                first_seen.setdefault(actor["id"], actor)
        taking_part: dict[str, int] = {}
        for rows in documents:
            for event in rows.events:
                for side in {event["actor_id"], event["recipient_id"]} - {None}:
                    taking_part[side] = taking_part.get(side, 0) + 1
                    first_seen.setdefault(side, _bare_actor(event, side))
        self._insert("actors", list(first_seen.values()), on_conflict="ON CONFLICT DO NOTHING")
        if taking_part:
            counts = pa.table({"id": list(taking_part), "n": list(taking_part.values())})
            self._con.register("incoming_counts", counts)
            try:
                self._con.execute("UPDATE actors SET n_events = coalesce(actors.n_events, 0) + c.n "
                                  "FROM incoming_counts AS c WHERE actors.id = c.id")
            finally:
                self._con.unregister("incoming_counts")

    def _upsert_stories(self, stories: list[Story]) -> None:
        self._insert("stories", [story.row() for story in stories], verb="INSERT OR REPLACE")

    def _insert(self, table: str, rows: list[Row], *, verb: str = "INSERT", on_conflict: str = "") -> None:
        if not rows:
            return
        arrow = pa.Table.from_pylist(rows, schema=self._arrow_schema(table, rows[0].keys()))
        name = f"incoming_{table}"
        self._con.register(name, arrow)
        try:
            self._con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM {name} {on_conflict}")
        finally:
            self._con.unregister(name)

    def _arrow_schema(self, table: str, columns: Iterable[str]) -> pa.Schema:
        if table not in self._arrow_schemas:
            described = self._con.execute(f"DESCRIBE {table}").fetchall()
            self._arrow_schemas[table] = pa.schema([(name, _ARROW_TYPES[kind]) for name, kind, *_ in described])
        full = self._arrow_schemas[table]
        return pa.schema([full.field(name) for name in columns])

    def has_document(self, doc_id: str) -> bool:
        with self.reading() as cursor:
            return cursor.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone() is not None

    def document_ids(self) -> set[str]:
        with self.reading() as cursor:
            return {row[0] for row in cursor.execute("SELECT id FROM documents").fetchall()}

    def derived(self, name: str, compute: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
        """A value ``compute`` derives from the events, kept until events are added (they are never changed)."""
        with self.reading() as cursor:
            row = cursor.execute("SELECT count(*) FROM events").fetchone()
            state = int(row[0]) if row else 0
            cached = self._derived.get(name)
            if cached is None or cached[0] != state:
                cached = (state, compute(cursor))
                self._derived[name] = cached
        return cached[1]

    # -- errors ---------------------------------------------------------------

    def record_error(self, origin: str, code: str, reason: str, message: str, *,
                     document_id: str | None = None) -> None:
        """Record a failing input, or count one more attempt of one already recorded."""
        self._writable()
        now = datetime.now(UTC).replace(tzinfo=None)
        with self._transaction():
            self._con.execute(
                """INSERT INTO errors VALUES (?, ?, ?, ?, ?, 1, ?, ?, false)
                   ON CONFLICT (origin) DO UPDATE SET
                     document_id = coalesce(excluded.document_id, errors.document_id),
                     reason = excluded.reason, code = excluded.code, message = excluded.message,
                     attempts = errors.attempts + 1, last_seen = excluded.last_seen, resolved = false""",
                [origin, document_id, reason, code, message, now, now],
            )

    def errors(self, pending_only: bool = True) -> list[dict[str, Any]]:
        """Recorded input errors, oldest first; only unresolved ones unless ``pending_only`` is False."""
        where = "WHERE NOT resolved" if pending_only else ""
        with self.reading() as cursor:
            result = cursor.execute(f"SELECT * FROM errors {where} ORDER BY first_seen, origin")
            names = [column[0] for column in result.description or []]
            rows = [dict(zip(names, values, strict=True)) for values in result.fetchall()]
        for row in rows:
            row["first_seen"] = row["first_seen"].isoformat() if row["first_seen"] else None
            row["last_seen"] = row["last_seen"].isoformat() if row["last_seen"] else None
        return rows

    def resolve_error(self, origin: str) -> None:
        self._writable()
        with self._transaction():
            self._con.execute("UPDATE errors SET resolved = true WHERE origin = ?", [origin])

    # -- plumbing ---------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("store is open read-only", where=self.path, hint="open it without read_only to write")

    def _transaction(self) -> _Transaction:
        return _Transaction(self)

    def reading(self) -> _Reading:
        """``with store.reading() as cursor:`` a read cursor closed after use; DuckDB errors become StoreError."""
        return _Reading(self)


class _Transaction:
    """One write transaction on the store's connection; any error rolls it back as a StoreError."""

    def __init__(self, store: DuckDBStore) -> None:
        self._store = store

    def __enter__(self) -> None:
        self._store._lock.acquire()
        self._store._con.begin()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            if exc is None:
                self._store._con.commit()
                return
            self._store._con.rollback()
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"write failed: {_first_line(exc)}", where=self._store.path) from exc
        finally:
            self._store._lock.release()


class _Reading:
    def __init__(self, store: DuckDBStore) -> None:
        self._cursor = store.cursor()
        self._path = store.path

    def __enter__(self) -> duckdb.DuckDBPyConnection:
        return self._cursor

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._cursor.close()
        if isinstance(exc, duckdb.Error):
            raise StoreError(f"read failed: {_first_line(exc)}", where=self._path) from exc


def placeholders(count: int) -> str:
    """``(?, ?, ...)`` for an IN list of ``count`` parameters (``(NULL)`` when empty)."""
    return "(" + ", ".join("?" * count) + ")" if count else "(NULL)"


def _bare_actor(event: Row, actor_id: str) -> Row:
    name = event["actor_name"] if event["actor_id"] == actor_id else event["recipient_name"]
    return {"id": actor_id, "name": name, "type": "unknown", "country": None, "code": None, "member_of": [],
            "roles": "[]"}


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _batches(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _unique_new(documents: list[DocumentRows], stored: set[str]) -> list[DocumentRows]:
    seen = set(stored)
    fresh = []
    for rows in documents:
        if rows.doc_id not in seen:
            seen.add(rows.doc_id)
            fresh.append(rows)
    return fresh


def _table_rows(rows: DocumentRows, table: str) -> list[Row]:
    return [rows.document] if table == "documents" else list(getattr(rows, table))
