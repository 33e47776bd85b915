from datetime import date

import pytest

from eventcoder.store import DuckDBStore, EventFilter
from eventcoder.store.query import list_stories, query_events
from eventcoder.store.stories import Story, match_score, story_id_for

from .conftest import ARMY, MINISTRY, PORTVILLE, REBELS, doc_id_for, make_event, make_result, shelling_report


def stories_of(store: DuckDBStore) -> list[dict]:
    return list_stories(store, limit=100).items


def assault_story(store: DuckDBStore) -> dict:
    return next(s for s in stories_of(store) if s["type"] == "ASSAULT")


def test_reports_of_one_happening_in_different_outlets_merge(store):
    stats = store.add_results([
        shelling_report("wire-1"),
        shelling_report("post-1", source="Daily Post", published="2021-03-09",
                        sentence="Artillery of the Northland Army shelled River Front fighters in Portville."),
    ])
    assert stats.reports_merged == 1
    story = assault_story(store)
    assert story["n_reports"] == 2 and story["n_sources"] == 2
    assert sorted(story["sources"]) == ["Daily Post", "Example Wire"]
    assert set(story["document_ids"]) == {doc_id_for("wire-1"), doc_id_for("post-1")}
    assert story["first_reported"] == "2021-03-09"
    # The earliest-published report founds the story and names it.
    assert story["event_id"].startswith(doc_id_for("post-1")[:16])
    assert story["id"] == story_id_for(story["event_id"])


def test_month_report_merges_with_day_report_and_narrows_the_date(store):
    store.add_results([shelling_report("wire-1"), shelling_report("herald-1", source="Herald", date="2021-03")])
    story = assault_story(store)
    assert story["n_reports"] == 2 and (story["date_start"], story["date_end"]) == ("2021-03-08", "2021-03-08")


def test_undated_reports_merge_when_published_close_together(store):
    store.add_results([
        shelling_report("wire-1", date=None, published="2021-03-10"),
        shelling_report("post-1", date=None, published="2021-03-11", source="Daily Post"),
    ])
    assert assault_story(store)["n_reports"] == 2


def test_undated_reports_published_far_apart_stay_apart(store):
    store.add_results([
        shelling_report("wire-1", date=None, published="2021-03-10"),
        shelling_report("post-1", date=None, published="2021-05-20", source="Daily Post"),
    ])
    assert [s["n_reports"] for s in stories_of(store) if s["type"] == "ASSAULT"] == [1, 1]


def test_undated_reports_of_documents_published_only_to_the_year_stay_apart(store):
    # "2021" is no publication day: "the days before it" would be the last days of 2020.
    store.add_results([
        shelling_report("wire-1", date=None, published="2021"),
        shelling_report("post-1", date=None, published="2021", source="Daily Post"),
    ])
    assert [s["n_reports"] for s in stories_of(store) if s["type"] == "ASSAULT"] == [1, 1]


def one_actor_report(name: str, sentence: str, trigger: str, *, date: str, source: str) -> dict:
    text = f"{sentence} Residents fled the area."
    return make_result(name, text, [make_event("e1", text, sentence, trigger, actor=ARMY, date=date)],
                       published="2021-06-01", source=source)


def test_year_wide_reports_need_more_than_one_shared_argument(store):
    # Two attacks by one army in the same year are not one happening ...
    store.add_results([
        one_actor_report("wire-1", "The Northland Army shelled a market in 2021.", "shelled",
                         date="2021", source="Example Wire"),
        one_actor_report("post-1", "The Northland Army bombed a bridge on the coast road in 2021.", "bombed",
                         date="2021", source="Daily Post"),
    ])
    assert [s["n_reports"] for s in stories_of(store) if s["type"] == "ASSAULT"] == [1, 1]


def test_year_wide_reports_with_near_identical_evidence_merge(store):
    # ... but the same sentence reprinted by another outlet is.
    sentence = "The Northland Army shelled the central market of the old town in 2021."
    store.add_results([
        one_actor_report("wire-1", sentence, "shelled", date="2021", source="Example Wire"),
        one_actor_report("post-1", sentence, "shelled", date="2021", source="Daily Post"),
    ])
    assert assault_story(store)["n_reports"] == 2


def test_different_days_do_not_merge(store):
    store.add_results([shelling_report("wire-1"), shelling_report("post-1", date="2021-03-01", source="Daily Post")])
    assert [s["n_reports"] for s in stories_of(store) if s["type"] == "ASSAULT"] == [1, 1]


def _other_report(name: str, *, actor=ARMY, recipient=REBELS, location=PORTVILLE, type="ASSAULT", quad=4,
                  sentence="The Northland Army shelled River Front positions in Portville on Monday.") -> dict:
    text = sentence + " More follows."
    return make_result(name, text, [make_event("e1", text, sentence, sentence.split()[3], type=type, quad_class=quad,
                                               actor=actor, recipient=recipient, date="2021-03-08",
                                               location=location)], source="Other Outlet")


