"""The command line on the bundled sample: the contract's shape, cleaning,
idempotent ingest, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from eventcoder.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "samples" / "jcpa-kadhimi-capitulation.txt"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_prints_the_output_contract_with_offsets_that_hold() -> None:
    code, out, _ = invoke("extract", str(PAGE), "--published", "2020-07-01")
    assert code == 0
    data = json.loads(out)
    document = data["document"]
    text = document["text"]
    assert data["schema"] == "eventcoder/1"
    assert document["title"] == "The Capitulation of the Iraqi Prime Minister to Iran"
    assert document["categories"] == ["Iran", "Iraq"]
    assert document["published"] == "2020-07-01" and document["published_source"] == "argument"
    assert "Skip to content" not in text and "(Iraqitweet/Twitter)" not in text
    assert data["events"] and data["actors"] and data["quotes"]
    for event in data["events"]:
        evidence = event["evidence"]
        assert text[evidence["start"]:evidence["end"]] == evidence["text"]
        trigger = evidence["trigger"]
        assert text[trigger["start"]:trigger["end"]] == trigger["text"]
        for mention in event["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    for actor in data["actors"]:
        for mention in actor["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    for quote in data["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"]


def test_ingest_twice_keeps_the_same_rows_and_records_a_broken_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Police arrested two protesters in Nairobi on Monday.", encoding="utf-8")
    (corpus / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    db = str(tmp_path / "events.duckdb")
    first = invoke("ingest", str(corpus), "--db", db, "--no-progress")
    assert first[0] == 3  # one input failed, the rest stored
    assert json.loads(first[1].splitlines()[-1])["documents_added"] == 1
    second = invoke("ingest", str(corpus), "--db", db, "--no-progress")
    report = json.loads(second[1].splitlines()[-1])
    assert report["documents_added"] == 0 and report["documents_skipped"] == 1
    code, out, _ = invoke("errors", "--db", db)
    assert code == 0 and "b.txt" in out


def test_bad_arguments_fail_in_one_line_with_status_2(tmp_path: Path) -> None:
    for args in (("extract", str(tmp_path / "missing.txt")),
                 ("extract", str(PAGE), "--published", "1 July 2020"),
                 ("query", "--db", str(tmp_path / "none.duckdb"))):
        code, _, err = invoke(*args)
        assert code == 2, args
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
