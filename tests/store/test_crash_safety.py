"""A writer killed in the middle of a batch leaves only whole, committed documents; re-ingesting completes it."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from eventcoder.store import DuckDBStore

from .conftest import shelling_report

N_DOCUMENTS = 8
HERE = Path(__file__).resolve().parent

WRITER = textwrap.dedent("""
    import os, signal, sys
    from dataclasses import replace
    sys.path.insert(0, {tests!r})
    from store.conftest import shelling_report
    from eventcoder.store import DuckDBStore

    store = DuckDBStore.open({db!r})
    store.settings = replace(store.settings, store_batch_size=2)
    calls = 0
    insert = store._insert

    def insert_then_die(table, rows, **kwargs):
        global calls
        insert(table, rows, **kwargs)
        calls += table == "events"
        if calls == 3:  # third batch: events written, mentions and quotes not yet, transaction open
            os.kill(os.getpid(), signal.SIGKILL)

    store._insert = insert_then_die
    store.add_results(shelling_report(f"doc-{{n}}", published=f"2021-03-{{n + 10}}") for n in range({n}))
""")


def reports():
    return [shelling_report(f"doc-{n}", published=f"2021-03-{n + 10}") for n in range(N_DOCUMENTS)]


def table_counts(store: DuckDBStore) -> dict[str, int]:
    with store.reading() as cursor:
        return {
            table: cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "events", "event_mentions", "actor_mentions", "quotes", "stories")
        }


def test_killed_writer_leaves_whole_documents_and_resumes(tmp_path):
    db = tmp_path / "events.duckdb"
    script = WRITER.format(tests=str(HERE.parent), db=str(db), n=N_DOCUMENTS)
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert finished.returncode == -signal.SIGKILL, finished.stderr

    with DuckDBStore.open(db) as store:
        assert len(store.document_ids()) == 4  # two committed batches of two
        with store.reading() as cursor:
            partial = cursor.execute(
                """SELECT count(*) FROM documents AS d
                   WHERE d.n_events <> (SELECT count(*) FROM events AS e WHERE e.document_id = d.id)"""
            ).fetchone()[0]
            orphans = cursor.execute(
                "SELECT count(*) FROM events WHERE document_id NOT IN (SELECT id FROM documents)"
            ).fetchone()[0]
        assert partial == 0 and orphans == 0
        store.add_results(reports())
        resumed = table_counts(store)

    with DuckDBStore.open(tmp_path / "clean.duckdb") as clean:
        clean.add_results(reports())
        assert resumed == table_counts(clean)
    assert os.path.exists(db)
