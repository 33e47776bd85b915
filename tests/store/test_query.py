from datetime import date

import pytest

from eventcoder.errors import QueryError
from eventcoder.store import EventFilter
from eventcoder.store.query import (
    get_actor,
    get_document,
    get_event,
    list_actors,
    list_documents,
    network,
    places,
    query_events,
    summary,
    timeline,
)

from .conftest import (
    ARMY,
    MINISTRY,
    PORTVILLE,
    REBELS,
    doc_id_for,
    make_event,
    make_result,
    two_shelling_reports,
)

UNION = ("Q1065", "United Nations")
LAKESIDE = {"name": "Lakeside", "country": "SLD", "admin1": "Lakes", "lat": 10.0, "lon": 20.0,
            "geonameid": 2002, "feature": "city"}


def talks_report() -> dict:
    text = ("The United Nations met Southland Foreign Ministry envoys in Lakeside in February 2021. "
            "The ministry said it would send aid to displaced families. "
            "River Front leaders denied that they had attacked a convoy.")
    return make_result("talks", text, [
        make_event("e1", text, "The United Nations met Southland Foreign Ministry envoys in Lakeside in February 2021.",
                   "met", type="CONSULT", quad_class=1, actor=UNION, recipient=MINISTRY, date="2021-02",
                   location=LAKESIDE, confidence=0.9, context=["diplomatic"]),
        make_event("e2", text, "The ministry said it would send aid to displaced families.", "send aid",
                   type="AID", quad_class=2, actor=MINISTRY, modality="planned", confidence=0.4),
        make_event("e3", text, "River Front leaders denied that they had attacked a convoy.", "attacked",
                   actor=REBELS, modality="denied", date="2021", confidence=0.7, disputed_by=[REBELS[0]]),
    ], published="2021-03-01", source="Lake Times")


@pytest.fixture
def filled(store):
    store.add_results([*two_shelling_reports(), talks_report()])
    return store


def ids(page) -> list[str]:
    return [item["id"] for item in page.items]


def test_events_come_newest_first_with_documents(filled):
    page = query_events(filled, EventFilter())
    assert page.total == 7 and page.next_cursor is None
    starts = [item["date_start"] or "" for item in page.items]
    assert starts == sorted(starts, reverse=True)
    assert page.items[0]["document"]["title"] and page.items[0]["document"]["source"]


def test_pagination_walks_to_the_end_without_repeats(filled):
    seen, cursor, pages = [], None, 0
    while True:
        page = query_events(filled, EventFilter(), limit=2, cursor=cursor)
        seen += ids(page)
        pages += 1
        assert page.total == 7
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 4 and len(seen) == len(set(seen)) == 7
    assert seen == ids(query_events(filled, EventFilter(), limit=50))


def test_filtered_pagination_keeps_its_total(filled):
    first = query_events(filled, EventFilter(actor="northland"), limit=3)
    rest = query_events(filled, EventFilter(actor="northland"), limit=3, cursor=first.next_cursor)
    assert first.total == rest.total == 4 and len(first.items) == 3 and len(rest.items) == 1
    assert rest.next_cursor is None and not set(ids(first)) & set(ids(rest))


