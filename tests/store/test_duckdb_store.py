from dataclasses import replace

import duckdb
import pytest

from eventcoder.errors import SchemaVersionError, StoreError
from eventcoder.store import SCHEMA_VERSION, AddStats, DuckDBStore, Store

from .conftest import doc_id_for, make_event, make_result, shelling_report

TABLES = ("documents", "actors", "actor_mentions", "events", "event_mentions", "quotes", "stories")


def counts(store: DuckDBStore) -> dict[str, int]:
    with store.reading() as cursor:
        return {table: cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


def corpus():
    return [
        shelling_report("wire-1"),
        shelling_report("post-1", source="Daily Post", published="2021-03-09"),
        shelling_report("herald-1", source="Herald", date="2021-03"),
    ]


def test_store_satisfies_protocol(store):
    assert isinstance(store, Store)


def test_add_results_writes_every_table(store):
    stats = store.add_results(corpus())
    assert stats.documents_added == 3 and stats.events_added == 6 and stats.documents_skipped == 0
    found = counts(store)
    assert found["documents"] == 3 and found["events"] == 6 and found["event_mentions"] == 6
    assert found["actors"] == 3 and found["actor_mentions"] == 9 and found["quotes"] == 3
    assert store.has_document(doc_id_for("wire-1")) and not store.has_document("f" * 64)
    assert store.document_ids() == {doc_id_for(name) for name in ("wire-1", "post-1", "herald-1")}


def test_reingest_is_idempotent(tmp_path):
    path = tmp_path / "events.duckdb"
    with DuckDBStore.open(path) as store:
        store.add_results(corpus())
        before = counts(store)
    with DuckDBStore.open(path) as store:
        again = store.add_results(corpus())
        assert again == AddStats(documents_added=0, documents_skipped=3, events_added=0)
        assert counts(store) == before


def test_duplicates_within_one_call_are_stored_once(store):
    store.add_results([shelling_report("wire-1"), shelling_report("wire-1")])
    assert counts(store)["documents"] == 1


def test_small_batches_give_the_same_store(tmp_path):
    with DuckDBStore.open(tmp_path / "one.duckdb") as whole:
        whole.add_results(corpus())
        expected = counts(whole)
    small = DuckDBStore.open(tmp_path / "small.duckdb")
    small.settings = replace(small.settings, store_batch_size=1)
    with small:
        assert small.add_results(corpus()).documents_added == 3
        assert counts(small) == expected


def test_failed_batch_writes_nothing(store):
    bad = make_result("bad", "Text here.", [
        make_event("e1", "Text here.", "Text here.", "here"), make_event("e1", "Text here.", "Text here.", "here"),
    ])
    with pytest.raises(StoreError, match="share one id"):
        store.add_results([shelling_report("good"), bad])
    assert counts(store)["documents"] == 0


def test_shared_actor_is_stored_once_first_seen_wins(store):
    store.add_results(corpus())
    with store.reading() as cursor:
        assert cursor.execute("SELECT count(*) FROM actors WHERE id = 'local:northland-army'").fetchone()[0] == 1


def test_month_date_is_stored_with_bounds(store):
    store.add_results([shelling_report("herald-1", date="2021-03")])
    with store.reading() as cursor:
        row = cursor.execute(
            "SELECT date, date_precision, date_start, date_end FROM events WHERE type = 'ASSAULT'"
        ).fetchone()
    assert row[0] == "2021-03" and row[1] == "month"
    assert (row[2].isoformat(), row[3].isoformat()) == ("2021-03-01", "2021-03-31")


def test_errors_are_recorded_counted_and_resolved(store):
    store.record_error("inbox/a.html", "E204", "binary", "a.html is a PNG image")
    store.record_error("inbox/b.txt", "E203", "empty", "b.txt is empty")
    store.record_error("inbox/a.html", "E204", "binary", "a.html is a PNG image")
    pending = store.errors()
    assert [e["origin"] for e in pending] == ["inbox/a.html", "inbox/b.txt"]
    assert pending[0]["attempts"] == 2 and pending[0]["reason"] == "binary" and pending[0]["code"] == "E204"
    store.resolve_error("inbox/a.html")
    assert [e["origin"] for e in store.errors()] == ["inbox/b.txt"]
    every = store.errors(pending_only=False)
    assert len(every) == 2 and next(e for e in every if e["origin"] == "inbox/a.html")["resolved"] is True
    store.record_error("inbox/a.html", "E204", "binary", "still a PNG")
    assert {e["origin"] for e in store.errors()} == {"inbox/a.html", "inbox/b.txt"}


def test_schema_version_is_recorded(store):
    with store.reading() as cursor:
        assert cursor.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == SCHEMA_VERSION


def test_schema_version_mismatch_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "old.duckdb"
    DuckDBStore.open(path).close()
    with duckdb.connect(str(path)) as connection:
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="schema version 0") as caught:
        DuckDBStore.open(path)
    assert "new --db file" in str(caught.value)


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE things (x INTEGER)")
    with pytest.raises(SchemaVersionError, match="not an eventcoder store"):
        DuckDBStore.open(path)


def test_unopenable_file_is_one_store_error(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("these are not the bytes of a database\n" * 50)
    with pytest.raises(StoreError, match="cannot open store") as caught:
        DuckDBStore.open(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_read_only_store_refuses_writes(tmp_path):
    path = tmp_path / "events.duckdb"
    with DuckDBStore.open(path) as store:
        store.add_results(corpus())
    with DuckDBStore.open(path, read_only=True) as store:
        assert len(store.document_ids()) == 3
        with pytest.raises(StoreError, match="read-only"):
            store.add_results(corpus())
        with pytest.raises(StoreError, match="read-only"):
            store.record_error("x", "E200", "input", "x")


def test_read_only_missing_file_is_a_store_error(tmp_path):
    with pytest.raises(StoreError):
        DuckDBStore.open(tmp_path / "missing.duckdb", read_only=True)


def test_storing_a_document_resolves_its_recorded_error(store):
    store.record_error("inbox/late.json:3", "E300", "processing", "pipeline failed")
    retried = shelling_report("late")
    retried["document"]["origin"] = "inbox/late.json:3"
    store.add_results([retried])
    assert store.errors() == [] and store.errors(pending_only=False)[0]["resolved"] is True
