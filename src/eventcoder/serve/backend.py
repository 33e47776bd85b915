"""The API's view of the store: calls ``store.query`` and shapes its answers for JSON.

One ``DuckDBStore`` opened read-only (the file, or a snapshot of it: see
``source.py``) is shared by every request thread; ``store.query`` takes a
fresh cursor per call, so requests do not share a DuckDB connection. ``store.query`` shapes the answers (events in the
OUTPUT.md shape); this module only turns dataclasses and dates into JSON and
store errors into HTTP ones.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import EventcoderError, QueryError, StoreError
from ..model import MODALITIES
from ..store import query
from ..store.duckdb_store import SCHEMA_VERSION, DuckDBStore
from .source import DirectSource, SnapshotSource


class NotFoundError(EventcoderError):
    """An id that names nothing in the store (HTTP 404)."""

    code = "E490"
    reason = "not_found"


class BadCursorError(QueryError):
    """A pagination cursor the store did not issue (HTTP 400)."""

    code = "E491"
    reason = "bad_cursor"


@dataclasses.dataclass(frozen=True)
class QueryParams:
    """The event filters of one request, named as ``store.query.EventFilter`` names them."""

    type: str | None = None
    actor: str | None = None
    role: str | None = None
    recipient: str | None = None
    since: str | None = None
    until: str | None = None
    modality: str | None = None
    country: str | None = None
    place: str | None = None
    text: str | None = None
    document_id: str | None = None
    story_id: str | None = None
    min_confidence: float | None = None

    def to_filter(self) -> query.EventFilter:
        known = {item.name for item in dataclasses.fields(query.EventFilter)}
        values = {key: value for key, value in dataclasses.asdict(self).items() if value is not None}
        unknown = set(values) - known
        if unknown:
            raise QueryError(f"filter not supported by this store: {', '.join(sorted(unknown))}")
        return query.EventFilter(**values)


class Backend:
    """Read-only access to one store file for the API (directly, or through a refreshed snapshot)."""

    def __init__(self, path: Path, *, snapshot: bool = False, refresh_s: float = 5.0, cache_size: int = 256,
                 cache_bytes: int = 64 << 20) -> None:
        if not path.is_file():
            raise StoreError("no store at this path", where=str(path), hint="run `eventcoder ingest ... --db FILE`")
        self.path = path
        #: Rendered answers (JSON bytes) by store version and request: see ``app.py``.
        self.cache = ResponseCache(cache_size, cache_bytes)
        self.source: DirectSource | SnapshotSource = (
            SnapshotSource(path, refresh_s=refresh_s) if snapshot else DirectSource(path)
        )

    def close(self) -> None:
        self.source.close()

    def version(self, *, refresh: bool = True) -> str | None:
        """Names the store state the next answer comes from (see ``DirectSource``/``SnapshotSource.version``)."""
        return self.source.version(refresh=refresh)

    def _call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``function(store, ...)`` as JSON values."""
        with self.source.lease() as store:
            return jsonable(function(store, *args, **kwargs))

    # -- endpoints -------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        self._call(DuckDBStore.has_document, "")  # a round trip: the store answers
        return {"status": "ok", "schema_version": SCHEMA_VERSION}

    def summary(self) -> dict[str, Any]:
        raw = self._call(query.summary)
        return {**raw, "by_modality": {name: 0 for name in MODALITIES} | dict(raw.get("by_modality") or {})}

    def events(self, params: QueryParams, *, limit: int, cursor: str | None, merged: bool) -> dict[str, Any]:
        page = self._paged(query.query_events, params.to_filter(), limit=limit, cursor=cursor, merged=merged)
        return {**page, "items": [event_out(item) for item in page["items"]]}

    def event(self, event_id: str) -> dict[str, Any]:
        found = self._call(query.get_event, event_id)
        if not found:
            raise NotFoundError(f"no event with id {event_id!r}")
        return dict(found)

    def actors(self, q: str | None, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return self._paged(query.list_actors, q, limit=limit, cursor=cursor)

    def actor(self, actor_id: str) -> dict[str, Any]:
        found = self._call(query.get_actor, actor_id)
        if not found:
            raise NotFoundError(f"no actor with id {actor_id!r}")
        return dict(found)

    def documents(self, q: str | None, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return self._paged(query.list_documents, q=q, limit=limit, cursor=cursor)

    def document(self, document_id: str) -> dict[str, Any]:
        found = self._call(query.get_document, document_id)
        if not found:
            raise NotFoundError(f"no document with id {document_id!r}")
        return dict(found)

    def timeline(self, params: QueryParams, bucket: str) -> dict[str, Any]:
        return {"bucket": bucket, "items": self._call(query.timeline, params.to_filter(), bucket)}

    def network(self, params: QueryParams, *, min_weight: int, limit: int) -> dict[str, Any]:
        return dict(self._call(query.network, params.to_filter(), min_weight=min_weight, limit=limit))

    def places(self, params: QueryParams, *, limit: int) -> dict[str, Any]:
        return {"items": self._call(query.places, params.to_filter(), limit=limit)}

    def stories(self, params: QueryParams, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return self._paged(query.list_stories, params.to_filter(), limit=limit, cursor=cursor)

    # -- plumbing ----------------------------------------------------------------

    def _paged(self, function: Any, *args: Any, limit: int, cursor: str | None, **kwargs: Any) -> dict[str, Any]:
        try:
            raw = self._call(function, *args, limit=limit, cursor=cursor, **kwargs)
        except QueryError as error:
            if cursor is not None and "cursor" in error.message.lower():
                raise BadCursorError(error.message, hint=error.hint) from None
            raise
        return {"items": list(raw["items"]), "next_cursor": raw["next_cursor"], "total": raw["total"]}


# ---------------------------------------------------------------- cache


class ResponseCache:
    """A thread-safe LRU of rendered answers, at most ``size`` of them and ``max_bytes`` in all.

    Correct because keys name the store version (``Backend.version``): a read-only file never changes
    under the API, and a snapshot that is replaced gets a new name, so an ingest shows at once.
    """

    def __init__(self, size: int, max_bytes: int = 64 << 20) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._bytes = 0
        self._items: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple[str, ...]) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, ...], body: bytes) -> None:
        if self.size <= 0 or len(body) > self.max_bytes // 8:  # one huge page must not flush the rest
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes += len(body) - (len(old) if old is not None else 0)
            self._items[key] = body
            while len(self._items) > self.size or self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped)


# ---------------------------------------------------------------- shaping


def jsonable(value: Any) -> Any:
    """Dataclasses, dates and tuples as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def event_out(item: dict[str, Any]) -> dict[str, Any]:
    """A listed event: its document reduced to id and title (the text is in ``/api/events/{id}``)."""
    document = item.get("document") or {}
    return {**item, "document_title": document.get("title")}
