"""Cross-article de-duplication: reports of the same happening form one story.

Two reports (events of *different* documents) are the same happening when

* their PLOVER type is the same, or of the same family (same quad class) with
  closely similar evidence;
* their actor and recipient ids are compatible (equal, or one side unknown);
* their date windows overlap. An event without a date is taken to have
  happened in the few days before its document was published, when the
  publication day is known (a publication known only to the month or year
  dates nothing);
* their places are compatible (same geonameid/country, or one unknown);
* and something positive ties them: a shared actor, recipient or place, or
  near-identical evidence. When either date window is wider than a month
  ("in 2005"), overlapping years say little: two shared arguments or
  near-identical evidence are needed. Evidence similarity (rapidfuzz token-set ratio)
  also breaks ties between candidate stories.

Matching is incremental: a batch's events are compared only with the stories
whose type family and date window fit (one SQL query per batch), and with the
stories of the same batch. Within one document the pipeline already merged
mentions, so two events of the same document never share a story.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from typing import Any

import duckdb
import pyarrow as pa
from rapidfuzz import fuzz

from .rows import Row

#: An undated report is taken to be about the days just before its publication.
UNDATED_LOOKBACK = timedelta(days=3)
#: Reports whose date window is wider than this (a year, a vague range) are only compared within their batch:
#: against stored stories they would match too much to be evidence of one happening.
MAX_MATCH_WINDOW = timedelta(days=31)
#: Evidence similarity (0-100) needed with one shared argument.
SIMILAR_EVIDENCE = 50.0
#: Evidence similarity needed when the types differ within one family.
FAMILY_EVIDENCE = 70.0
#: Evidence similarity needed when nothing but type and date ties two reports.
NEAR_IDENTICAL_EVIDENCE = 85.0


def story_id_for(event_id: str) -> str:
    """Stable story id: a hash of its founding report's global event id."""
    return "st:" + hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:16]


@dataclass
class Story:
    id: str
    event_id: str
    type: str | None
    quad_class: int | None
    actor_id: str | None
    recipient_id: str | None
    date_start: date | None
    date_end: date | None
    location_name: str | None
    location_country: str | None
    geonameid: int | None
    evidence_text: str | None
    first_reported: date | None
    n_reports: int = 1
    n_sources: int = 1
    sources: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)

    @classmethod
    def found(cls, event: Row, published: date | None, source: str | None) -> Story:
        return cls(
            id=story_id_for(event["id"]), event_id=event["id"], type=event["type"], quad_class=event["quad_class"],
            actor_id=event["actor_id"], recipient_id=event["recipient_id"],
            date_start=event["date_start"], date_end=event["date_end"],
            location_name=event["location_name"], location_country=event["location_country"],
            geonameid=event["geonameid"], evidence_text=event["evidence_text"], first_reported=published,
            sources=[source] if source else [], document_ids=[event["document_id"]],
        )

    def window(self) -> tuple[date, date] | None:
        return _window(self.date_start, self.date_end, self.first_reported)

    def absorb(self, event: Row, published: date | None, source: str | None) -> None:
        """Add one more report: fill unknown arguments, narrow the dates, count the sources."""
        self.actor_id = self.actor_id or event["actor_id"]
        self.recipient_id = self.recipient_id or event["recipient_id"]
        self.geonameid = self.geonameid or event["geonameid"]
        self.location_name = self.location_name or event["location_name"]
        self.location_country = self.location_country or event["location_country"]
        if event["date_start"] is not None:
            if self.date_start is None or self.date_end is None:
                self.date_start, self.date_end = event["date_start"], event["date_end"]
            else:
                self.date_start = max(self.date_start, event["date_start"])
                self.date_end = min(self.date_end, event["date_end"])
        if published is not None and (self.first_reported is None or published < self.first_reported):
            self.first_reported = published
        if event["document_id"] not in self.document_ids:
            self.document_ids.append(event["document_id"])
        # A document without a known outlet counts as a source of its own.
        if not source or source not in self.sources:
            self.n_sources += 1
        if source and source not in self.sources:
            self.sources.append(source)
        self.n_reports += 1

    def row(self) -> Row:
        window = self.window()
        return {
            **{item.name: getattr(self, item.name) for item in fields(self)},
            "window_start": window[0] if window else None, "window_end": window[1] if window else None,
        }


def _window(start: date | None, end: date | None, published: date | None) -> tuple[date, date] | None:
    if start is not None and end is not None:
        return start, end
    if published is not None:
        return published - UNDATED_LOOKBACK, published
    return None


