"""The Dask engine builds the same store as the local engine, and re-ingesting is idempotent in both."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from eventcoder.api import ingest
from eventcoder.distributed import _outcome, ingest_dask, publication_month
from eventcoder.errors import ConfigError, ProcessingError

# Short wire-style reports written for these tests.
TEXT_REPORTS = {
    "bogota-talks.txt": (
        "BOGOTA, Feb 9 - Colombia's government and the ELN rebel group resumed peace talks in Caracas on "
        "Thursday, negotiators said. The delegations agreed to extend a ceasefire for six months."
    ),
    "dhaka-strike.txt": (
        "Garment workers in Dhaka blocked a highway on Sunday to demand higher wages. Police fired rubber "
        "bullets to disperse the crowd and detained twelve people, a police spokesman said."
    ),
    "sahel-attack.txt": (
        "Gunmen attacked a village in northern Burkina Faso on Saturday, killing at least fifteen civilians, "
        "local officials said. The army launched an operation to find the attackers."
    ),
}
JSONL_REPORTS = [
    {"id": "w1", "title": "Minister visits Nairobi", "published": "2023-04-11", "source": "test wire",
     "text": "India's foreign minister visited Nairobi on Tuesday and signed a trade agreement with Kenya. "
             "Kenya's president praised the deal."},
    {"id": "w2", "title": "Protest in Lima", "published": "2023-01-20", "source": "test wire",
     "text": "Thousands of protesters marched in Lima on Thursday demanding the resignation of the president. "
             "Police used tear gas against demonstrators near Congress."},
    {"id": "w3", "title": "Sanctions announced", "published": "2022-11-02", "source": "test wire",
     "text": "The European Union imposed sanctions on six Iranian officials on Monday over the crackdown on "
             "protests. Iran condemned the decision and summoned the German ambassador."},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for name, text in TEXT_REPORTS.items():
        (root / name).write_text(text + "\n", encoding="utf-8")
    (root / "empty.txt").write_text("  \n", encoding="utf-8")  # a failure both engines must record
    lines = [json.dumps(record) for record in JSONL_REPORTS]
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def event_keys(db: Path) -> set[tuple[str, str, int, int]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT document_id, type, trigger_start, trigger_end FROM events").fetchall()
    return set(rows)


def row_counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
                for table in ("documents", "events", "actor_mentions", "quotes", "errors")}


@pytest.fixture(scope="module")
def stores(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Both engines on the same corpus, each run twice."""
    out = tmp_path_factory.mktemp("stores")
    local_db, dask_db = out / "local.duckdb", out / "dask.duckdb"
    reports = {
        "local": ingest([corpus], local_db, published="2023-05-01"),
        "local_again": ingest([corpus], local_db, published="2023-05-01"),
        "dask": ingest_dask([corpus], dask_db, published="2023-05-01", workers=2),
    }
    reports["dask_again"] = ingest_dask([corpus], dask_db, published="2023-05-01", workers=2)
    return {"local_db": local_db, "dask_db": dask_db, **reports}


def test_both_engines_store_the_same_events(stores: dict[str, object]) -> None:
    local_db, dask_db = stores["local_db"], stores["dask_db"]
    assert isinstance(local_db, Path) and isinstance(dask_db, Path)
    assert row_counts(local_db)["documents"] == len(TEXT_REPORTS) + len(JSONL_REPORTS)
    assert event_keys(local_db), "the fixture reports should yield events"
    assert event_keys(dask_db) == event_keys(local_db)
    assert row_counts(dask_db) == row_counts(local_db)
    assert row_counts(dask_db)["errors"] == 1


def test_reports_agree(stores: dict[str, object]) -> None:
    local, dask = stores["local"], stores["dask"]
    assert local.to_dict() == dask.to_dict()  # type: ignore[attr-defined]
    assert dask.documents_added == len(TEXT_REPORTS) + len(JSONL_REPORTS)  # type: ignore[attr-defined]


def test_reingest_is_idempotent_in_both_engines(stores: dict[str, object]) -> None:
    for engine in ("local", "dask"):
        again = stores[f"{engine}_again"]
        assert again.documents_added == 0 and again.events_added == 0  # type: ignore[attr-defined]
        assert again.documents_skipped == len(TEXT_REPORTS) + len(JSONL_REPORTS)  # type: ignore[attr-defined]
    assert row_counts(stores["dask_db"]) == row_counts(stores["local_db"])  # type: ignore[arg-type]


def test_parts_are_parquet_partitioned_by_month(stores: dict[str, object]) -> None:
    dask_db = stores["dask_db"]
    with duckdb.connect(str(dask_db), read_only=True) as con:
        published = dict(con.execute("SELECT id, published FROM documents").fetchall())
    parts = Path(f"{dask_db}.parts")
    months = {path.name for path in parts.iterdir()}
    assert months == {f"month={publication_month(value)}" for value in published.values()}
    rows = pq.read_table(parts).to_pylist()  # Hive-partitioned: the month comes back as a column
    assert sorted(row["doc_id"] for row in rows) == sorted(published)
    for row in rows:
        result = json.loads(row["result"])
        assert result["schema"] == "eventcoder/1" and result["document"]["id"] == row["doc_id"]
        assert str(row["month"]) == publication_month(result["document"]["published"])


@pytest.mark.parametrize(("value", "month"), [
    ("2023-04-11", "2023-04"), ("2023-04", "2023-04"), ("2023", "unknown"), (None, "unknown"),
])
def test_publication_month(value: str | None, month: str) -> None:
    assert publication_month(value) == month


class FailedFuture:
    """Stands in for a Dask future whose task raised on the worker."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def result(self) -> object:
        raise self.error


def test_a_crashed_partition_stops_the_run_with_one_domain_error() -> None:
    with pytest.raises(ProcessingError, match=r"PermissionError: .*parts"):
        _outcome(FailedFuture(PermissionError("cannot write /shared/parts")))
    with pytest.raises(ConfigError):  # domain errors pass through as they are
        _outcome(FailedFuture(ConfigError("bad setting")))