@pytest.mark.parametrize(("flt", "expected_keys"), [
    (EventFilter(type="consult"), {"talks:e1"}),
    (EventFilter(actor="northland"), {"wire-1:e1", "wire-1:e2", "post-1:e1", "post-1:e2"}),
    (EventFilter(actor=ARMY[0], role="actor"), {"wire-1:e1", "post-1:e1"}),
    (EventFilter(actor="Northland Army", role="recipient"), {"wire-1:e2", "post-1:e2"}),
    (EventFilter(recipient=MINISTRY[0]), {"talks:e1"}),
    (EventFilter(since="2021-03-11"), {"post-1:e1", "post-1:e2", "talks:e3"}),  # year 2021 overlaps
    (EventFilter(until=date(2021, 2, 28)), {"talks:e1", "talks:e3"}),
    (EventFilter(modality="planned"), {"talks:e2"}),
    (EventFilter(country="nld"), {"wire-1:e1", "post-1:e1"}),
    (EventFilter(place="lakes"), {"talks:e1"}),
    (EventFilter(text="convoy"), {"talks:e3"}),
    (EventFilter(document_id=doc_id_for("talks")), {"talks:e1", "talks:e2", "talks:e3"}),
    (EventFilter(min_confidence=0.85), {"talks:e1"}),
    (EventFilter(type="ASSAULT", actor="river", role="actor"), {"talks:e3"}),
    (EventFilter(text="100%_sure"), set()),
])
def test_every_filter(filled, flt, expected_keys):
    names = {doc_id_for(n): n for n in ("wire-1", "post-1", "talks")}
    found = {f"{names[i['document_id']]}:{i['event_key']}" for i in query_events(filled, flt).items}
    assert found == expected_keys


def test_story_filter(filled):
    story = query_events(filled, EventFilter(type="ASSAULT", country="NLD")).items[0]["story_id"]
    assert {item["story_id"] for item in query_events(filled, EventFilter(story_id=story)).items} == {story}


def test_month_precision_event_matches_any_overlapping_window(filled):
    # "February 2021" may be any day of the month: a window touching the month finds it.
    assert "talks" in _titles(query_events(filled, EventFilter(type="CONSULT", since="2021-02-27")))
    assert "talks" in _titles(query_events(filled, EventFilter(type="CONSULT", until="2021-02-01")))
    assert query_events(filled, EventFilter(type="CONSULT", since="2021-03-01")).total == 0
    assert query_events(filled, EventFilter(type="CONSULT", until="2021-01-31")).total == 0
    assert query_events(filled, EventFilter(type="CONSULT", since="2021-02", until="2021-02")).total == 1


def _titles(page) -> set[str]:
    return {item["document"]["title"].lower() for item in page.items}


@pytest.mark.parametrize("flt", [
    EventFilter(type="EXPLODE"), EventFilter(since="last tuesday"), EventFilter(modality="rumoured"),
    EventFilter(role="bystander", actor="x"), EventFilter(min_confidence=2.0), EventFilter(min_confidence="high"),
    EventFilter(actor="x" * 600), EventFilter(text="   "),
])
def test_bad_filters_are_query_errors(filled, flt):
    with pytest.raises(QueryError):
        query_events(filled, flt)


@pytest.mark.parametrize("limit", [0, -1, 10**6, "10", True])
def test_bad_limits_are_query_errors(filled, limit):
    with pytest.raises(QueryError, match="limit"):
        query_events(filled, EventFilter(), limit=limit)


@pytest.mark.parametrize("cursor", ["garbage", "", "eyJ4IjoxfQ", "WyJhY3RvcnMiLDEsImEiXQ"])
def test_invalid_cursor_is_a_query_error(filled, cursor):
    with pytest.raises(QueryError, match="invalid cursor"):
        query_events(filled, EventFilter(), cursor=cursor)


def test_injection_in_a_parameter_is_just_a_string(filled):
    assert query_events(filled, EventFilter(actor="x' OR 1=1; DROP TABLE events; --")).total == 0
    assert query_events(filled, EventFilter()).total == 7


def test_get_event_has_mentions_document_and_highlighted_window(filled):
    event_id = query_events(filled, EventFilter(text="convoy")).items[0]["id"]
    event = get_event(filled, event_id, window=20)
    assert event["document"]["title"] == "Talks" and event["document"]["url"].endswith("/talks")
    assert event["mentions"] and event["evidence"]["trigger"]["text"] == "attacked"
    window = event["window"]
    trigger = next(h for h in window["highlights"] if h["kind"] == "trigger")
    assert window["text"][trigger["start"]:trigger["end"]] == "attacked"
    evidence = next(h for h in window["highlights"] if h["kind"] == "evidence")
    assert window["text"][evidence["start"]:evidence["end"]] == event["evidence"]["text"]
    assert event["story"]["reports"][0]["event_id"] == event_id
    assert get_event(filled, "nope:e1") is None


