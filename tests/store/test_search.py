"""Text search through ``search_terms``: the same answers as scanning every sentence, kept in sync by ingest."""

import duckdb
import pytest

from eventcoder.errors import SchemaVersionError
from eventcoder.store import DuckDBStore, EventFilter
from eventcoder.store import query as q
from eventcoder.store.query import list_stories, query_events, timeline

from .conftest import make_event, make_result, shelling_report, two_shelling_reports

NEEDLES = ["shelled", "SHELLED", "shell", "portville", "portville.", "river front", "front positions in",
           "army shelled river", "on monday.", "e", "the", "nothing like this", "it’s", "ünïcode", "again on"]


def unicode_report() -> dict:
    text = "Protesters in Zürich said it’s ÜNÏCODE week.  Two  spaces here."
    return make_result("unicode", text, [
        make_event("e1", text, "Protesters in Zürich said it’s ÜNÏCODE week.", "said", type="PROTEST"),
        make_event("e2", text, "Two  spaces here.", "spaces", type="PROTEST"),
    ])


@pytest.fixture
def filled(store):
    store.add_results([*two_shelling_reports(), unicode_report()])
    return store


def scanned(store, needle: str) -> list[str]:
    """Ids of the events whose sentence contains ``needle``, by the plain scan the index must agree with."""
    with store.reading() as cursor:
        rows = cursor.execute("SELECT id FROM events WHERE contains(lower(evidence_text), ?) ORDER BY id",
                              [needle.lower()]).fetchall()
    return [row[0] for row in rows]


def searched(store, **filters) -> list[str]:
    return sorted(item["id"] for item in query_events(store, EventFilter(**filters), limit=1000).items)


@pytest.mark.parametrize("needle", [*NEEDLES, "two  spaces", "  shelled  "])
def test_search_agrees_with_a_scan_of_every_sentence(filled, needle, monkeypatch):
    expected = scanned(filled, needle.strip())
    assert searched(filled, text=needle) == expected
    assaults = searched(filled, type="ASSAULT")
    assert searched(filled, text=needle, type="ASSAULT") == [i for i in expected if i in assaults]
    # Every needle also through the word tables alone (no scan fallback for common words).
    monkeypatch.setattr(q, "SEARCH_SCAN_SHARE", 10.0)
    assert searched(filled, text=needle) == expected
    assert query_events(filled, EventFilter(text=needle)).total == len(expected)


def test_search_words_follow_ingest_and_reingest(store):
    store.add_results([shelling_report("wire-1")])
    assert searched(store, text="portville") == scanned(store, "portville")
    before = _search_rows(store)
    store.add_results([shelling_report("wire-1")])  # already stored: skipped, no second copy of its words
    assert _search_rows(store) == before
    store.add_results([shelling_report("post-1", sentence="The Northland Army shelled Portville from the hills.")])
    assert len(searched(store, text="hills")) == 1
    assert searched(store, text="portville") == scanned(store, "portville") and len(scanned(store, "portville")) == 2
    with store.reading() as cursor:
        vocabulary = dict(cursor.execute("SELECT term, n FROM search_vocabulary").fetchall())
        words = dict(cursor.execute("SELECT term, count(*) FROM search_terms GROUP BY term").fetchall())
    assert vocabulary == words and vocabulary["hills."] == 1


def test_clustering_keeps_every_word_and_sorts_them(filled, monkeypatch):
    before = _search_rows(filled)
    filled.cluster_search()
    assert _search_rows(filled) == before
    with filled.reading() as cursor:
        terms = [row[0] for row in cursor.execute("SELECT term FROM search_terms").fetchall()]
        clustered = cursor.execute("SELECT value FROM meta WHERE key = 'search_clustered_rows'").fetchone()[0]
    assert terms == sorted(terms) and int(clustered) == len(terms)
    # A large enough unsorted tail is clustered at the end of add_results.
    monkeypatch.setattr("eventcoder.store.duckdb_store.SEARCH_TAIL_ROWS", 1)
    filled.add_results([shelling_report("late-1", published="2021-04-01", date="2021-03-30")])
    with filled.reading() as cursor:
        terms = [row[0] for row in cursor.execute("SELECT term FROM search_terms").fetchall()]
    assert terms == sorted(terms) and len(terms) > len(before)


def test_text_filter_pages_and_other_listings(filled, monkeypatch):
    first = query_events(filled, EventFilter(text="shelled"), limit=1)
    second = query_events(filled, EventFilter(text="shelled"), limit=1, cursor=first.next_cursor)
    assert first.total == second.total == 2 and second.next_cursor is None
    assert {first.items[0]["id"], second.items[0]["id"]} == set(scanned(filled, "shelled"))
    flt = EventFilter(text="river front", type="ASSAULT")
    indexed = (list_stories(filled, flt), timeline(filled, flt), query_events(filled, flt, merged=True))
    monkeypatch.setattr(q, "SEARCH_SCAN_SHARE", -1.0)  # every search by scanning the sentences
    assert (list_stories(filled, flt), timeline(filled, flt), query_events(filled, flt, merged=True)) == indexed
    assert indexed[0].total == 2 and sum(entry["total"] for entry in indexed[1]) == 2


def test_rebuild_search_matches_what_ingest_wrote(filled):
    before = _search_rows(filled)
    filled.rebuild_search()
    assert _search_rows(filled) == before


def test_version_2_store_is_upgraded_with_its_words(tmp_path):
    path = tmp_path / "v2.duckdb"
    with DuckDBStore.open(path) as store:
        store.add_results([shelling_report("wire-1")])
        expected = _search_rows(store)
    with duckdb.connect(str(path)) as connection:
        connection.execute("DROP TABLE search_terms; DROP TABLE search_vocabulary; "
                           "DELETE FROM meta WHERE key = 'search_clustered_rows'; "
                           "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="open it once for writing"):
        DuckDBStore.open(path, read_only=True)
    with DuckDBStore.open(path) as store:
        assert _search_rows(store) == expected
        assert searched(store, text="portville") == scanned(store, "portville")
    with DuckDBStore.open(path, read_only=True) as store:
        assert searched(store, text="shelled") == scanned(store, "shelled")


def _search_rows(store) -> list[tuple]:
    with store.reading() as cursor:
        return cursor.execute("SELECT term, event_id, date_start FROM search_terms ORDER BY ALL").fetchall()


PLACES = ["portville", "PORT", "coast", "zürich", "nowhere", "o"]


@pytest.mark.parametrize("needle", PLACES)
def test_place_filter_agrees_with_a_scan_of_every_name(filled, needle):
    with filled.reading() as cursor:
        expected = [row[0] for row in cursor.execute(
            "SELECT id FROM events WHERE contains(lower(location_name), ?) OR contains(lower(location_admin1), ?) "
            "ORDER BY id", [needle.lower()] * 2).fetchall()]
    assert searched(filled, place=needle) == expected


def test_place_names_are_read_again_after_an_ingest(filled):
    assert searched(filled, place="lakeside") == []
    lakeside = {"name": "Lakeside", "country": "SLD", "admin1": "Lakes", "lat": 1.0, "lon": 2.0, "geonameid": 7,
                "feature": "city"}
    text = "Police dispersed protesters in Lakeside."
    filled.add_results([make_result("lake", text, [make_event("e1", text, text, "dispersed", type="COERCE",
                                                               location=lakeside)])])
    assert len(searched(filled, place="lakeside")) == len(searched(filled, place="lakes")) == 1
