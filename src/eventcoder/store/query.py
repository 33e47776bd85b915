"""Read queries over a ``DuckDBStore``: what the CLI and the API ask.

Every value reaches SQL as a bound parameter; the SQL text is built only from
fixed fragments. Bad parameters and cursors raise ``QueryError``. Pages use
keyset pagination (newest first) with an opaque cursor.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..errors import QueryError
from ..model import MODALITIES
from .duckdb_store import DuckDBStore, placeholders
from .rows import date_bounds

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
BUCKETS: tuple[str, ...] = ("day", "week", "month", "year")
MAX_LIMIT = 10_000
MAX_TEXT_PARAM = 500
#: An actor name matching more actors than this is filtered by name instead of by ids.
MAX_ACTOR_IDS = 1_000
_DEFAULT_WINDOW = 300
#: A page whose rows span at most this many days is read by date range rather than by key.
_NARROW_PAGE_DAYS = 7


@dataclass
class EventFilter:
    """Filters shared by event queries, timelines, networks, maps and exports (all optional, ANDed)."""

    type: str | None = None  # PLOVER type
    actor: str | None = None  # actor id, or case-insensitive substring of its name
    role: str | None = None  # "actor" or "recipient": where ``actor`` must appear (default: either)
    recipient: str | None = None  # recipient id or name substring
    since: date | str | None = None  # event may be on or after (date windows overlap)
    until: date | str | None = None
    modality: str | None = None
    country: str | None = None  # ISO3 of the event's location
    place: str | None = None  # substring of the location name or admin1
    text: str | None = None  # substring of the evidence sentence
    document_id: str | None = None
    story_id: str | None = None
    min_confidence: float | None = None

    def is_empty(self) -> bool:
        return all(value is None or value == "" for value in vars(self).values())


@dataclass
class Page:
    items: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None
    total: int = 0


# -- filters -------------------------------------------------------------------


def _contains(column: str) -> str:
    """Case-insensitive substring test (faster than ILIKE and free of LIKE wildcards); bind the lowered value."""
    return f"contains(lower({column}), ?)"


def _text_param(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise QueryError(f"{name} must be a non-empty string")
    if len(value) > MAX_TEXT_PARAM:
        raise QueryError(f"{name} is longer than {MAX_TEXT_PARAM} characters")
    return value.strip()


def _day(name: str, value: date | str, *, upper: bool) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    start, end = date_bounds(_text_param(name, value)) if isinstance(value, str) else (None, None)
    bound = end if upper else start
    if bound is None:
        raise QueryError(f"{name}={value!r} is not a date", hint="use YYYY-MM-DD, YYYY-MM or YYYY")
    return bound


def _choice(name: str, value: str, choices: tuple[str, ...], *, upper: bool = False) -> str:
    normal = _text_param(name, value)
    normal = normal.upper() if upper else normal.lower()
    if normal not in choices:
        raise QueryError(f"{name}={value!r} is not one of {', '.join(choices)}")
    return normal


def _matching_actor_ids(store: DuckDBStore, value: str) -> list[str] | None:
    """Ids of the actors whose id is ``value`` or whose name contains it; None when too many to list."""
    rows = _fetch(store, f"SELECT id FROM actors WHERE id = ? OR {_contains('name')} ORDER BY id LIMIT ?",
                  [value, value.lower(), MAX_ACTOR_IDS + 1])
    return None if len(rows) > MAX_ACTOR_IDS else [row["id"] for row in rows]


def _actor_clause(store: DuckDBStore, sides: list[str], value: str, params: list[Any], alias: str) -> str:
    """Events whose actor (or recipient) is the actor ``value`` names: resolved to ids through ``actors``."""
    ids = _matching_actor_ids(store, value)
    clauses = []
    for side in sides:
        if ids is None:
            clauses.append(f"({alias}.{side}_id = ? OR {_contains(f'{alias}.{side}_name')})")
            params.extend([value, value.lower()])
        elif ids:
            clauses.append(f"{alias}.{side}_id IN {placeholders(len(ids))}")
            params.extend(ids)
    return "(" + " OR ".join(clauses) + ")" if clauses else "FALSE"


# -- places ---------------------------------------------------------------------

#: A place substring matching more distinct names than this is filtered by scanning the names instead.
MAX_PLACE_NAMES = 1_000


def _place_names(store: DuckDBStore, column: str) -> list[tuple[str, str]]:
    """Distinct values of an events place column with DuckDB's lower() of each, cached until events are added."""
    return list(store.derived(f"place_names:{column}", lambda cursor: cursor.execute(
        f"SELECT DISTINCT {column}, lower({column}) FROM events WHERE {column} IS NOT NULL").fetchall()))


