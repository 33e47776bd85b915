"""Snapshot mode: the API keeps answering while another process writes the same store file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from eventcoder.serve.app import create_app

from .conftest import NAIROBI, actor, build_store, event, result, sample_results

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # starlette's testclient and anyio (not ours)
    from fastapi.testclient import TestClient

# Opens the store for writing, adds results, then holds the file (and its lock) until told to stop.
WRITER = """
import json, sys, time
from pathlib import Path
from eventcoder.store.duckdb_store import DuckDBStore
db, results, stop = sys.argv[1], json.loads(Path(sys.argv[2]).read_text()), Path(sys.argv[3])
store = DuckDBStore.open(db)
store.add_results(results)
print("written", flush=True)
deadline = time.monotonic() + 30
while not stop.exists() and time.monotonic() < deadline:
    time.sleep(0.05)
store.close()
"""


def late_report() -> dict[str, Any]:
    text = "Striking teachers rallied outside the education ministry in Nairobi on Thursday, union leaders said."
    union = actor("local:kenya-teachers-union", "Kenya teachers' union", "organization", "KEN", text, "teachers")
    return result(text, "Teachers rally in Nairobi", "2024-07-05", "Example Wire", [union], [
        event(text, "e1", "PROTEST", text, "rallied", quad_class=3, goldstein=-6.5,
              actor={"id": union["id"], "name": union["name"]}, date="2024-07-04", date_precision="day",
              location=NAIROBI, confidence=0.8),
    ])


def total_events(client: TestClient) -> int:
    response = client.get("/api/events", params={"limit": 1})
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def test_snapshot_serves_during_a_write_and_picks_up_the_new_data(tmp_path: Path) -> None:
    db = build_store(tmp_path / "live.duckdb", sample_results())
    payload = tmp_path / "late.json"
    payload.write_text(json.dumps([late_report()]))
    stop = tmp_path / "stop"
    app = create_app(db, snapshot=True, refresh_s=0.05)
    snapshot_dir = app.state.backend.source._dir
    with TestClient(app) as client:
        assert total_events(client) == 8
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(payload), str(stop)],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "written"
            for _ in range(5):  # the writer holds the file: the old snapshot answers
                time.sleep(0.06)
                assert total_events(client) == 8
                assert client.get("/api/summary").status_code == 200
        finally:
            stop.touch()
            writer.wait(timeout=30)
        assert writer.returncode == 0
        deadline = time.monotonic() + 10
        while total_events(client) != 9:
            assert time.monotonic() < deadline, "the snapshot never picked up the new document"
            time.sleep(0.06)
        assert client.get("/api/events", params={"type": "PROTEST"}).json()["total"] == 2
        assert len(list(snapshot_dir.glob("*.duckdb"))) == 1  # the replaced snapshot is gone
    assert not snapshot_dir.exists()