def test_list_and_get_documents(filled):
    page = list_documents(filled, limit=2)
    assert page.total == 3 and len(page.items) == 2 and page.items[0]["title"] == "Post 1"
    rest = list_documents(filled, limit=2, cursor=page.next_cursor)
    assert [d["title"] for d in rest.items] == ["Talks"] and rest.next_cursor is None
    assert list_documents(filled, source="lake").total == 1
    document = get_document(filled, doc_id_for("talks"))
    assert document["document"]["text"].startswith("The United Nations")
    assert len(document["events"]) == 3 and all(e["mentions"] for e in document["events"])
    assert {a["id"] for a in document["actors"]} == {UNION[0], MINISTRY[0], REBELS[0]}
    assert document["quotes"][0]["text"] == document["document"]["text"][:10]
    assert get_document(filled, "0" * 64) is None


def test_actors_are_listed_by_event_count_and_paged(filled):
    page = list_actors(filled, limit=1)
    assert page.items[0]["id"] == ARMY[0] and page.items[0]["n_events"] == 4 and page.total == 4
    seen, cursor = [], None
    while True:
        page = list_actors(filled, limit=1, cursor=cursor)
        seen += ids(page)
        if not (cursor := page.next_cursor):
            break
    assert len(seen) == len(set(seen)) == 4
    assert ids(list_actors(filled, "nations")) == [UNION[0]]


def test_get_actor_has_counts_and_partners(filled):
    actor = get_actor(filled, ARMY[0])
    assert actor["counts"]["as_actor"] == 2 and actor["counts"]["as_recipient"] == 2
    assert actor["counts"]["documents"] == 2
    assert {p["id"] for p in actor["partners"]} == {REBELS[0], MINISTRY[0]}
    assert actor["roles"][0]["role"] == "member"
    assert get_actor(filled, "local:nobody") is None


def test_timeline_buckets(filled):
    months = timeline(filled, EventFilter(), bucket="month")
    assert [m["period"] for m in months] == ["2021-01-01", "2021-02-01", "2021-03-01"]
    march = months[-1]
    assert march["total"] == 4 and march["by_type"] == {"ASSAULT": 2, "ACCUSE": 2}
    assert march["by_quad_class"] == {"4": 2, "3": 2}
    assert sum(d["total"] for d in timeline(filled, EventFilter(type="ASSAULT"), bucket="day")) == 3
    with pytest.raises(QueryError):
        timeline(filled, EventFilter(), bucket="fortnight")


def test_network_edges_and_nodes(filled):
    graph = network(filled, EventFilter())
    edge = next(e for e in graph["edges"] if e["source"] == ARMY[0] and e["target"] == REBELS[0])
    assert edge["weight"] == 2 and edge["mean_goldstein"] == -5.0 and edge["quad_class_counts"]["4"] == 2
    assert {n["id"] for n in graph["nodes"]} == {ARMY[0], REBELS[0], MINISTRY[0], UNION[0]}
    assert len(network(filled, EventFilter(), min_weight=2)["edges"]) == 2


def test_places_counts(filled):
    found = places(filled, EventFilter())
    assert found[0] == {"name": "Portville", "lat": PORTVILLE["lat"], "lon": PORTVILLE["lon"], "country": "NLD",
                        "geonameid": 1001, "count": 2}
    assert [p["name"] for p in places(filled, EventFilter(type="CONSULT"))] == ["Lakeside"]


def test_summary(filled):
    filled.record_error("x.bin", "E204", "binary", "x.bin is binary")
    counts = summary(filled)
    assert counts["documents"] == 3 and counts["events"] == 7
    assert counts["stories"] == 7 and counts["merged_stories"] == 0  # the two shellings are on different days
    assert counts["by_type"]["ASSAULT"] == 3 and counts["by_modality"]["denied"] == 1
    assert counts["top_actors"][0]["id"] == ARMY[0] and counts["errors"] == {"pending": 1, "resolved": 0}
