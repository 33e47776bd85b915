"""Rendered answers: the same bytes FastAPI would send, kept per store version, dropped by an ingest."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from eventcoder.serve import schemas
from eventcoder.serve.app import create_app
from eventcoder.serve.backend import Backend, QueryParams, ResponseCache
from eventcoder.store.duckdb_store import DuckDBStore

from .conftest import build_store, sample_results
from .test_snapshot import late_report

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # starlette's testclient and anyio (not ours)
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(sample_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sample_db)) as test_client:
        yield test_client


def answers(backend: Backend) -> list[tuple[Any, Any]]:
    """(response model, backend answer) for every kind of answer the API renders."""
    some_event = backend.events(QueryParams(), limit=1, cursor=None, merged=False)["items"][0]
    some_actor = backend.actors(None, limit=1, cursor=None)["items"][0]
    some_document = backend.documents(None, limit=1, cursor=None)["items"][0]
    everything = QueryParams()
    return [
        (schemas.Health, backend.health()),
        (schemas.Summary, backend.summary()),
        (schemas.Page[schemas.EventOut], backend.events(everything, limit=50, cursor=None, merged=False)),
        (schemas.Page[schemas.EventOut], backend.events(everything, limit=50, cursor=None, merged=True)),
        (schemas.EventDetail, backend.event(some_event["id"])),
        (schemas.Page[schemas.ActorOut], backend.actors(None, limit=50, cursor=None)),
        (schemas.ActorDetail, backend.actor(some_actor["id"])),
        (schemas.Page[schemas.DocumentOut], backend.documents(None, limit=50, cursor=None)),
        (schemas.DocumentDetail, backend.document(some_document["id"])),
        (schemas.Timeline, backend.timeline(everything, "day")),
        (schemas.Network, backend.network(everything, min_weight=1, limit=100)),
        (schemas.Places, backend.places(everything, limit=1000)),
        (schemas.Page[schemas.StoryOut], backend.stories(everything, limit=50, cursor=None)),
    ]


def test_render_gives_the_bytes_fastapi_sends(sample_db: Path) -> None:
    backend = Backend(sample_db)
    try:
        cases = answers(backend)
    finally:
        backend.close()
    reference = FastAPI()
    for index, (model, content) in enumerate(cases):
        reference.add_api_route(f"/{index}", lambda content=content: content, response_model=model)
    with TestClient(reference) as plain:
        for index, (model, content) in enumerate(cases):
            expected = plain.get(f"/{index}")
            assert expected.status_code == 200, (model, expected.text)
            assert schemas.render(model, content) == expected.content, model


def test_render_fills_defaults_and_keeps_extra_fields() -> None:
    body = json.loads(schemas.render(schemas.ActorOut, {"id": "Q1", "added_by_a_newer_store": 3}))
    assert body == {"id": "Q1", "name": None, "type": None, "country": None, "n_events": None,
                    "added_by_a_newer_store": 3}


def test_a_cached_answer_is_the_same_response(client: TestClient) -> None:
    cache = client.app.state.backend.cache  # type: ignore[attr-defined]
    url = "/api/network?min_weight=1&limit=7"
    first = client.get(url)
    hits = cache.hits
    second = client.get(url)
    assert cache.hits == hits + 1
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    assert second.headers == first.headers


@pytest.mark.parametrize("url", ["/api/events/{event}", "/api/documents/{document}", "/api/health"])
def test_one_id_lookups_are_not_cached(client: TestClient, url: str) -> None:
    cache = client.app.state.backend.cache  # type: ignore[attr-defined]
    ids = {"event": client.get("/api/events", params={"limit": 1}).json()["items"][0]["id"],
           "document": client.get("/api/documents", params={"limit": 1}).json()["items"][0]["id"]}
    before = (cache.hits, cache.misses)
    for _ in range(2):
        assert client.get(url.format(**ids)).status_code == 200
    assert (cache.hits, cache.misses) == before


def test_errors_are_not_cached(client: TestClient) -> None:
    cache = client.app.state.backend.cache  # type: ignore[attr-defined]
    kept = len(cache)
    for _ in range(2):
        assert client.get("/api/actors/local:nobody").status_code == 404
        assert client.get("/api/events", params={"cursor": "not-a-cursor"}).status_code == 400
    assert len(cache) == kept


def test_cache_is_bounded_by_count_and_bytes() -> None:
    cache = ResponseCache(size=3, max_bytes=800)
    for name in "abc":
        cache.put(("v", name), b"x" * 90)
    cache.put(("v", "d"), b"x" * 90)  # the fourth entry pushes out the least recently used
    assert cache.get(("v", "a")) is None
    assert cache.get(("v", "b")) == b"x" * 90
    cache.put(("v", "big"), b"x" * 101)  # over an eighth of the budget: not kept
    assert cache.get(("v", "big")) is None
    small = ResponseCache(size=100, max_bytes=800)
    for index in range(10):
        small.put(("v", str(index)), b"x" * 100)
    assert small.get(("v", "0")) is None and small.get(("v", "9")) is not None
    assert sum(small.get(("v", str(index))) is not None for index in range(10)) == 8
    off = ResponseCache(size=0)
    off.put(("v", "a"), b"{}")
    assert off.get(("v", "a")) is None


def test_an_ingest_replaces_cached_answers_in_snapshot_mode(tmp_path: Path) -> None:
    db = build_store(tmp_path / "live.duckdb", sample_results())
    app = create_app(db, snapshot=True, refresh_s=0.0)
    cache = app.state.backend.cache
    with TestClient(app) as client:
        before = client.get("/api/summary").json()
        hits = cache.hits
        assert client.get("/api/summary").json() == before
        assert cache.hits == hits + 1
        with DuckDBStore.open(db) as store:  # the server reads a snapshot, so the file can be written
            store.add_results([late_report()])
        after = client.get("/api/summary").json()
        assert after["events"] == before["events"] + 1
        assert after["by_type"].get("PROTEST", 0) == before["by_type"].get("PROTEST", 0) + 1
        assert client.get("/api/timeline", params={"type": "PROTEST", "bucket": "year"}).json()["items"][-1][
            "period"] == "2024-01-01"
