"""Response models of the JSON API (they document ``/openapi.json``).

Shapes follow OUTPUT.md where they overlap (an event is the OUTPUT.md event
plus ``document_id``, ``document_title`` and ``story_id``). Models allow extra
fields so that a store adding a column does not break the API.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

T = TypeVar("T")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    """The one shape of every 4xx/5xx answer."""

    error: ErrorBody


class Health(BaseModel):
    status: str
    schema_version: str | None = None


class ActorRefOut(_Open):
    id: str
    name: str | None = None


class SpanOut(_Open):
    start: int
    end: int
    text: str | None = None


class EvidenceOut(_Open):
    text: str
    start: int
    end: int
    trigger: SpanOut | None = None


class LocationOut(_Open):
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


class DocumentRef(_Open):
    id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None


class EventOut(_Open):
    """An OUTPUT.md event with its store ids (``id`` is store-wide, ``event_key`` the in-document id)."""

    id: str
    event_key: str | None = None
    document_id: str | None = None
    document_title: str | None = None
    story_id: str | None = None
    type: str | None = None
    mode: str | None = None
    context: list[str] = []
    cameo: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    actor: ActorRefOut | None = None
    recipient: ActorRefOut | None = None
    date: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    location: LocationOut | None = None
    modality: str | None = None
    attributed_to: ActorRefOut | None = None
    disputed_by: list[str] = []
    evidence: EvidenceOut | None = None
    confidence: float | None = None
    document: DocumentRef | None = None


class Highlight(BaseModel):
    kind: str  # evidence | trigger | mention
    start: int  # offsets into window.text
    end: int


class TextWindow(BaseModel):
    """The document text around the evidence; ``start``/``end`` are its offsets in the full text."""

    text: str
    start: int
    end: int
    highlights: list[Highlight]


class EventDetail(EventOut):
    mentions: list[SpanOut] = []
    window: TextWindow | None = None
    story: dict[str, object] | None = None


class DocumentOut(_Open):
    id: str
    title: str | None = None
    published: str | None = None
    published_source: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    n_events: int | None = None


class DocumentFull(DocumentOut):
    text: str | None = None


class DocumentDetail(BaseModel):
    """One stored document in the OUTPUT.md shape."""

    document: DocumentFull
    actors: list[dict[str, object]] = []
    events: list[EventOut] = []
    quotes: list[dict[str, object]] = []


class ActorOut(_Open):
    id: str
    name: str | None = None
    type: str | None = None
    country: str | None = None
    n_events: int | None = None


class ActorDetail(_Open):
    id: str
    name: str | None = None
    type: str | None = None
    country: str | None = None
    counts: dict[str, object] = {}
    by_type: dict[str, int] = {}
    member_of: list[dict[str, object]] = []
    members: list[dict[str, object]] = []
    partners: list[dict[str, object]] = []


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
    total: int | None = None


class TimelineItem(_Open):
    period: str
    total: int
    by_type: dict[str, int] = {}
    by_quad_class: dict[str, int] = {}


class Timeline(BaseModel):
    bucket: str
    items: list[TimelineItem]


class NetworkNode(_Open):
    id: str
    name: str | None = None
    weight: int | None = None


class NetworkEdge(_Open):
    source: str
    target: str
    weight: int
    mean_goldstein: float | None = None
    quad_class_counts: dict[str, int] = {}


class Network(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class PlaceOut(_Open):
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    count: int


class Places(BaseModel):
    items: list[PlaceOut]


class StoryOut(_Open):
    id: str
    event_id: str | None = None
    type: str | None = None
    n_reports: int | None = None
    n_sources: int | None = None


class Summary(_Open):
    documents: int = 0
    events: int = 0
    stories: int = 0
    merged_stories: int = 0
    by_type: dict[str, int] = {}
    by_modality: dict[str, int] = {}
    top_actors: list[dict[str, object]] = []
    errors: dict[str, int] = {}


@functools.cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def render(model: Any, content: Any) -> bytes:
    """``content`` as the JSON body FastAPI sends for a route with ``response_model=model``.

    The same steps as FastAPI's ``serialize_response`` and ``JSONResponse.render``: validate into the
    model (defaults filled, extra fields kept), dump in JSON mode by alias, compact UTF-8 JSON. The API
    renders answers itself so that it can keep the bytes (``backend.ResponseCache``).
    """
    adapter = _adapter(model)
    value = adapter.validate_python(content, from_attributes=True)
    data = adapter.dump_python(value, mode="json", by_alias=True)
    return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode("utf-8")
