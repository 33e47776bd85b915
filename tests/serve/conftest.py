"""A small real DuckDB store built from hand-written OUTPUT.md results.

Three short news-like documents: an arrest of protesters, a diplomatic visit
whose title and text carry HTML/script payloads, and an agreement with a
claim that another actor denies. Offsets are computed from the text so each
span reproduces its substring.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventcoder.store.duckdb_store import DuckDBStore

XSS_TITLE = "<img src=x onerror=alert(1)>"


def span(text: str, sub: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return {"text": sub, "start": start, "end": start + len(sub)}


def doc_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def actor(actor_id: str, name: str, kind: str, country: str | None, text: str, *surfaces: str) -> dict[str, Any]:
    return {
        "id": actor_id, "name": name, "type": kind, "country": country, "roles": [], "member_of": [], "code": None,
        "mentions": [span(text, surface) for surface in surfaces],
    }


def event(text: str, key: str, etype: str, sentence: str, trigger: str, **fields: Any) -> dict[str, Any]:
    evidence = span(text, sentence)
    trig = span(text, trigger, 0)
    if not (evidence["start"] <= trig["start"] < evidence["end"]):
        trig = {"text": trigger, "start": text.index(trigger, evidence["start"])}
        trig["end"] = trig["start"] + len(trigger)
    base: dict[str, Any] = {
        "id": key, "type": etype, "mode": None, "context": [], "cameo": None, "quad_class": None,
        "goldstein": None, "actor": None, "recipient": None, "date": None, "date_precision": "unknown",
        "date_text": None, "location": None, "modality": "asserted", "attributed_to": None, "disputed_by": [],
        "evidence": {**evidence, "trigger": trig}, "mentions": [{"start": evidence["start"], "end": evidence["end"]}],
        "confidence": 0.8,
    }
    base.update(fields)
    return base


def result(text: str, title: str, published: str, source: str, actors: list[dict[str, Any]],
           events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schema": "eventcoder/1",
        "document": {
            "id": doc_id(text), "input_id": None, "title": title, "published": published,
            "published_source": "argument", "source": source, "url": None, "categories": [], "language": "en",
            "captions": [], "text": text,
        },
        "actors": actors, "events": events, "quotes": [],
    }


NAIROBI = {"name": "Nairobi", "country": "KEN", "admin1": "Nairobi", "lat": -1.2833, "lon": 36.8167,
           "geonameid": 184745, "feature": "city"}
ACCRA = {"name": "Accra", "country": "GHA", "admin1": "Greater Accra", "lat": 5.556, "lon": -0.1969,
         "geonameid": 2306104, "feature": "city"}
WARSAW = {"name": "Warsaw", "country": "POL", "admin1": "Mazovia", "lat": 52.2298, "lon": 21.0118,
          "geonameid": 756135, "feature": "city"}


def protest_result() -> dict[str, Any]:
    text = (
        "Kenyan police detained dozens of protesters in Nairobi on Tuesday, witnesses said. "
        "The demonstrators had marched on parliament against a proposed finance bill. "
        "Police fired tear gas as crowds gathered near the central business district. "
        "The interior ministry said the arrests were lawful."
    )
    police = actor("local:kenya-police", "Kenya Police Service", "government", "KEN", text, "Kenyan police", "Police")
    protesters = actor("local:kenyan-protesters", "Kenyan protesters", "people", "KEN", text, "protesters")
    ref_p = {"id": police["id"], "name": police["name"]}
    ref_d = {"id": protesters["id"], "name": protesters["name"]}
    events = [
        event(text, "e1", "COERCE",
              "Kenyan police detained dozens of protesters in Nairobi on Tuesday, witnesses said.", "detained",
              mode="arrest", cameo="173", quad_class=4, goldstein=-5.0, actor=ref_p, recipient=ref_d,
              date="2024-06-25", date_precision="day", date_text="on Tuesday", location=NAIROBI, confidence=0.91),
        event(text, "e2", "PROTEST", "The demonstrators had marched on parliament against a proposed finance bill.",
              "marched", mode="demonstrate", cameo="141", quad_class=3, goldstein=-6.5, actor=ref_d,
              date="2024-06-25", date_precision="day", location=NAIROBI, confidence=0.74),
        event(text, "e3", "ASSAULT", "Police fired tear gas as crowds gathered near the central business district.",
              "fired", quad_class=4, goldstein=-9.0, actor=ref_p, recipient=ref_d, date="2024-06-25",
              date_precision="day", location=NAIROBI, confidence=0.66),
    ]
    return result(text, "Police detain protesters in Nairobi", "2024-06-26", "Example Wire",
                  [police, protesters], events)


def visit_result() -> dict[str, Any]:
    text = (
        "Ghana's foreign minister met his Togolese counterpart in Accra on Monday to discuss border security. "
        "A statement read: <script>alert(2)</script> both sides pledged closer cooperation. "
        "The two ministers agreed to set up a joint patrol commission."
    )
    ghana = actor("Q117", "Ghana", "country", "GHA", text, "Ghana")
    togo = actor("Q945", "Togo", "country", "TGO", text, "Togolese")
    ref_g, ref_t = {"id": "Q117", "name": "Ghana"}, {"id": "Q945", "name": "Togo"}
    events = [
        event(text, "e1", "CONSULT",
              "Ghana's foreign minister met his Togolese counterpart in Accra on Monday to discuss border security.",
              "met", mode="visit", cameo="040", quad_class=1, goldstein=1.0, actor=ref_g, recipient=ref_t,
              date="2024-03-11", date_precision="day", date_text="on Monday", location=ACCRA, confidence=0.88),
        event(text, "e2", "AGREE", "The two ministers agreed to set up a joint patrol commission.", "agreed",
              quad_class=1, goldstein=4.0, actor=ref_g, recipient=ref_t, date="2024-03", date_precision="month",
              location=ACCRA, modality="planned", confidence=0.7),
    ]
    return result(text, XSS_TITLE, "2024-03-12", "Example Gazette", [ghana, togo], events)


def agreement_result() -> dict[str, Any]:
    text = (
        "Ukraine and Poland signed an agreement on grain transit in Warsaw in September, officials said. "
        "Polish farmers' groups claimed the deal would flood local markets. "
        "The agriculture ministry denied that claim on Wednesday."
    )
    ukraine = actor("Q212", "Ukraine", "country", "UKR", text, "Ukraine")
    poland = actor("Q36", "Poland", "country", "POL", text, "Poland")
    farmers = actor("local:polish-farmers", "Polish farmers' groups", "organization", "POL", text,
                    "Polish farmers' groups")
    ministry = actor("local:polish-agriculture-ministry", "Polish agriculture ministry", "government", "POL", text,
                     "agriculture ministry")
    events = [
        event(text, "e1", "COOPERATE",
              "Ukraine and Poland signed an agreement on grain transit in Warsaw in September, officials said.",
              "signed", quad_class=2, goldstein=6.0, actor={"id": "Q212", "name": "Ukraine"},
              recipient={"id": "Q36", "name": "Poland"}, date="2023-09", date_precision="month",
              date_text="in September", location=WARSAW, confidence=0.85),
        event(text, "e2", "ACCUSE", "Polish farmers' groups claimed the deal would flood local markets.", "claimed",
              quad_class=3, goldstein=-2.0, actor={"id": farmers["id"], "name": farmers["name"]},
              modality="claimed", attributed_to={"id": farmers["id"], "name": farmers["name"]},
              disputed_by=[ministry["id"]], date="2023-09", date_precision="month", confidence=0.6),
        event(text, "e3", "REJECT", "The agriculture ministry denied that claim on Wednesday.", "denied",
              quad_class=3, goldstein=-4.0, actor={"id": ministry["id"], "name": ministry["name"]},
              recipient={"id": farmers["id"], "name": farmers["name"]}, modality="denied", date="2023-09-20",
              date_precision="day", date_text="on Wednesday", confidence=0.64),
    ]
    return result(text, "Ukraine and Poland sign grain transit deal", "2023-09-21", "Example Times",
                  [ukraine, poland, farmers, ministry], events)


def sample_results() -> list[dict[str, Any]]:
    return [protest_result(), visit_result(), agreement_result()]


def build_store(path: Path, results: list[dict[str, Any]]) -> Path:
    store = DuckDBStore.open(path)
    try:
        store.add_results(results)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve") / "sample.duckdb", sample_results())


@pytest.fixture(scope="session")
def db_bytes(sample_db: Path) -> Iterator[bytes]:
    yield sample_db.read_bytes()