def _place_clause(store: DuckDBStore, needle: str, params: list[Any], alias: str) -> str:
    """Events whose place name or admin1 contains ``needle``: the few matching names, compared as whole values.

    Equality on the dictionary-encoded column is pushed into the scan, where
    lower-casing and searching every row's name is not. (The same lower() as
    the scan: a substring of the UTF-8 bytes is a substring of the text.)
    """
    clauses = []
    for column in ("location_name", "location_admin1"):
        names = [name for name, lowered in _place_names(store, column) if needle in lowered]
        if len(names) > MAX_PLACE_NAMES:
            clauses.append(_contains(f"{alias}.{column}"))
            params.append(needle)
        elif names:
            clauses.append(f"{alias}.{column} IN {placeholders(len(names))}")
            params.extend(names)
    return "(" + " OR ".join(clauses) + ")" if clauses else "FALSE"


# -- text search ------------------------------------------------------------------

#: Events whose sentence has a word containing the bound piece (a piece has no spaces, so it lies inside one word).
_PIECE_EVENTS = ("SELECT event_id FROM search_terms "
                 "WHERE term IN (SELECT term FROM search_vocabulary WHERE contains(term, ?))")
#: Pieces whose words are in more than this share of the events are cheaper to find by scanning the sentences.
SEARCH_SCAN_SHARE = 0.25


def _search_pieces(store: DuckDBStore, needle: str) -> list[str] | None:
    """The pieces of ``needle`` (split on spaces) to look up in ``search_terms``, rarest first; None: scan instead."""
    pieces = sorted({piece for piece in needle.split(" ") if piece})
    if not pieces:
        return None
    rows = _fetch(
        store,
        """SELECT p.piece, coalesce(sum(v.n), 0) AS n, (SELECT count(*) FROM events) AS events
           FROM unnest(?::VARCHAR[]) AS p(piece) LEFT JOIN search_vocabulary AS v ON contains(v.term, p.piece)
           GROUP BY p.piece ORDER BY n, p.piece LIMIT 2""",
        [pieces],
    )
    if rows[0]["n"] > SEARCH_SCAN_SHARE * rows[0]["events"]:
        return None
    return [row["piece"] for row in rows]


def _text_clause(store: DuckDBStore, needle: str, params: list[Any], alias: str) -> str:
    """Events whose evidence sentence contains ``needle`` (lower-cased), through the search words when selective.

    A needle without spaces is answered by the words alone; one with spaces
    narrows to the events having its (at most two) rarest pieces, then checks
    the whole needle on those sentences.
    """
    scan = _contains(f"{alias}.evidence_text")
    pieces = _search_pieces(store, needle)
    if pieces is None:
        params.append(needle)
        return scan
    clauses = [f"{alias}.id IN ({_PIECE_EVENTS})" for _ in pieces]
    params.extend(pieces)
    if " " in needle:
        clauses.append(scan)
        params.append(needle)
    return "(" + " AND ".join(clauses) + ")"


def _text_only_table(store: DuckDBStore, flt: EventFilter | None) -> tuple[str, list[Any]] | None:
    """For a filter on the sentence alone: (id, date_start) of the matching events straight from ``search_terms``.

    With the date a column of the DISTINCT, the page's date conditions are
    pushed into the scan, so a page reads only its words' rows of its days.
    """
    if flt is None or not flt.text or EventFilter(text=flt.text) != flt:
        return None
    needle = _text_param("text", flt.text).lower()
    pieces = _search_pieces(store, needle) if " " not in needle else None
    if pieces is None:
        return None
    return ("(SELECT DISTINCT event_id AS id, date_start FROM search_terms WHERE term IN "
            "(SELECT term FROM search_vocabulary WHERE contains(term, ?)))", pieces)


def _where(flt: EventFilter | None, store: DuckDBStore, alias: str = "e") -> tuple[str, list[Any]]:
    """SQL condition on events (as ``alias``) and its parameters."""
    clauses: list[str] = ["TRUE"]
    params: list[Any] = []
    if flt is None:
        return "TRUE", params
    if flt.type:
        clauses.append(f"{alias}.type = ?")
        params.append(_choice("type", flt.type, PLOVER_TYPES, upper=True))
    if flt.actor:
        actor = _text_param("actor", flt.actor)
        role = _choice("role", flt.role, ("actor", "recipient")) if flt.role else None
        sides = [role] if role else ["actor", "recipient"]
        clauses.append(_actor_clause(store, sides, actor, params, alias))
    elif flt.role:
        _choice("role", flt.role, ("actor", "recipient"))
    if flt.recipient:
        clauses.append(_actor_clause(store, ["recipient"], _text_param("recipient", flt.recipient), params, alias))
    if flt.since is not None:
        clauses.append(f"{alias}.date_end >= ?")
        params.append(_day("since", flt.since, upper=False))
    if flt.until is not None:
        clauses.append(f"{alias}.date_start <= ?")
        params.append(_day("until", flt.until, upper=True))
    if flt.modality:
        clauses.append(f"{alias}.modality = ?")
        params.append(_choice("modality", flt.modality, MODALITIES))
    if flt.country:
        clauses.append(f"{alias}.location_country = ?")
        params.append(_text_param("country", flt.country).upper())
    if flt.place:
        clauses.append(_place_clause(store, _text_param("place", flt.place).lower(), params, alias))
    if flt.text:
        clauses.append(_text_clause(store, _text_param("text", flt.text).lower(), params, alias))
    for column in ("document_id", "story_id"):
        value = getattr(flt, column)
        if value:
            clauses.append(f"{alias}.{column} = ?")
            params.append(_text_param(column, value))
    if flt.min_confidence is not None:
        clauses.append(f"{alias}.confidence >= ?")
        params.append(_confidence(flt.min_confidence))
    return " AND ".join(clauses), params