def _overlaps(first: tuple[date, date] | None, second: tuple[date, date] | None) -> bool:
    return first is not None and second is not None and first[0] <= second[1] and second[0] <= first[1]


def _compatible(one: Any, other: Any) -> bool:
    return one is None or other is None or one == other


def _similarity(one: str | None, other: str | None) -> float:
    if not one or not other:
        return 0.0
    return float(fuzz.token_set_ratio(one.lower(), other.lower()))


def match_score(event: Row, published: date | None, story: Story) -> tuple[int, float, bool] | None:
    """How well a report fits a story, or None when it is not the same happening.

    Higher tuples are better: (shared arguments, evidence similarity, same type).
    """
    if event["document_id"] in story.document_ids:
        return None
    same_type = event["type"] == story.type
    if not same_type and (event["quad_class"] is None or event["quad_class"] != story.quad_class):
        return None
    if not (_compatible(event["actor_id"], story.actor_id) and _compatible(event["recipient_id"], story.recipient_id)):
        return None
    if not (_compatible(event["geonameid"], story.geonameid)
            and _compatible(event["location_country"], story.location_country)):
        return None
    windows = (_window(event["date_start"], event["date_end"], published), story.window())
    if not _overlaps(*windows):
        return None
    anchors = _shared_arguments(event, story)
    similarity = _similarity(event["evidence_text"], story.evidence_text)
    dated = event["date_start"] is not None and story.date_start is not None
    if not _enough(anchors, similarity, same_type, dated, wide=any(map(_wide, windows))):
        return None
    return anchors, similarity, same_type


def _wide(window: tuple[date, date] | None) -> bool:
    return window is not None and window[1] - window[0] > MAX_MATCH_WINDOW


def _shared_arguments(event: Row, story: Story) -> int:
    shared_place = (event["geonameid"] is not None and event["geonameid"] == story.geonameid) or (
        event["geonameid"] is None and story.geonameid is None and bool(event["location_name"])
        and (event["location_name"] or "").lower() == (story.location_name or "").lower()
    )
    return (
        int(event["actor_id"] is not None and event["actor_id"] == story.actor_id)
        + int(event["recipient_id"] is not None and event["recipient_id"] == story.recipient_id)
        + int(shared_place)
    )


def _enough(anchors: int, similarity: float, same_type: bool, dated: bool, *, wide: bool) -> bool:
    if not same_type:
        return anchors >= 1 and similarity >= FAMILY_EVIDENCE and not wide
    if wide:
        return (anchors >= 2 and similarity >= SIMILAR_EVIDENCE) or similarity >= NEAR_IDENTICAL_EVIDENCE
    if anchors >= 2:
        return True
    if anchors == 1:
        return similarity >= SIMILAR_EVIDENCE
    return dated and similarity >= NEAR_IDENTICAL_EVIDENCE


@dataclass(frozen=True)
class Report:
    """A new event with what story matching needs from its document."""

    event: Row
    published: date | None  # the publication day, None unless known to the day
    source: str | None

    @classmethod
    def of(cls, event: Row, document: Row) -> Report:
        day = document["published_date"] if document.get("published_precision") == "day" else None
        return cls(event, day, document["source"])


def assign_stories(con: duckdb.DuckDBPyConnection, reports: Iterable[Report]) -> tuple[list[Story], int]:
    """Set ``story_id`` on every report's event row; return the stories to upsert and how many reports merged.

    Reports are taken earliest-published first, so a batch's earliest report
    founds its story. Runs inside the caller's transaction.
    """
    ordered = sorted(reports, key=lambda r: (r.published or date.max, r.event["document_id"], r.event["id"]))
    stored = _candidate_stories(con, ordered)
    touched: dict[str, Story] = {}
    batch = _BatchIndex()
    merged = 0
    for report in ordered:
        pool = {story.id: touched.get(story.id, story) for story in stored.get(report.event["id"], [])}
        pool.update(batch.candidates(report))
        best = _best_story(report, pool.values())
        if best is None:
            story = Story.found(report.event, report.published, report.source)
        else:
            story = best
            story.absorb(report.event, report.published, report.source)
            merged += 1
        touched[story.id] = story
        batch.add(story)
        report.event["story_id"] = story.id
    return list(touched.values()), merged


def _families(type_: str | None, quad_class: int | None) -> list[str]:
    return [f"type:{type_}"] + ([f"quad:{quad_class}"] if quad_class is not None else [])


def _days(window: tuple[date, date]) -> list[date]:
    return [window[0] + timedelta(days=offset) for offset in range((window[1] - window[0]).days + 1)]


