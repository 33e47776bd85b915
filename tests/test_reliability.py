"""Crash safety and bad inputs through the real CLI (subprocesses, real DuckDB files).

(a) an ingest killed with SIGKILL midway and run again gives the store a
    clean run gives; (b) bad files among good ones are reported one line each,
    recorded, and cleared once fixed; (c) bad arguments exit 2 with one line.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from eventcoder.api import ingest

PYTHON = sys.executable
CLI = [PYTHON, "-m", "eventcoder.cli"]
# Small store transactions, so that a kill lands between committed batches.
ENV = {**os.environ, "EVENTCODER_STORE_BATCH_SIZE": "4", "EVENTCODER_BATCH_SIZE": "4"}
# `eventcoder ingest DIR --db FILE --published DAY`, with Settings read from the environment.
INGEST_WITH_ENV_SETTINGS = [PYTHON, "-c", (
    "import sys\n"
    "from eventcoder.api import ingest\n"
    "from eventcoder.config import Settings\n"
    "ingest([sys.argv[1]], sys.argv[2], published=sys.argv[3], settings=Settings.from_env())\n"
)]

ACTORS = ["Police", "Soldiers", "Rebel fighters", "Protesters", "The interior ministry", "Border guards"]
ACTIONS = ["arrested six activists", "attacked a checkpoint", "blocked the main road", "detained two journalists",
           "clashed with residents", "seized weapons"]
PLACES = ["Khartoum", "Bamako", "Quito", "Manila", "Tbilisi", "Harare", "Beirut"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def news_reports(count: int) -> list[str]:
    """Distinct short reports built from varied actors, actions, places and days."""
    combos = itertools.product(ACTORS, ACTIONS, PLACES, DAYS)
    reports = []
    for index, (actor, action, place, day) in enumerate(itertools.islice(combos, 0, count * 31, 31)):
        reports.append(f"{actor} {action} in {place} on {day}, officials said. "
                       f"A spokesman said {index + 2} people were hurt and an inquiry would follow.")
    return reports


def run_cli(*args: str, check_codes: tuple[int, ...] = (0,), timeout: float = 240) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, env=ENV, timeout=timeout)
    assert done.returncode in check_codes, f"exit {done.returncode}: {done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done


def store_state(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        def scalar(sql: str) -> int:
            return con.execute(sql).fetchone()[0]  # type: ignore[index,no-any-return]
        return {
            "documents": scalar("SELECT count(*) FROM documents"),
            "distinct_documents": scalar("SELECT count(DISTINCT id) FROM documents"),
            "events": scalar("SELECT count(*) FROM events"),
            "distinct_events": scalar("SELECT count(DISTINCT id) FROM events"),
            "actor_mentions": scalar("SELECT count(*) FROM actor_mentions"),
            "document_ids": frozenset(row[0] for row in con.execute("SELECT id FROM documents").fetchall()),
            "event_keys": frozenset(con.execute(
                "SELECT document_id, type, trigger_start, trigger_end FROM events").fetchall()),
            "orphan_events": scalar("SELECT count(*) FROM events WHERE document_id NOT IN (SELECT id FROM documents)"),
        }


# -- (a) kill and resume ---------------------------------------------------------


@pytest.fixture(scope="module")
def forty_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("forty")
    for index, text in enumerate(news_reports(40)):
        (root / f"report-{index:02d}.txt").write_text(text + "\n", encoding="utf-8")
    return root


def wal_size(db: Path) -> int:
    wal = Path(f"{db}.wal")
    return wal.stat().st_size if wal.exists() else 0


def test_killed_ingest_resumes_to_the_clean_store(forty_docs: Path, tmp_path: Path) -> None:
    killed_db, clean_db = tmp_path / "killed.duckdb", tmp_path / "clean.duckdb"
    process = subprocess.Popen([*INGEST_WITH_ENV_SETTINGS, str(forty_docs), str(killed_db), "2024-02-02"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    # The writer holds DuckDB's file lock, so watch its write-ahead log instead:
    # once it grows past the schema's first commit, document batches are committed.
    deadline = time.monotonic() + 180
    first = 0
    while time.monotonic() < deadline and process.poll() is None:
        size = wal_size(killed_db)
        if size and not first:
            first = size
        elif first and size > first:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the ingest finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.stderr is not None
    process.stderr.close()
    interrupted = store_state(killed_db)["documents"]
    assert 0 < interrupted < 40, f"the kill should land midway, found {interrupted} documents stored"  # type: ignore[operator]

    run_cli("ingest", str(forty_docs), "--db", str(killed_db), "--published", "2024-02-02")
    ingest([forty_docs], clean_db, published="2024-02-02")

    resumed, clean = store_state(killed_db), store_state(clean_db)
    assert clean["documents"] == 40
    assert resumed == clean
    assert resumed["documents"] == resumed["distinct_documents"]
    assert resumed["events"] == resumed["distinct_events"]
    assert resumed["orphan_events"] == 0


# -- (b) bad inputs among good ones ---------------------------------------------------


GOOD_TEXTS = {
    "good-1.txt": "Police in Nairobi arrested a former minister on Monday on corruption charges, prosecutors said.",
    "good-2.txt": "Japan and South Korea agreed on Friday to resume regular security talks, officials in Tokyo said.",
}
GOOD_RECORDS = [
    {"id": "g1", "published": "2024-03-01", "text": "Rebels shelled the town of Kidal on Thursday, the army said."},
    {"id": "g2", "published": "2024-03-02", "text": "Farmers blocked roads in Brussels on Friday against new rules."},
]


def write_mixed_corpus(root: Path) -> dict[str, str]:
    """Good files and bad ones; returns the expected failing origin (substring) per bad input."""
    for name, text in GOOD_TEXTS.items():
        (root / name).write_text(text + "\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    # Bytes that are neither UTF-8 nor Windows-1252 (0x81, 0x8d, 0x90 are undefined there).
    (root / "garbled.txt").write_bytes(b"Police said \x81\x8d\x90\xc3\x28 that the\xff\xfe road was closed.\n")
    lines = [json.dumps(GOOD_RECORDS[0]), "{not json at all", json.dumps({"id": "no-text", "title": "x"}),
             json.dumps(GOOD_RECORDS[1]), json.dumps({"id": "wrong-type", "text": 42})]
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"empty.txt": "empty.txt", "image.txt": "image.txt", "garbled.txt": "garbled.txt",
            "wire.jsonl:2": "wire.jsonl:2", "wire.jsonl:3": "wire.jsonl:3", "wire.jsonl:5": "wire.jsonl:5"}


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("eventcoder: [E")]


def test_bad_inputs_are_reported_recorded_and_cleared_when_fixed(tmp_path: Path) -> None:
    root = tmp_path / "mixed"
    root.mkdir()
    bad = write_mixed_corpus(root)
    db = tmp_path / "mixed.duckdb"

    done = run_cli("ingest", str(root), "--db", str(db), check_codes=(3,))
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["documents_added"] == len(GOOD_TEXTS) + len(GOOD_RECORDS)
    assert report["failed"] == len(bad)
    lines = error_lines(done.stderr)
    assert len(lines) == len(bad), done.stderr
    for origin in bad.values():
        assert sum(f"{origin}:" in line or f"{origin} " in line for line in lines) == 1, (origin, lines)

    listed = run_cli("errors", "--db", str(db)).stdout.splitlines()
    assert len(listed) == len(bad)
    assert all(any(origin in line for line in listed) for origin in bad.values())

    (root / "empty.txt").write_text("Soldiers closed the border crossing near Rafah on Sunday, witnesses said.\n",
                                    encoding="utf-8")
    again = run_cli("ingest", str(root), "--db", str(db), check_codes=(3,))
    assert json.loads(again.stdout.strip().splitlines()[-1])["documents_added"] == 1
    listed = run_cli("errors", "--db", str(db)).stdout.splitlines()
    assert len(listed) == len(bad) - 1
    assert not any("empty.txt" in line for line in listed)
    assert store_state(db)["documents"] == len(GOOD_TEXTS) + len(GOOD_RECORDS) + 1


# -- (c) bad arguments ---------------------------------------------------------------


def one_line_exit_2(*args: str) -> str:
    done = run_cli(*args, check_codes=(2,))
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("eventcoder: ")
    return lines[0]


def test_missing_file_exits_2_with_one_line(tmp_path: Path) -> None:
    line = one_line_exit_2("extract", str(tmp_path / "nowhere.txt"))
    assert "nowhere.txt" in line


def test_directory_without_supported_files_exits_2(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    line = one_line_exit_2("extract", str(tmp_path))
    assert str(tmp_path) in line


def test_invalid_published_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Police arrested two men in Lagos on Monday.\n", encoding="utf-8")
    for command in ("extract", "ingest"):
        extra = ["--db", str(tmp_path / "x.duckdb")] if command == "ingest" else []
        line = one_line_exit_2(command, str(tmp_path / "a.txt"), *extra, "--published", "31/12/2023")
        assert "31/12/2023" in line
    assert not (tmp_path / "x.duckdb").exists()
