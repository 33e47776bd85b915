"""Hand-written result dicts in the OUTPUT.md shape, and a store in a temporary file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventcoder.store import DuckDBStore


def doc_id_for(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def make_event(event_id: str, text: str, sentence: str, trigger: str, *, type: str = "ASSAULT",
               quad_class: int = 4, actor: tuple[str, str] | None = None,
               recipient: tuple[str, str] | None = None, date: str | None = None, precision: str | None = None,
               location: dict[str, Any] | None = None, modality: str = "asserted", confidence: float = 0.8,
               context: list[str] | None = None, disputed_by: list[str] | None = None) -> dict[str, Any]:
    """An event whose evidence and trigger offsets point into ``text``."""
    start = text.index(sentence)
    trigger_start = text.index(trigger, start)
    if precision is None:
        precision = {None: "unknown", 4: "year", 7: "month", 10: "day"}[len(date) if date else None]
    return {
        "id": event_id, "type": type, "mode": None, "context": context or [], "cameo": None,
        "quad_class": quad_class, "goldstein": -5.0 if quad_class == 4 else 3.0,
        "actor": {"id": actor[0], "name": actor[1]} if actor else None,
        "recipient": {"id": recipient[0], "name": recipient[1]} if recipient else None,
        "date": date, "date_precision": precision, "date_text": None,
        "location": location, "modality": modality, "attributed_to": None, "disputed_by": disputed_by or [],
        "evidence": {"text": sentence, "start": start, "end": start + len(sentence),
                     "trigger": {"text": trigger, "start": trigger_start, "end": trigger_start + len(trigger)}},
        "mentions": [{"text": sentence, "start": start, "end": start + len(sentence)}],
        "confidence": confidence,
    }


def make_result(name: str, text: str, events: list[dict[str, Any]], *, published: str | None = "2021-03-10",
                source: str | None = "Example Wire", title: str | None = None,
                actors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One document's result; actors default to those the events name, with one mention each."""
    if actors is None:
        seen: dict[str, dict[str, Any]] = {}
        for event in events:
            for side in ("actor", "recipient"):
                ref = event[side]
                if ref and ref["id"] not in seen and ref["name"] in text:
                    at = text.index(ref["name"])
                    seen[ref["id"]] = {
                        "id": ref["id"], "name": ref["name"], "type": "organization", "country": None,
                        "roles": [{"role": "member", "of": None, "from": "2019", "to": None}], "member_of": [],
                        "code": None, "mentions": [{"text": ref["name"], "start": at, "end": at + len(ref["name"])}],
                    }
        actors = list(seen.values())
    return {
        "schema": "eventcoder/1",
        "document": {
            "id": doc_id_for(name), "input_id": name, "title": title or name.replace("-", " ").title(),
            "published": published, "published_source": "argument" if published else "unknown",
            "source": source, "url": f"https://news.example.org/{name}", "categories": ["World"],
            "language": "en", "captions": [], "text": text,
        },
        "actors": actors, "events": events,
        "quotes": [{"speaker": None, "text": text[:10], "start": 0, "end": 10}],
    }


ARMY = ("local:northland-army", "Northland Army")
REBELS = ("local:river-front", "River Front")
MINISTRY = ("local:southland-ministry", "Southland Foreign Ministry")
PORTVILLE = {"name": "Portville", "country": "NLD", "admin1": "Coast", "lat": 51.9, "lon": 4.4,
             "geonameid": 1001, "feature": "city"}


def shelling_report(name: str, *, source: str = "Example Wire", published: str = "2021-03-10",
                    date: str | None = "2021-03-08", sentence: str | None = None) -> dict[str, Any]:
    """A report of one shelling of Portville by the Northland Army, written by some outlet."""
    sentence = sentence or "The Northland Army shelled River Front positions in Portville on Monday."
    text = f"{sentence} Residents fled the area. The Southland Foreign Ministry condemned the attack."
    return make_result(name, text, [
        make_event("e1", text, sentence, "shelled", actor=ARMY, recipient=REBELS, date=date, location=PORTVILLE),
        make_event("e2", text, "The Southland Foreign Ministry condemned the attack.", "condemned",
                   type="ACCUSE", quad_class=3, actor=MINISTRY, recipient=ARMY, date=published,
                   modality="asserted", confidence=0.6),
    ], published=published, source=source)


def two_shelling_reports() -> list[dict[str, Any]]:
    """The same shelling by two outlets (one story), on different days of publication."""
    return [
        shelling_report("wire-1"),
        shelling_report("post-1", source="Daily Post", published="2021-03-12", date="2021-03-11",
                        sentence="The Northland Army shelled River Front bases in Portville again on Thursday."),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DuckDBStore]:
    with DuckDBStore.open(tmp_path / "events.duckdb") as opened:
        yield opened