@pytest.mark.parametrize("other", [
    _other_report("other-actor", actor=MINISTRY),
    _other_report("other-place", location={**PORTVILLE, "name": "Elsewhere", "geonameid": 9, "country": "FRA"}),
    _other_report("other-family", type="AGREE", quad=1),
    _other_report("family-unlike", type="COERCE",
                  sentence="The Northland Army detained River Front couriers at a checkpoint near Portville."),
])
def test_incompatible_reports_stay_apart(store, other):
    store.add_results([shelling_report("wire-1"), other])
    assert all(story["n_reports"] == 1 for story in stories_of(store))


def test_same_family_with_near_identical_evidence_merges(store):
    store.add_results([shelling_report("wire-1"), _other_report("coerce", type="COERCE")])
    assert sorted(s["n_reports"] for s in stories_of(store)) == [1, 2]


def test_unknown_recipient_is_compatible(store):
    store.add_results([shelling_report("wire-1"), _other_report("no-recipient", recipient=None)])
    assert assault_story(store)["n_reports"] == 2


def test_events_of_one_document_never_merge(store):
    sentence = "The Northland Army shelled River Front positions in Portville on Monday."
    text = f"{sentence} Witnesses said: {sentence}"
    second = text.rindex(sentence)
    twin = make_event("e2", text, sentence, "shelled", actor=ARMY, recipient=REBELS, date="2021-03-08",
                      location=PORTVILLE)
    twin["evidence"].update(start=second, end=second + len(sentence))
    result = make_result("twice", text, [
        make_event("e1", text, sentence, "shelled", actor=ARMY, recipient=REBELS, date="2021-03-08",
                   location=PORTVILLE), twin])
    store.add_results([result])
    assert [s["n_reports"] for s in stories_of(store)] == [1, 1]
    # A later report joins one of them, never both.
    store.add_results([shelling_report("wire-1")])
    assert sorted(s["n_reports"] for s in stories_of(store) if s["type"] == "ASSAULT") == [1, 2]


def test_matching_is_incremental_across_calls_and_ids_are_stable(tmp_path):
    # Ingested in publication order, one at a time or in one batch: the same stories.
    reports = [shelling_report("wire-1", published="2021-03-09"), shelling_report("post-1", source="Daily Post"),
               shelling_report("herald-1", source="Herald", published="2021-03-11")]
    with DuckDBStore.open(tmp_path / "a.duckdb") as one_by_one:
        for report in reports:
            one_by_one.add_results([report])
        first = {(s["id"], s["n_reports"]) for s in stories_of(one_by_one)}
        one_by_one.add_results(reports)  # re-ingest changes nothing
        assert {(s["id"], s["n_reports"]) for s in stories_of(one_by_one)} == first
    with DuckDBStore.open(tmp_path / "b.duckdb") as together:
        together.add_results(reports)
        assert {(s["id"], s["n_reports"]) for s in stories_of(together)} == first
    assert (story_id_for(f"{doc_id_for('wire-1')[:16]}:e1"), 3) in first


def test_merged_query_gives_one_row_per_story(store):
    store.add_results([shelling_report("wire-1"), shelling_report("post-1", source="Daily Post"),
                       shelling_report("herald-1", source="Herald", published="2021-03-11")])
    every = query_events(store, EventFilter(type="ASSAULT"))
    merged = query_events(store, EventFilter(type="ASSAULT"), merged=True)
    assert every.total == 3 and merged.total == 1
    item = merged.items[0]
    assert item["story"]["n_reports"] == 3 and item["story"]["n_sources"] == 3 and item["type"] == "ASSAULT"
    assert query_events(store, None, merged=True).total == len(stories_of(store))


def test_merged_pagination_walks_every_story(store):
    store.add_results([shelling_report(f"doc-{n}", date=f"2021-03-{n + 1:02d}", published=f"2021-03-{n + 2:02d}")
                       for n in range(5)])
    seen, cursor = [], None
    while True:
        page = query_events(store, EventFilter(), limit=3, merged=True, cursor=cursor)
        seen += [item["story"]["id"] for item in page.items]
        if not (cursor := page.next_cursor):
            break
    assert len(seen) == len(set(seen)) == page.total


def test_match_score_prefers_shared_arguments():
    event = {"id": "x:e1", "document_id": "x", "type": "ASSAULT", "quad_class": 4, "actor_id": "a",
             "recipient_id": "b", "geonameid": None, "location_name": None, "location_country": None,
             "date_start": date(2021, 3, 8), "date_end": date(2021, 3, 8), "evidence_text": "a hit b"}
    story = Story.found({**event, "id": "y:e1", "document_id": "y"}, date(2021, 3, 9), "Wire")
    assert match_score(event, date(2021, 3, 9), story) == (2, 100.0, True)
    assert match_score({**event, "document_id": "y"}, date(2021, 3, 9), story) is None