def _confidence(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise QueryError(f"min_confidence={value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise QueryError(f"min_confidence={value!r} is not between 0 and 1")
    return number


def _limit(value: Any, maximum: int = MAX_LIMIT) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise QueryError(f"limit={value!r} must be an integer from 1 to {maximum}")
    return value


# -- cursors --------------------------------------------------------------------


def _encode_cursor(kind: str, *key: Any) -> str:
    payload = json.dumps([kind, *key], default=str, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii").rstrip("=")


def _decode_cursor(kind: str, cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError, TypeError):
        raise QueryError("invalid cursor", hint="pass next_cursor from the previous page unchanged") from None
    if not isinstance(decoded, list) or len(decoded) != arity + 1 or decoded[0] != kind:
        raise QueryError("invalid cursor", hint="pass next_cursor from the previous page of the same listing")
    return decoded[1:]


def _date_order(alias: str, column: str = "date_start") -> str:
    """Newest first, undated last; plain columns so DuckDB's top-N can skip row groups by their zone maps."""
    return f"{alias}.{column} DESC NULLS LAST, {alias}.id DESC"


@dataclass(frozen=True)
class _DatePage:
    """Where a date-ordered listing resumes: after (date, id); ``total`` counted on its first page."""

    condition: str = "TRUE"
    params: tuple[Any, ...] = ()
    total: int | None = None


def _date_cursor(kind: str, cursor: str | None, alias: str, column: str = "date_start") -> _DatePage:
    """Keyset condition: rows after (date, id) in ``_date_order``."""
    if cursor is None:
        return _DatePage()
    day, last_id, total = _decode_cursor(kind, cursor, 3)
    if not isinstance(last_id, str) or not (day is None or isinstance(day, str)) or type(total) is not int:
        raise QueryError("invalid cursor")
    key = f"{alias}.{column}"
    if day is None:
        return _DatePage(f"({key} IS NULL AND {alias}.id < ?)", (last_id,), total)
    sort_day = _day("cursor", day, upper=False)
    return _DatePage(
        f"({key} < ? OR ({key} = ? AND {alias}.id < ?) OR {key} IS NULL)", (sort_day, sort_day, last_id), total,
    )


def _next_date_cursor(kind: str, keys: list[dict[str, Any]], limit: int, total: int) -> str | None:
    if len(keys) <= limit:
        return None
    last = keys[limit - 1]
    return _encode_cursor(kind, _iso(last["sort_date"]), last["id"], total)


def _top_keys(store: DuckDBStore, table: str, where: str, params: list[Any], page: _DatePage, limit: int,
              column: str = "date_start", table_params: list[Any] | None = None) -> tuple[list[dict[str, Any]], int]:
    """(id, sort_date) of the next ``limit + 1`` rows of ``table`` (alias ``t``) in ``_date_order``, and the total.

    Two passes, both cheap on a table stored roughly in date order. The first
    evaluates the filter once over the table, reading only the columns it
    needs, and gives both the count of matches and their ``limit + 1`` newest
    dates (a window count would materialise every match). The second reads
    only the row groups between the first and the last of those dates for the
    (date, id) ordering, and never the ids of the rows the first one passed over. Rows
    without a date sort last, so they are read only when fewer than
    ``limit + 1`` matches have one.
    """
    condition = f"{where} AND {page.condition}"
    first = _fetch(
        store, f"SELECT count(*) AS matches, max(t.{column}, ?) AS newest FROM {table} AS t WHERE {condition}",
        [limit + 1, *(table_params or []), *params, *page.params],
    )[0]
    newest, matches = first["newest"] or [], first["matches"]
    # The page lies between the newest match and the (limit+1)-th newest: zone maps skip every other row group.
    cutoff, cutoff_params = (f"t.{column} BETWEEN ? AND ?", [newest[limit], newest[0]]) if len(newest) > limit \
        else ("TRUE", [])
    keys = _fetch(
        store,
        f"SELECT t.id, t.{column} AS sort_date FROM {table} AS t WHERE {condition} AND {cutoff} "
        f"ORDER BY {_date_order('t', column)} LIMIT ?",
        [*(table_params or []), *params, *page.params, *cutoff_params, limit + 1],
    )
    return keys, page.total if page.total is not None else int(matches or 0)


def _rows_by_keys(store: DuckDBStore, table: str, keys: list[dict[str, Any]],
                  column: str = "date_start") -> list[dict[str, Any]]:
    """Full rows of a page's keys, in order.

    A page of a few days is read from the row groups of those days (zone maps),
    cheaper than one primary-key probe per row; a page spread wider is probed.
    """
    days = [key["sort_date"] for key in keys]
    if not keys or None in days or (max(days) - min(days)).days > _NARROW_PAGE_DAYS:
        return _rows_by_id(store, table, [key["id"] for key in keys])
    ids = [key["id"] for key in keys]
    found = {row["id"]: row for row in _fetch(
        store, f"SELECT * FROM {table} WHERE {column} BETWEEN ? AND ? AND id IN {placeholders(len(ids))}",
        [min(days), max(days), *ids])}
    return [found[row_id] for row_id in ids if row_id in found]


def _rows_by_id(store: DuckDBStore, table: str, ids: list[str]) -> list[dict[str, Any]]:
    """Full rows for ids, in the order given (an IN list of parameters uses the primary-key index)."""
    if not ids:
        return []
    found = {row["id"]: row for row in _fetch(store, f"SELECT * FROM {table} WHERE id IN {placeholders(len(ids))}",
                                                   list(ids))}
    return [found[row_id] for row_id in ids if row_id in found]


# -- plumbing -------------------------------------------------------------------


def _fetch(store: DuckDBStore, sql: str, params: list[Any] | dict[str, Any]) -> list[dict[str, Any]]:
    with store.reading() as cursor:
        result = cursor.execute(sql, params)
        names = [column[0] for column in result.description or []]
        return [dict(zip(names, values, strict=True)) for values in result.fetchall()]


def _scalar(store: DuckDBStore, sql: str, params: list[Any]) -> Any:
    with store.reading() as cursor:
        row = cursor.execute(sql, params).fetchone()
    return row[0] if row else None


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _ref(ref_id: Any, name: Any) -> dict[str, Any] | None:
    return {"id": ref_id, "name": name} if ref_id is not None or name is not None else None


def _documents_by_id(store: DuckDBStore, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not doc_ids:
        return {}
    wanted = sorted(set(doc_ids))
    rows = _fetch(store, f"SELECT id, title, source, url, published FROM documents WHERE id IN "
                         f"{placeholders(len(wanted))}", wanted)
    return {row["id"]: row for row in rows}


def _event_dict(row: dict[str, Any], document: dict[str, Any] | None = None) -> dict[str, Any]:
    """An events row in the OUTPUT.md event shape, with its store ids and document."""
    location = None
    if row["location_name"] is not None:
        location = {
            "name": row["location_name"], "country": row["location_country"], "admin1": row["location_admin1"],
            "lat": row["lat"], "lon": row["lon"], "geonameid": row["geonameid"], "feature": row["location_feature"],
        }
    return {
        "id": row["id"], "event_key": row["event_key"], "document_id": row["document_id"], "story_id": row["story_id"],
        "type": row["type"], "mode": row["mode"], "context": list(row["context"] or []), "cameo": row["cameo"],
        "quad_class": row["quad_class"], "goldstein": row["goldstein"],
        "actor": _ref(row["actor_id"], row["actor_name"]),
        "recipient": _ref(row["recipient_id"], row["recipient_name"]),
        "date": row["date"], "date_precision": row["date_precision"], "date_text": row["date_text"],
        "date_start": _iso(row["date_start"]), "date_end": _iso(row["date_end"]), "location": location,
        "modality": row["modality"], "attributed_to": _ref(row["attributed_id"], row["attributed_name"]),
        "disputed_by": list(row["disputed_by"] or []),
        "evidence": {
            "text": row["evidence_text"], "start": row["evidence_start"], "end": row["evidence_end"],
            "trigger": {"text": row["trigger_text"], "start": row["trigger_start"], "end": row["trigger_end"]},
        },
        "confidence": row["confidence"],
        "document": document or {"id": row["document_id"]},
    }


def _event_items(store: DuckDBStore, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    documents = _documents_by_id(store, [row["document_id"] for row in rows])
    return [_event_dict(row, documents.get(row["document_id"])) for row in rows]


# -- events ---------------------------------------------------------------------


def query_events(store: DuckDBStore, flt: EventFilter | None = None, *, limit: int = 50,
                 cursor: str | None = None, merged: bool = False) -> Page:
    """Events matching ``flt``, newest first; ``merged`` gives one row per story (its founding report)."""
    if merged:
        return _merged_events(store, flt, limit=limit, cursor=cursor)
    limit = _limit(limit)
    page = _date_cursor("events", cursor, "t")
    # Sort only the keys, then read the page's full rows by id: top-N over every column is far slower.
    searched = _text_only_table(store, flt)
    if searched is not None:
        keys, total = _top_keys(store, searched[0], "TRUE", [], page, limit, table_params=searched[1])
    else:
        where, params = _where(flt, store, alias="t")
        keys, total = _top_keys(store, "events", where, params, page, limit)
    rows = _rows_by_keys(store, "events", keys[:limit])
    return Page(_event_items(store, rows), _next_date_cursor("events", keys, limit, total), total)


def get_event(store: DuckDBStore, event_id: str, *, window: int = _DEFAULT_WINDOW) -> dict[str, Any] | None:
    """One event with all its mentions, its document and a text window with highlight offsets."""
    rows = _fetch(store, "SELECT * FROM events WHERE id = ?", [_text_param("event_id", event_id)])
    if not rows:
        return None
    row = rows[0]
    documents = _fetch(store, "SELECT id, title, source, url, published, text FROM documents WHERE id = ?",
                       [row["document_id"]])
    document = documents[0] if documents else {"id": row["document_id"], "text": ""}
    text = document.pop("text") or ""
    event = _event_dict(row, document)
    event["mentions"] = _fetch(
        store, 'SELECT text, start, "end" FROM event_mentions WHERE event_id = ? ORDER BY start', [row["id"]]
    )
    event["window"] = _text_window(text, event, window)
    event["story"] = _story_of(store, row["story_id"])
    return event


def _text_window(text: str, event: dict[str, Any], margin: int) -> dict[str, Any]:
    evidence = event["evidence"]
    ev_start = evidence["start"] if evidence["start"] is not None else 0
    ev_end = evidence["end"] if evidence["end"] is not None else ev_start
    start, end = max(0, ev_start - margin), min(len(text), ev_end + margin)
    spans = [("evidence", evidence), ("trigger", evidence["trigger"])]
    spans += [("mention", mention) for mention in event["mentions"]]
    highlights = [
        {"kind": kind, "start": span["start"] - start, "end": span["end"] - start}
        for kind, span in spans
        if span.get("start") is not None and span.get("end") is not None and start <= span["start"]
        and span["end"] <= end
    ]
    return {"text": text[start:end], "start": start, "end": end, "highlights": highlights}


# -- stories --------------------------------------------------------------------


def _story_rows(store: DuckDBStore, flt: EventFilter | None, limit: int, cursor: str | None,
                kind: str) -> tuple[list[dict[str, Any]], str | None, int]:
    limit = _limit(limit)
    where, params = _where(flt, store)
    members = "TRUE" if where == "TRUE" else f"t.id IN (SELECT e.story_id FROM events AS e WHERE {where})"
    page = _date_cursor(kind, cursor, "t")
    keys, total = _top_keys(store, "stories", members, params, page, limit)
    rows = _rows_by_keys(store, "stories", keys[:limit])
    return rows, _next_date_cursor(kind, keys, limit, total), total


def _story_dict(row: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {
        "id": row["id"], "event_id": row["event_id"], "type": row["type"], "quad_class": row["quad_class"],
        "actor": _ref(row["actor_id"], names.get(row["actor_id"])) if row["actor_id"] else None,
        "recipient": _ref(row["recipient_id"], names.get(row["recipient_id"])) if row["recipient_id"] else None,
        "date_start": _iso(row["date_start"]), "date_end": _iso(row["date_end"]),
        "location_name": row["location_name"], "location_country": row["location_country"],
        "evidence_text": row["evidence_text"], "first_reported": _iso(row["first_reported"]),
        "n_reports": row["n_reports"], "n_sources": row["n_sources"], "sources": list(row["sources"] or []),
        "document_ids": list(row["document_ids"] or []),
    }


def _actor_names(store: DuckDBStore, ids: list[str | None]) -> dict[str, str]:
    wanted = sorted({actor_id for actor_id in ids if actor_id})
    if not wanted:
        return {}
    return {row["id"]: row["name"] for row in _rows_by_id(store, "actors", wanted)}


def _story_dicts(store: DuckDBStore, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = _actor_names(store, [r["actor_id"] for r in rows] + [r["recipient_id"] for r in rows])
    return [_story_dict(row, names) for row in rows]


def list_stories(store: DuckDBStore, flt: EventFilter | None = None, limit: int = 50,
                 cursor: str | None = None) -> Page:
    """Stories with at least one report matching ``flt``, newest first."""
    rows, next_cursor, total = _story_rows(store, flt, limit, cursor, "stories")
    return Page(_story_dicts(store, rows), next_cursor, total)


def _merged_events(store: DuckDBStore, flt: EventFilter | None, *, limit: int, cursor: str | None) -> Page:
    rows, next_cursor, total = _story_rows(store, flt, limit, cursor, "merged")
    stories = _story_dicts(store, rows)
    events = _rows_by_id(store, "events", [story["event_id"] for story in stories])
    by_id = {event["id"]: event for event in _event_items(store, events)}
    items = []
    for story in stories:
        if story["event_id"] in by_id:
            items.append({**by_id[story["event_id"]], "story": story})
    return Page(items, next_cursor, total)


def _story_of(store: DuckDBStore, story_id: str | None) -> dict[str, Any] | None:
    if not story_id:
        return None
    rows = _fetch(store, "SELECT * FROM stories WHERE id = ?", [story_id])
    if not rows:
        return None
    story = _story_dicts(store, rows)[0]
    members = _fetch(store, "SELECT id, document_id FROM events WHERE story_id = ? ORDER BY id", [story_id])
    documents = _documents_by_id(store, [member["document_id"] for member in members])
    reports = [
        {"event_id": member["id"], **{k: v for k, v in documents.get(member["document_id"], {}).items() if k != "id"},
         "document_id": member["document_id"]}
        for member in members
    ]
    story["reports"] = sorted(reports, key=lambda report: (report.get("published") or "9999", report["event_id"]))
    return story


# -- documents ------------------------------------------------------------------

_DOCUMENT_COLUMNS = "id, input_id, origin, title, published, published_source, source, url, categories, language, " \
    "n_events, ingested_at"


def list_documents(store: DuckDBStore, *, q: str | None = None, source: str | None = None, limit: int = 50,
                   cursor: str | None = None) -> Page:
    """Documents, newest published first; ``q`` filters on the title, ``source`` on the outlet (substrings)."""
    limit = _limit(limit)
    clauses, params = ["TRUE"], []
    if q:
        clauses.append(_contains("t.title"))
        params.append(_text_param("q", q).lower())
    if source:
        clauses.append(_contains("t.source"))
        params.append(_text_param("source", source).lower())
    where = " AND ".join(clauses)
    page = _date_cursor("documents", cursor, "t", "published_date")
    keys, total = _top_keys(store, "documents", where, params, page, limit, "published_date")
    ids = [key["id"] for key in keys[:limit]]
    rows = _fetch(store, f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE id IN {placeholders(len(ids))}", ids)
    by_id = {row["id"]: {k: _iso(v) for k, v in row.items()} for row in rows}
    items = [by_id[doc_id] for doc_id in ids if doc_id in by_id]
    return Page(items, _next_date_cursor("documents", keys, limit, total), total)


def get_document(store: DuckDBStore, doc_id: str) -> dict[str, Any] | None:
    """A document in the OUTPUT.md shape (document, actors, events, quotes) with store ids."""
    rows = _fetch(store, "SELECT * FROM documents WHERE id = ?", [_text_param("doc_id", doc_id)])
    if not rows:
        return None
    document = {k: _iso(v) for k, v in rows[0].items() if k != "published_date"}
    mentions = _fetch(store, 'SELECT actor_id, text, start, "end" FROM actor_mentions WHERE document_id = ? '
                             "ORDER BY start", [doc_id])
    actors = _actors_by_id(store, sorted({m["actor_id"] for m in mentions}))
    for mention in mentions:
        actors[mention.pop("actor_id")].setdefault("mentions", []).append(mention)
    events = _event_items(store, _fetch(store, "SELECT * FROM events WHERE document_id = ? ORDER BY evidence_start, id",
                                        [doc_id]))
    event_mentions = _fetch(store, 'SELECT event_id, text, start, "end" FROM event_mentions WHERE document_id = ? '
                                   "ORDER BY start", [doc_id])
    for event in events:
        event["mentions"] = [
            {k: v for k, v in m.items() if k != "event_id"} for m in event_mentions if m["event_id"] == event["id"]
        ]
    quotes = _fetch(store, 'SELECT speaker_id, speaker_name, text, start, "end" FROM quotes WHERE document_id = ? '
                           "ORDER BY idx", [doc_id])
    return {
        "document": document, "actors": list(actors.values()), "events": events,
        "quotes": [{"speaker": _ref(q.pop("speaker_id"), q.pop("speaker_name")), **q} for q in quotes],
    }


# -- actors ---------------------------------------------------------------------


def _actor_dict(row: dict[str, Any]) -> dict[str, Any]:
    actor = dict(row)
    actor["roles"] = json.loads(row["roles"]) if row.get("roles") else []
    actor["member_of"] = list(row.get("member_of") or [])
    return actor


def _actors_by_id(store: DuckDBStore, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    return {row["id"]: _actor_dict(row) for row in _rows_by_id(store, "actors", sorted(set(ids)))}


def list_actors(store: DuckDBStore, q: str | None = None, limit: int = 50, cursor: str | None = None) -> Page:
    """Actors by number of events they take part in (as actor or recipient); ``q``: id or name substring."""
    limit = _limit(limit)
    where, params = "TRUE", []
    if q:
        value = _text_param("q", q)
        where, params = f"(a.id = ? OR {_contains('a.name')})", [value, value.lower()]
    keyset, key_params = "TRUE", []
    if cursor is not None:
        count, last_id = _decode_cursor("actors", cursor, 2)
        if not isinstance(count, int) or not isinstance(last_id, str):
            raise QueryError("invalid cursor")
        keyset = "(a.n_events < ? OR (a.n_events = ? AND a.id > ?))"
        key_params = [count, count, last_id]
    rows = _fetch(
        store,
        f"SELECT a.* FROM actors AS a WHERE {where} AND {keyset} ORDER BY a.n_events DESC, a.id ASC LIMIT ?",
        [*params, *key_params, limit + 1],
    )
    total = int(_scalar(store, f"SELECT count(*) FROM actors AS a WHERE {where}", params) or 0)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = _encode_cursor("actors", rows[-1]["n_events"], rows[-1]["id"])
    return Page([_actor_dict(row) for row in rows], next_cursor, total)


# One scan of the actor's events feeds every figure of ``get_actor``.
_ACTOR_PROFILE = """
WITH mine AS MATERIALIZED (
    SELECT type, actor_id, actor_name, recipient_id, recipient_name, goldstein, document_id, date_start, date_end
    FROM events WHERE actor_id = $id OR recipient_id = $id
),
partners AS (
    SELECT partner AS id, any_value(partner_name) AS name, count(*) AS events,
           count(*) FILTER (WHERE outgoing) AS as_actor, round(avg(goldstein), 3) AS mean_goldstein
    FROM (
        SELECT recipient_id AS partner, recipient_name AS partner_name, true AS outgoing, goldstein
        FROM mine WHERE actor_id = $id AND recipient_id IS NOT NULL AND recipient_id <> $id
        UNION ALL
        SELECT actor_id, actor_name, false, goldstein FROM mine
        WHERE recipient_id = $id AND actor_id IS NOT NULL AND actor_id <> $id
    ) GROUP BY partner ORDER BY events DESC, partner LIMIT $top
),
types AS (SELECT type, count(*) AS n FROM mine GROUP BY type)
SELECT
    (SELECT {'as_actor': count(*) FILTER (WHERE actor_id = $id),
             'as_recipient': count(*) FILTER (WHERE recipient_id = $id),
             'documents': count(DISTINCT document_id), 'first_date': min(date_start), 'last_date': max(date_end)}
     FROM mine) AS counts,
    (SELECT list({'type': type, 'n': n} ORDER BY n DESC, type) FROM types) AS by_type,
    (SELECT list({'id': id, 'name': name, 'events': events, 'as_actor': as_actor, 'mean_goldstein': mean_goldstein}
                 ORDER BY events DESC, id) FROM partners) AS partners
"""


def get_actor(store: DuckDBStore, actor_id: str, *, top: int = 10) -> dict[str, Any] | None:
    """One actor with its affiliations, members, roles, event counts by side and type, and top partners."""
    found = _actors_by_id(store, [_text_param("actor_id", actor_id)])
    if actor_id not in found:
        return None
    actor = found[actor_id]
    profile = _fetch(store, _ACTOR_PROFILE, {"id": actor_id, "top": _limit(top, 1000)})[0]
    actor["counts"] = {key: _iso(value) for key, value in profile["counts"].items()}
    actor["by_type"] = {item["type"]: item["n"] for item in profile["by_type"] or []}
    actor["partners"] = list(profile["partners"] or [])
    names = _actor_names(store, actor["member_of"])
    actor["member_of"] = [{"id": ref, "name": names.get(ref)} for ref in actor["member_of"]]
    actor["members"] = _fetch(store, "SELECT id, name FROM actors WHERE list_contains(member_of, ?) ORDER BY name",
                              [actor_id])
    return actor

# -- aggregates -----------------------------------------------------------------


def timeline(store: DuckDBStore, flt: EventFilter | None = None, bucket: str = "day") -> list[dict[str, Any]]:
    """Dated events per period (placed on the first day they may be on), by type and quad class."""
    unit = _choice("bucket", bucket, BUCKETS)
    where, params = _where(flt, store)
    rows = _fetch(
        store,
        f"""SELECT date_trunc(?, e.date_start) AS period, e.type, e.quad_class, count(*) AS n
            FROM events AS e WHERE e.date_start IS NOT NULL AND {where}
            GROUP BY ALL ORDER BY period""",
        [unit, *params],
    )
    periods: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = _iso(row["period"].date() if isinstance(row["period"], datetime) else row["period"])
        entry = periods.setdefault(key, {"period": key, "total": 0, "by_type": {}, "by_quad_class": {}})
        entry["total"] += row["n"]
        entry["by_type"][row["type"]] = entry["by_type"].get(row["type"], 0) + row["n"]
        quad = str(row["quad_class"]) if row["quad_class"] is not None else "unknown"
        entry["by_quad_class"][quad] = entry["by_quad_class"].get(quad, 0) + row["n"]
    return list(periods.values())


def network(store: DuckDBStore, flt: EventFilter | None = None, min_weight: int = 1,
            limit: int = 200) -> dict[str, list[dict[str, Any]]]:
    """Directed actor -> recipient edges weighted by event count, heaviest first, and their nodes."""
    where, params = _where(flt, store)
    edges = _fetch(
        store,
        f"""SELECT e.actor_id AS source, e.recipient_id AS target, count(*) AS weight,
                   avg(e.goldstein) AS mean_goldstein,
                   count(*) FILTER (WHERE e.quad_class = 1) AS q1, count(*) FILTER (WHERE e.quad_class = 2) AS q2,
                   count(*) FILTER (WHERE e.quad_class = 3) AS q3, count(*) FILTER (WHERE e.quad_class = 4) AS q4,
                   any_value(e.actor_name) AS source_name, any_value(e.recipient_name) AS target_name
            FROM events AS e
            WHERE e.actor_id IS NOT NULL AND e.recipient_id IS NOT NULL AND {where}
            GROUP BY e.actor_id, e.recipient_id HAVING count(*) >= ?
            ORDER BY weight DESC, source, target LIMIT ?""",
        [*params, _limit(min_weight, 10**9), _limit(limit)],
    )
    return {"nodes": _network_nodes(store, edges), "edges": [_edge(edge) for edge in edges]}


def _edge(row: dict[str, Any]) -> dict[str, Any]:
    mean = row["mean_goldstein"]
    return {
        "source": row["source"], "target": row["target"], "weight": row["weight"],
        "mean_goldstein": round(mean, 3) if mean is not None else None,
        "quad_class_counts": {str(q): row[f"q{q}"] for q in range(1, 5)},
    }


def _network_nodes(store: DuckDBStore, edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for edge in edges:
        for side in ("source", "target"):
            node = nodes.setdefault(edge[side], {"id": edge[side], "name": edge[f"{side}_name"], "weight": 0})
            node["weight"] += edge["weight"]
    known = _actors_by_id(store, sorted(nodes))
    for node_id, node in nodes.items():
        actor = known.get(node_id, {})
        node.update(name=actor.get("name") or node["name"], type=actor.get("type"), country=actor.get("country"))
    return sorted(nodes.values(), key=lambda node: (-node["weight"], node["id"]))


def places(store: DuckDBStore, flt: EventFilter | None = None, *, limit: int = 500) -> list[dict[str, Any]]:
    """Event locations with their event counts, most frequent first."""
    where, params = _where(flt, store)
    return _fetch(
        store,
        f"""SELECT e.location_name AS name, e.lat, e.lon, e.location_country AS country, e.geonameid,
                   count(*) AS count
            FROM events AS e WHERE e.location_name IS NOT NULL AND {where}
            GROUP BY ALL ORDER BY count DESC, name LIMIT ?""",
        [*params, _limit(limit)],
    )


def summary(store: DuckDBStore, *, top: int = 10) -> dict[str, Any]:
    """Counts for a dashboard or the CLI: documents, events, stories, types, modalities, actors, errors."""
    counts = _fetch(
        store,
        """SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM events) AS events,
                  (SELECT count(*) FROM stories) AS stories,
                  (SELECT count(*) FROM stories WHERE n_reports > 1) AS merged_stories,
                  (SELECT count(*) FROM errors WHERE NOT resolved) AS errors_pending,
                  (SELECT count(*) FROM errors WHERE resolved) AS errors_resolved""",
        [],
    )[0]
    by_type = _fetch(store, "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC, type", [])
    by_modality = _fetch(store, "SELECT modality, count(*) AS n FROM events GROUP BY modality ORDER BY n DESC", [])
    top_actors = list_actors(store, limit=_limit(top, 1000)).items
    return {
        "documents": counts["documents"], "events": counts["events"], "stories": counts["stories"],
        "merged_stories": counts["merged_stories"],
        "by_type": {row["type"]: row["n"] for row in by_type},
        "by_modality": {row["modality"]: row["n"] for row in by_modality},
        "top_actors": [{"id": a["id"], "name": a["name"], "events": a["n_events"]} for a in top_actors],
        "errors": {"pending": counts["errors_pending"], "resolved": counts["errors_resolved"]},
    }
