import csv
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from eventcoder.errors import QueryError
from eventcoder.store import EventFilter
from eventcoder.store.export import export_actors, export_events

from .conftest import shelling_report


@pytest.fixture
def reported(store):
    store.add_results([
        shelling_report("wire-1"), shelling_report("post-1", source="Daily Post", published="2021-03-09"),
        shelling_report("herald-1", source="Herald", published="2021-03-11", date="2021-03-20"),
    ])
    return store


def test_parquet_keeps_native_lists(reported, tmp_path):
    path = tmp_path / "events.parquet"
    assert export_events(reported, path, "parquet") == 6
    table = pq.read_table(path)
    assert table.num_rows == 6
    row = table.to_pylist()[0]
    assert row["mentions"][0]["text"] == row["evidence_text"] and isinstance(row["context"], list)
    assert row["document_title"] and row["date_start"] is not None
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0] == 6


def test_jsonl_keeps_native_lists(reported, tmp_path):
    path = tmp_path / "out" / "events.jsonl"
    assert export_events(reported, path, "jsonl", EventFilter(type="ASSAULT")) == 3
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert {row["type"] for row in rows} == {"ASSAULT"}
    assert rows[0]["mentions"][0]["start"] >= 0 and rows[0]["disputed_by"] == []
    assert rows[0]["date_start"] <= rows[-1]["date_start"]


def test_csv_writes_nested_fields_as_json(reported, tmp_path):
    path = tmp_path / "events.csv"
    assert export_events(reported, path, "csv", EventFilter(actor="northland", role="actor")) == 3
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    assert json.loads(rows[0]["mentions"])[0]["text"] == rows[0]["evidence_text"]
    assert json.loads(rows[0]["context"]) == [] and json.loads(rows[0]["disputed_by"]) == []
    assert duckdb.sql(f"SELECT count(*) FROM read_csv('{path}')").fetchone()[0] == 3


def test_merged_export_has_one_row_per_story(reported, tmp_path):
    path = tmp_path / "stories.parquet"
    written = export_events(reported, path, "parquet", EventFilter(type="ASSAULT"), merged=True)
    rows = pq.read_table(path).to_pylist()
    assert written == len(rows) == 2
    merged = next(row for row in rows if row["story_reports"] == 2)
    assert sorted(merged["story_source_names"]) == ["Daily Post", "Example Wire"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_actor_export(reported, tmp_path, fmt):
    path = tmp_path / f"actors.{fmt}"
    assert export_actors(reported, path, fmt) == 3
    rows = duckdb.sql(f"SELECT * FROM '{path}' ORDER BY n_events DESC").fetchall()
    assert len(rows) == 3 and rows[0][0] == "local:northland-army"
    if fmt == "jsonl":
        first = json.loads(path.read_text(encoding="utf-8").splitlines()[1])
        assert isinstance(first["roles"], list) and isinstance(first["member_of"], list)


def test_unknown_format_is_a_query_error(reported, tmp_path):
    with pytest.raises(QueryError, match="format"):
        export_events(reported, tmp_path / "x.xlsx", "xlsx")
    assert not list(tmp_path.glob("x.xlsx*"))
