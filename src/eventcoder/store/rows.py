"""Flatten one OUTPUT.md result dict into the rows of the store's tables.

Pure functions, no database: ``duckdb_store`` turns the rows into Arrow
tables and inserts them in bulk.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..errors import StoreError

Row = dict[str, Any]


def global_event_id(doc_id: str, event_id: str) -> str:
    """Store-wide id of an event: the document id's first 16 hex digits and the in-document id."""
    return f"{doc_id[:16]}:{event_id}"


def date_bounds(value: str | None, precision: str | None = None) -> tuple[date | None, date | None]:
    """Inclusive first and last day an ISO value of any precision may denote.

    ``2020-06`` -> (2020-06-01, 2020-06-30); ``2020`` -> the whole year; a
    ``start/end`` pair (range) -> the bounds of both ends. Unknown or
    unparsable values give ``(None, None)``: never a day that was not said.
    """
    if not value or precision == "unknown":
        return None, None
    if "/" in value:
        first, _, last = value.partition("/")
        return date_bounds(first)[0], date_bounds(last)[1]
    value = value.partition("T")[0]  # a timestamp's day
    try:
        parts = [int(part) for part in value.strip().split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            last_day = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last_day)
        if len(parts) == 3:
            day = date(parts[0], parts[1], parts[2])
            return day, day
    except ValueError:
        pass
    return None, None


def precision_of(value: str | None) -> str:
    """Precision of an ISO value from its shape (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``)."""
    if not value:
        return "unknown"
    return {1: "year", 2: "month", 3: "day"}.get(value.count("-") + 1, "range") if "/" not in value else "range"


@dataclass
class DocumentRows:
    """Rows of every table for one document."""

    document: Row
    actors: list[Row] = field(default_factory=list)
    actor_mentions: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    event_mentions: list[Row] = field(default_factory=list)
    quotes: list[Row] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return str(self.document["id"])


def flatten_result(result: dict[str, Any], *, ingested_at: datetime) -> DocumentRows:
    """Rows for one ``ExtractionResult.to_dict()``; a result without a document id is a StoreError."""
    document = result.get("document")
    if not isinstance(document, dict) or not document.get("id"):
        raise StoreError("result has no document id", hint="pass ExtractionResult.to_dict() output")
    doc_id = str(document["id"])
    try:
        return _flatten(result, document, doc_id, ingested_at)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise StoreError(f"malformed result: {type(error).__name__}: {error}", where=f"document {doc_id}",
                         hint="pass ExtractionResult.to_dict() output (OUTPUT.md shape)") from None


def _flatten(result: dict[str, Any], document: dict[str, Any], doc_id: str, ingested_at: datetime) -> DocumentRows:
    events = [_event_row(doc_id, event) for event in result.get("events") or []]
    if len({event["id"] for event in events}) != len(events):
        raise ValueError("two events share one id")
    rows = DocumentRows(document=_document_row(result, document, len(events), ingested_at), events=events)
    for actor in result.get("actors") or []:
        rows.actors.append(_actor_row(actor))
        rows.actor_mentions.extend(
            {"document_id": doc_id, "actor_id": actor["id"], **_span(mention)}
            for mention in actor.get("mentions") or []
        )
    for event, row in zip(result.get("events") or [], events, strict=True):
        rows.event_mentions.extend(
            {"event_id": row["id"], "document_id": doc_id, **_span(mention)} for mention in event.get("mentions") or []
        )
    for index, quote in enumerate(result.get("quotes") or []):
        speaker = quote.get("speaker") or {}
        rows.quotes.append({
            "document_id": doc_id, "idx": index, "speaker_id": speaker.get("id"), "speaker_name": speaker.get("name"),
            **_span(quote),
        })
    return rows


def _span(span: dict[str, Any]) -> Row:
    return {"start": span.get("start"), "end": span.get("end"), "text": span.get("text")}


def _document_row(result: dict[str, Any], document: dict[str, Any], n_events: int, ingested_at: datetime) -> Row:
    published = document.get("published")
    return {
        "id": document["id"], "input_id": document.get("input_id"),
        "origin": result.get("origin") or document.get("origin"),
        "title": document.get("title"), "published": published, "published_precision": precision_of(published),
        "published_date": date_bounds(published)[0], "published_source": document.get("published_source"),
        "source": document.get("source"), "url": document.get("url"),
        "categories": list(document.get("categories") or []), "language": document.get("language"),
        "captions": list(document.get("captions") or []), "text": document.get("text") or "",
        "n_events": n_events, "ingested_at": ingested_at,
    }


def _actor_row(actor: dict[str, Any]) -> Row:
    return {
        "id": actor["id"], "name": actor.get("name"), "type": actor.get("type"), "country": actor.get("country"),
        "code": actor.get("code"), "member_of": list(actor.get("member_of") or []),
        "roles": json.dumps(actor.get("roles") or [], ensure_ascii=False),
    }


def _ref(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _event_row(doc_id: str, event: dict[str, Any]) -> Row:
    start, end = date_bounds(event.get("date"), event.get("date_precision"))
    location = event.get("location") or {}
    evidence = event.get("evidence") or {}
    trigger = evidence.get("trigger") or {}
    return {
        "id": global_event_id(doc_id, str(event["id"])), "document_id": doc_id, "event_key": str(event["id"]),
        "type": event.get("type"), "mode": event.get("mode"), "context": list(event.get("context") or []),
        "cameo": event.get("cameo"), "quad_class": event.get("quad_class"), "goldstein": event.get("goldstein"),
        "actor_id": _ref(event.get("actor"), "id"), "actor_name": _ref(event.get("actor"), "name"),
        "recipient_id": _ref(event.get("recipient"), "id"), "recipient_name": _ref(event.get("recipient"), "name"),
        "date": event.get("date"), "date_precision": event.get("date_precision") or "unknown",
        "date_text": event.get("date_text"), "date_start": start, "date_end": end,
        "location_name": location.get("name"), "location_country": location.get("country"),
        "location_admin1": location.get("admin1"), "location_feature": location.get("feature"),
        "lat": location.get("lat"), "lon": location.get("lon"), "geonameid": location.get("geonameid"),
        "modality": event.get("modality"),
        "attributed_id": _ref(event.get("attributed_to"), "id"),
        "attributed_name": _ref(event.get("attributed_to"), "name"),
        "disputed_by": [str(item) for item in event.get("disputed_by") or []],
        "evidence_text": evidence.get("text"), "evidence_start": evidence.get("start"),
        "evidence_end": evidence.get("end"), "trigger_text": trigger.get("text"),
        "trigger_start": trigger.get("start"), "trigger_end": trigger.get("end"),
        "confidence": event.get("confidence"), "story_id": None,
    }