class _BatchIndex:
    """The batch's stories by type family, day and actor, so a report meets only the stories it could match."""

    def __init__(self) -> None:
        self._by_day: dict[tuple[str, date], dict[str | None, dict[str, Story]]] = {}
        self._wide: dict[str, dict[str, Story]] = {}  # stories whose window is too wide to index by day
        self._all: dict[str, dict[str, Story]] = {}

    def add(self, story: Story) -> None:
        window = story.window()
        if window is None:  # no days at all: it can never overlap a report
            return
        for family in _families(story.type, story.quad_class):
            self._all.setdefault(family, {})[story.id] = story
            if window[1] - window[0] > MAX_MATCH_WINDOW:
                self._wide.setdefault(family, {})[story.id] = story
                continue
            for day in _days(window):
                self._by_day.setdefault((family, day), {}).setdefault(story.actor_id, {})[story.id] = story

    def candidates(self, report: Report) -> dict[str, Story]:
        event = report.event
        window = _window(event["date_start"], event["date_end"], report.published)
        found: dict[str, Story] = {}
        if window is None:
            return found
        for family in _families(event["type"], event["quad_class"]):
            if window[1] - window[0] > MAX_MATCH_WINDOW:
                found.update(self._all.get(family, {}))
                continue
            found.update(self._wide.get(family, {}))
            for day in _days(window):
                by_actor = self._by_day.get((family, day), {})
                if event["actor_id"] is None:
                    for stories in by_actor.values():
                        found.update(stories)
                else:
                    found.update(by_actor.get(event["actor_id"], {}))
                    found.update(by_actor.get(None, {}))
        return found


def _best_story(report: Report, stories: Iterable[Story]) -> Story | None:
    scored = [
        (score, story) for story in stories
        if (score := match_score(report.event, report.published, story)) is not None
    ]
    if not scored:
        return None
    return max(scored, key=lambda item: (item[0], -(item[1].first_reported or date.max).toordinal()))[1]


# Stories near the batch's days first (zone maps on window_start), then per report the
# conditions match_score checks that SQL can: a superset of the real matches, kept small.
_CANDIDATES_SQL = """
WITH near AS (
    SELECT * FROM stories
    WHERE window_start <= (SELECT max(window_end) FROM new_reports)
      AND window_end >= (SELECT min(window_start) FROM new_reports)
)
SELECT n.event_id AS for_event, s.*
FROM new_reports AS n
JOIN near AS s ON s.window_start <= n.window_end AND s.window_end >= n.window_start
WHERE (s.type = n.type OR s.quad_class = n.quad_class)
  AND (s.actor_id IS NULL OR n.actor_id IS NULL OR s.actor_id = n.actor_id)
  AND (s.recipient_id IS NULL OR n.recipient_id IS NULL OR s.recipient_id = n.recipient_id)
  AND (s.geonameid IS NULL OR n.geonameid IS NULL OR s.geonameid = n.geonameid)
  AND (s.location_country IS NULL OR n.location_country IS NULL OR s.location_country = n.location_country)
  AND NOT list_contains(s.document_ids, n.document_id)
"""


def _candidate_stories(con: duckdb.DuckDBPyConnection, reports: list[Report]) -> dict[str, list[Story]]:
    """Stored stories whose type family and date window fit each report (a superset of the matches)."""
    keyed = [
        (report, window) for report in reports
        if (window := _window(report.event["date_start"], report.event["date_end"], report.published)) is not None
        and window[1] - window[0] <= MAX_MATCH_WINDOW
    ]
    if not keyed:
        return {}
    columns = {
        "event_id": pa.string(), "document_id": pa.string(), "type": pa.string(), "quad_class": pa.int32(),
        "actor_id": pa.string(), "recipient_id": pa.string(), "geonameid": pa.int64(),
        "location_country": pa.string(),
    }
    table = pa.table({
        **{name: pa.array([r.event["id" if name == "event_id" else name] for r, _ in keyed], kind)
           for name, kind in columns.items()},
        "window_start": pa.array([w[0] for _, w in keyed], pa.date32()),
        "window_end": pa.array([w[1] for _, w in keyed], pa.date32()),
    })
    con.register("new_reports", table)
    try:
        cursor = con.execute(_CANDIDATES_SQL)
        names = [column[0] for column in cursor.description or []]
        found: dict[str, list[Story]] = {}
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            del row["window_start"], row["window_end"]
            found.setdefault(row.pop("for_event"), []).append(Story(**row))
        return found
    finally:
        con.unregister("new_reports")
