"""Typed document model: every span is a pair of character offsets into
``Article.text``, the cleaned text the pipeline worked on.

Data flows one way: raw input -> ``Article`` -> annotated spaCy ``Doc`` ->
``Event``/``Actor``/``Quote`` -> ``ExtractionResult`` -> store -> API.
``ExtractionResult.to_dict`` produces the OUTPUT.md contract (schema
``eventcoder/1``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

SCHEMA = "eventcoder/1"

Precision = Literal["day", "month", "year", "range", "unknown"]
Modality = Literal[
    "asserted", "claimed", "denied", "alleged", "threatened", "planned", "hypothetical", "negated",
]
ActorType = Literal[
    "person", "organization", "armed_group", "government", "military", "country", "people", "unknown",
]
PublishedSource = Literal["argument", "metadata", "inferred", "unknown"]

MODALITIES: tuple[str, ...] = (
    "asserted", "claimed", "denied", "alleged", "threatened", "planned", "hypothetical", "negated",
)
ACTOR_TYPES: tuple[str, ...] = (
    "person", "organization", "armed_group", "government", "military", "country", "people", "unknown",
)


@dataclass(frozen=True)
class TextSpan:
    """Half-open interval ``[start, end)`` of ``Article.text`` and the text it covers."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> TextSpan:
        return cls(start, end, text[start:end])

    def overlaps(self, other: TextSpan) -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class DateValue:
    """A date as precise as the text allows: never a day that was not said.

    ``value`` is ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month), ``YYYY`` (year),
    or for ``range`` the ISO value of ``earliest``'s coarsest common unit;
    ``earliest``/``latest`` are the inclusive bounds of the days it may be.
    """

    value: str | None
    precision: Precision
    text: str | None = None
    earliest: date | None = None
    latest: date | None = None
    span: TextSpan | None = None
    confidence: float = 1.0

    @classmethod
    def unknown(cls) -> DateValue:
        return cls(None, "unknown")


@dataclass(frozen=True)
class Place:
    """A geocoded place (gazetteer record), or a bare name that could not be geocoded."""

    name: str
    country: str | None = None  # ISO 3166-1 alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # "city", "admin1", "country", "region"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "country": self.country, "admin1": self.admin1,
            "lat": self.lat, "lon": self.lon, "geonameid": self.geonameid, "feature": self.feature,
        }


@dataclass(frozen=True)
class Role:
    role: str
    of: str | None = None  # ISO3 or actor id
    start: str | None = None  # ISO date (any precision)
    end: str | None = None

    def holds_on(self, day: date | None) -> bool:
        """Whether the role is held on ``day``; an unknown day accepts every role."""
        if day is None:
            return True
        iso = day.isoformat()
        if self.start and iso < _lower_bound(self.start):
            return False
        return not (self.end and iso > _upper_bound(self.end))

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "of": self.of, "from": self.start, "to": self.end}


def _lower_bound(partial_iso: str) -> str:
    return partial_iso + "-01-01"[len(partial_iso) - 4:] if len(partial_iso) < 10 else partial_iso


def _upper_bound(partial_iso: str) -> str:
    return partial_iso + "-12-31"[len(partial_iso) - 4:] if len(partial_iso) < 10 else partial_iso


@dataclass(frozen=True)
class ActorRef:
    """How events and quotes point at an actor: its id and canonical name."""

    id: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


@dataclass
class Actor:
    """A resolved actor of one document, with every mention of it."""

    id: str  # Wikidata QID or "local:slug"
    name: str
    type: str = "unknown"
    country: str | None = None
    roles: list[Role] = field(default_factory=list)
    member_of: list[str] = field(default_factory=list)
    code: str | None = None  # CAMEO-style actor code, e.g. IRQGOV
    mentions: list[TextSpan] = field(default_factory=list)

    @property
    def ref(self) -> ActorRef:
        return ActorRef(self.id, self.name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "type": self.type, "country": self.country,
            "roles": [role.to_dict() for role in self.roles], "member_of": list(self.member_of),
            "code": self.code, "mentions": [mention.to_dict() for mention in self.mentions],
        }


@dataclass
class Event:
    """One real-world happening as one document reports it, with all its mentions."""

    id: str
    type: str  # one of the 16 PLOVER types
    evidence: TextSpan  # the sentence
    trigger: TextSpan
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    cameo: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    actor: ActorRef | None = None
    recipient: ActorRef | None = None
    date: DateValue = field(default_factory=DateValue.unknown)
    location: Place | None = None
    modality: str = "asserted"
    attributed_to: ActorRef | None = None
    disputed_by: list[str] = field(default_factory=list)
    mentions: list[TextSpan] = field(default_factory=list)
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "mode": self.mode, "context": list(self.context),
            "cameo": self.cameo, "quad_class": self.quad_class, "goldstein": self.goldstein,
            "actor": self.actor.to_dict() if self.actor else None,
            "recipient": self.recipient.to_dict() if self.recipient else None,
            "date": self.date.value, "date_precision": self.date.precision, "date_text": self.date.text,
            "location": self.location.to_dict() if self.location else None,
            "modality": self.modality,
            "attributed_to": self.attributed_to.to_dict() if self.attributed_to else None,
            "disputed_by": list(self.disputed_by),
            "evidence": {**self.evidence.to_dict(), "trigger": self.trigger.to_dict()},
            "mentions": [mention.to_dict() for mention in self.mentions],
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Quote:
    text: str
    start: int
    end: int
    speaker: ActorRef | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "text": self.text, "start": self.start, "end": self.end,
        }


@dataclass(frozen=True)
class RawDocument:
    """What a reader produced before cleaning: the bytes' text and its metadata."""

    content: str
    origin: str  # file path (and line for JSONL), or "<stdin>"
    format: Literal["text", "html", "jsonl"] = "text"
    doc_id: str = ""  # sha256 of the raw input
    input_id: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    encoding: str = "utf-8"  # how the bytes were decoded (utf-8, utf-16, cp1252, ...)


@dataclass
class Article:
    """A cleaned article: ``text`` is what every offset refers to."""

    id: str
    text: str
    title: str | None = None
    published: DateValue = field(default_factory=DateValue.unknown)
    published_source: str = "unknown"
    source: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    language: str = "en"
    input_id: str | None = None
    origin: str | None = None
    # Photo captions and credits removed from ``text``: kept as low-weight
    # evidence, each with the caption's own text (offsets are into ``captions[i].text``).
    captions: list[str] = field(default_factory=list)
    # Where the body ends: captions, when attached, follow it as their own
    # paragraphs (``caption_spans``), so caption mentions have real offsets.
    body_end: int | None = None
    caption_spans: list[TextSpan] = field(default_factory=list)

    def in_caption(self, offset: int) -> bool:
        return self.body_end is not None and offset >= self.body_end

    def document_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "input_id": self.input_id, "title": self.title,
            "published": self.published.value, "published_source": self.published_source,
            "source": self.source, "url": self.url, "categories": list(self.categories),
            "language": self.language, "captions": list(self.captions),
            "body_end": self.body_end if self.body_end is not None else len(self.text),
            "caption_spans": [span.to_dict() for span in self.caption_spans], "text": self.text,
        }


@dataclass
class ExtractionResult:
    """Everything eventcoder says about one article (the OUTPUT.md object)."""

    article: Article
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "document": self.article.document_dict(),
            "actors": [actor.to_dict() for actor in self.actors],
            "events": [event.to_dict() for event in self.events],
            "quotes": [quote.to_dict() for quote in self.quotes],
        }
