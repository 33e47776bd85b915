"""The JSON API over a real DuckDB file: every endpoint, filters, paging, errors, hostile input."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # starlette's testclient touches an anyio alias deprecated in anyio 4.11 (not ours to fix)
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from eventcoder.config import Settings
from eventcoder.serve.app import create_app
from eventcoder.store.rows import global_event_id

from .conftest import XSS_TITLE, doc_id, sample_results

ALL_EVENTS = 8


@pytest.fixture(scope="module")
def client(sample_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sample_db, replace(Settings(), api_max_page_size=50))) as test_client:
        yield test_client


def get_json(client: TestClient, url: str, params: dict[str, Any] | None = None, status: int = 200) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == status, response.text
    return response.json()


def assert_error(response: Any, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


def event_key(result_index: int, key: str) -> str:
    return global_event_id(sample_results()[result_index]["document"]["id"], key)


# ---------------------------------------------------------------- endpoints


def test_health_and_summary(client: TestClient) -> None:
    assert get_json(client, "/api/health")["status"] == "ok"
    summary = get_json(client, "/api/summary")
    assert summary["documents"] == 3
    assert summary["events"] == ALL_EVENTS
    assert summary["by_type"]["COERCE"] == 1
    assert summary["by_modality"]["claimed"] == 1
    assert summary["by_modality"]["hypothetical"] == 0


def test_events_have_the_output_shape(client: TestClient) -> None:
    page = get_json(client, "/api/events", {"limit": 50})
    assert page["total"] == ALL_EVENTS
    assert len(page["items"]) == ALL_EVENTS
    arrest = next(item for item in page["items"] if item["type"] == "COERCE")
    assert arrest["actor"] == {"id": "local:kenya-police", "name": "Kenya Police Service"}
    assert arrest["location"]["name"] == "Nairobi"
    assert arrest["evidence"]["trigger"]["text"] == "detained"
    assert arrest["date"] == "2024-06-25"
    assert arrest["date_precision"] == "day"


@pytest.mark.parametrize(
    ("params", "expected_types"),
    [
        ({"type": "COERCE"}, {"COERCE"}),
        ({"type": "coerce"}, {"COERCE"}),
        ({"modality": "denied"}, {"REJECT"}),
        ({"actor": "local:kenya-police"}, {"COERCE", "ASSAULT"}),
        ({"recipient": "Q945"}, {"CONSULT", "AGREE"}),
        ({"since": "2024-01-01"}, {"COERCE", "PROTEST", "ASSAULT", "CONSULT", "AGREE"}),
        ({"until": "2023-12-31"}, {"COOPERATE", "ACCUSE", "REJECT"}),
        ({"since": "2024-03", "until": "2024-03"}, {"CONSULT", "AGREE"}),
        ({"place": "Warsaw"}, {"COOPERATE"}),
        ({"country": "GHA"}, {"CONSULT", "AGREE"}),
        ({"q": "tear gas"}, {"ASSAULT"}),
        ({"min_confidence": 0.85}, {"COERCE", "CONSULT", "COOPERATE"}),
    ],
)
def test_event_filters(client: TestClient, params: dict[str, Any], expected_types: set[str]) -> None:
    page = get_json(client, "/api/events", {**params, "limit": 50})
    assert {item["type"] for item in page["items"]} == expected_types
    assert page["total"] == len(page["items"])


def test_document_filter(client: TestClient) -> None:
    document = sample_results()[0]["document"]["id"]
    page = get_json(client, "/api/events", {"document": document})
    assert {item["document_id"] for item in page["items"]} == {document}
    assert page["total"] == 3


def test_pagination_reaches_the_end_without_repeats(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(ALL_EVENTS + 2):
        page = get_json(client, "/api/events", {"limit": 3, **({"cursor": cursor} if cursor else {})})
        assert len(page["items"]) <= 3
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == ALL_EVENTS
    assert len(set(seen)) == ALL_EVENTS


def test_one_event_with_document_and_mentions(client: TestClient) -> None:
    event = get_json(client, f"/api/events/{event_key(2, 'e2')}")
    assert event["modality"] == "claimed"
    assert event["attributed_to"]["id"] == "local:polish-farmers"
    assert event["disputed_by"] == ["local:polish-agriculture-ministry"]
    evidence = event["evidence"]
    assert len(event["mentions"]) == 1
    window = event["window"]
    highlight = next(item for item in window["highlights"] if item["kind"] == "evidence")
    assert window["text"][highlight["start"]:highlight["end"]] == evidence["text"]
    assert event["document"]["title"] == "Ukraine and Poland sign grain transit deal"


def test_actors_search_and_one_actor(client: TestClient) -> None:
    page = get_json(client, "/api/actors", {"q": "police"})
    assert [item["id"] for item in page["items"]] == ["local:kenya-police"]
    everyone = get_json(client, "/api/actors", {"limit": 50})
    assert len(everyone["items"]) == 8
    actor = get_json(client, "/api/actors/local:kenya-police")
    assert actor["name"] == "Kenya Police Service"


def test_documents_list_and_one_document(client: TestClient) -> None:
    page = get_json(client, "/api/documents", {"limit": 50})
    assert len(page["items"]) == 3
    assert all("text" not in item for item in page["items"])
    target = doc_id(sample_results()[1]["document"]["text"])
    document = get_json(client, f"/api/documents/{target}")
    assert document["document"]["title"] == XSS_TITLE
    assert "<script>" in document["document"]["text"]
    assert [event["type"] for event in document["events"]] == ["CONSULT", "AGREE"]


def test_timeline_network_places_stories(client: TestClient) -> None:
    timeline = get_json(client, "/api/timeline", {"bucket": "month"})
    assert timeline["bucket"] == "month"
    assert sum(item["total"] for item in timeline["items"]) == ALL_EVENTS
    assert [item["period"] for item in timeline["items"]] == ["2023-09-01", "2024-03-01", "2024-06-01"]
    network = get_json(client, "/api/network")
    pairs = {(edge["source"], edge["target"]): edge for edge in network["edges"]}
    police_edge = pairs[("local:kenya-police", "local:kenyan-protesters")]
    assert police_edge["weight"] == 2
    assert police_edge["mean_goldstein"] == pytest.approx(-7.0)
    assert {node["id"] for node in network["nodes"]} >= {"local:kenya-police", "Q117", "Q945"}
    places = get_json(client, "/api/places")
    nairobi = next(item for item in places["items"] if item["name"] == "Nairobi")
    assert nairobi["count"] == 3 and nairobi["lat"] == pytest.approx(-1.2833)
    stories = get_json(client, "/api/stories", {"limit": 50})
    assert isinstance(stories["items"], list)


def test_dashboard_and_docs_are_served_with_security_headers(client: TestClient) -> None:
    for url in ("/", "/static/app.js", "/api/summary"):
        response = client.get(url)
        assert response.status_code == 200
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
    schema = get_json(client, "/openapi.json")
    assert {"/api/events", "/api/events/{event_id}", "/api/timeline", "/api/network"} <= set(schema["paths"])
    assert client.get("/docs").status_code == 200


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0}, {"limit": 51}, {"limit": "ten"}, {"since": "yesterday"}, {"until": "2020-13-45x"},
        {"modality": "rumoured"}, {"min_confidence": 2}, {"type": "A" * 41}, {"actor": "x" * 301},
        {"place": "x" * 201}, {"cursor": "c" * 1001},
        {"merged": "perhaps"}, {"country": "IRAQ"},
    ],
)
def test_bad_parameters_give_422_in_the_error_shape(client: TestClient, params: dict[str, Any]) -> None:
    assert_error(client.get("/api/events", params=params), 422, "invalid_parameter")


def test_bad_bucket_and_weight(client: TestClient) -> None:
    assert_error(client.get("/api/timeline", params={"bucket": "fortnight"}), 422)
    assert_error(client.get("/api/network", params={"min_weight": -1}), 422)


def test_bad_cursor_is_400(client: TestClient) -> None:
    assert_error(client.get("/api/events", params={"cursor": "not-a-cursor"}), 400, "invalid_cursor")


@pytest.mark.parametrize("kind", ["events", "actors", "documents"])
def test_missing_ids_are_404(client: TestClient, kind: str) -> None:
    assert_error(client.get(f"/api/{kind}/nothing-here"), 404, "not_found")


def test_unknown_route_and_method(client: TestClient) -> None:
    assert_error(client.get("/api/nothing"), 404, "not_found")
    assert_error(client.post("/api/events"), 405)


INJECTIONS = [
    "' OR '1'='1", "1; DROP TABLE events; --", "\" OR 1=1 --", "%' UNION SELECT * FROM documents --",
    "../../etc/passwd", "<script>alert(1)</script>", "\x00", "${jndi:ldap://x}", "日本語' --",
]
FILTER_PARAMS = ["type", "actor", "recipient", "since", "until", "modality", "country", "place", "q", "document",
                 "story", "min_confidence", "limit", "cursor", "merged", "role"]


@pytest.mark.parametrize("param", FILTER_PARAMS)
def test_injection_in_every_parameter_is_refused_or_harmless(client: TestClient, param: str) -> None:
    for payload in INJECTIONS:
        response = client.get("/api/events", params={param: payload})
        assert response.status_code in (200, 400, 422), (param, payload, response.text)
        if response.status_code == 200:
            assert response.json()["items"] == [], (param, payload)
        else:
            assert_error(response, response.status_code)
    assert get_json(client, "/api/summary")["events"] == ALL_EVENTS


@pytest.mark.parametrize("endpoint", ["actors", "documents"])
def test_injection_in_search_is_harmless(client: TestClient, endpoint: str) -> None:
    for payload in INJECTIONS:
        response = client.get(f"/api/{endpoint}", params={"q": payload})
        assert response.status_code in (200, 422), response.text
        if response.status_code == 200:
            assert response.json()["items"] == []


@pytest.mark.parametrize(
    "raw_id",
    ["..%2F..%2Fetc%2Fpasswd", "%2E%2E", "..", "a%00b", "x" * 301, "%3Cscript%3E", "a%20b", "'%20OR%20'1'='1"],
)
@pytest.mark.parametrize("kind", ["events", "actors", "documents"])
def test_path_traversal_and_odd_ids_are_4xx(client: TestClient, kind: str, raw_id: str) -> None:
    response = client.get(f"/api/{kind}/{raw_id}")
    assert response.status_code in (404, 422), response.text
    assert_error(response, response.status_code)


def test_static_files_do_not_escape_their_directory(client: TestClient) -> None:
    for url in ("/static/../app.py", "/static/..%2Fapp.py", "/static/%2E%2E/backend.py"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "def create_app" not in response.text


def test_oversized_query_string_is_refused(client: TestClient) -> None:
    assert_error(client.get("/api/events", params={"q": "x" * 10_000}), 422)
    assert_error(client.get("/api/events?" + "&".join(f"q{i}=x" for i in range(2000))), 422)


def test_database_is_untouched_by_the_api(sample_db: Path, db_bytes: bytes, client: TestClient) -> None:
    for payload in INJECTIONS:
        client.get("/api/events", params={"q": payload})
        client.get("/api/actors", params={"q": payload})
    assert get_json(client, "/api/summary")["events"] == ALL_EVENTS
    assert sample_db.read_bytes() == db_bytes


def test_missing_store_fails_at_start(tmp_path: Path) -> None:
    from eventcoder.errors import StoreError

    with pytest.raises(StoreError):
        create_app(tmp_path / "absent.duckdb")


def walk_pages(client: TestClient, url: str, params: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        page = get_json(client, url, {**params, "limit": limit, **({"cursor": cursor} if cursor else {})})
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError(f"{url} never reached its last page")


@pytest.mark.parametrize(("url", "expected"), [("/api/actors", 8), ("/api/documents", 3), ("/api/stories", 8)])
def test_every_listing_pages_to_the_end(client: TestClient, url: str, expected: int) -> None:
    items = walk_pages(client, url, {}, 2)
    assert len(items) == expected
    assert len({item["id"] for item in items}) == expected


def test_filtered_pagination_keeps_the_filter(client: TestClient) -> None:
    items = walk_pages(client, "/api/events", {"since": "2024-01-01"}, 2)
    assert len(items) == 5
    assert all(item["date"] >= "2024" for item in items)


def test_role_limits_the_side_an_actor_is_on(client: TestClient) -> None:
    as_recipient = get_json(client, "/api/events", {"actor": "local:kenyan-protesters", "role": "recipient"})
    assert {item["type"] for item in as_recipient["items"]} == {"COERCE", "ASSAULT"}
    either = get_json(client, "/api/events", {"actor": "local:kenyan-protesters"})
    assert either["total"] == 3


def test_merged_events_give_one_row_per_story(client: TestClient) -> None:
    merged = get_json(client, "/api/events", {"merged": "true", "limit": 50})
    assert merged["total"] == ALL_EVENTS  # no two documents of the fixture report the same happening
    assert all(item["story_id"] for item in merged["items"])
    story = merged["items"][0]["story_id"]
    assert get_json(client, "/api/events", {"story": story})["total"] == 1


def test_openapi_documents_the_error_shape_and_filters(client: TestClient) -> None:
    schema = get_json(client, "/openapi.json")
    events = schema["paths"]["/api/events"]["get"]
    names = {parameter["name"] for parameter in events["parameters"]}
    assert {"type", "actor", "recipient", "since", "until", "modality", "country", "place", "q", "document", "story",
            "min_confidence", "limit", "cursor", "merged"} <= names
    assert "ErrorResponse" in schema["components"]["schemas"]
    assert "404" in schema["paths"]["/api/events/{event_id}"]["get"]["responses"]


def test_serve_binds_to_localhost_by_default() -> None:
    import inspect

    from eventcoder.serve import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_repeated_aggregates_come_from_the_cache(client: TestClient) -> None:
    cache = client.app.state.backend.cache  # type: ignore[attr-defined]
    first = get_json(client, "/api/timeline", {"bucket": "year", "type": "AGREE"})
    hits = cache.hits
    assert get_json(client, "/api/timeline", {"bucket": "year", "type": "AGREE"}) == first
    assert cache.hits == hits + 1
    get_json(client, "/api/timeline", {"bucket": "year", "type": "AID"})
    assert cache.hits == hits + 1


def test_modality_parameter_follows_the_model() -> None:
    from typing import get_args

    from eventcoder.model import MODALITIES
    from eventcoder.serve.app import Modality

    assert set(get_args(Modality)) == set(MODALITIES)
