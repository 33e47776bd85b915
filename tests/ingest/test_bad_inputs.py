"""The generated bad-input corpus: every case gives one clear failure or an article; nothing is lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventcoder.config import Settings
from eventcoder.ingest import InputFailure, iter_articles, iter_inputs
from eventcoder.model import Article

from .badinputs import SIZE_LIMIT, BadInput, write_bad_inputs

SETTINGS = Settings(max_input_bytes=SIZE_LIMIT)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[BadInput]]:
    directory = tmp_path_factory.mktemp("bad")
    return directory, write_bad_inputs(directory)


@pytest.fixture(scope="module")
def results(corpus: tuple[Path, list[BadInput]]) -> dict[str, Article | InputFailure]:
    directory, _ = corpus
    items = list(iter_articles(iter_inputs([directory], SETTINGS), settings=SETTINGS))
    return {str(Path(item.origin or "").relative_to(directory)): item for item in items}


def test_every_case_is_accounted_for_in_order(corpus: tuple[Path, list[BadInput]], results: dict) -> None:
    _, cases = corpus
    assert list(results) == [case.name for case in cases]  # nothing lost, nothing extra, input order


def test_each_bad_case_is_one_failure_of_the_right_kind(corpus: tuple[Path, list[BadInput]], results: dict) -> None:
    _, cases = corpus
    for case in cases:
        result = results[case.name]
        if case.expected is None:
            assert isinstance(result, Article), f"{case.name} ({case.note}): {result}"
            assert result.text.strip()
        else:
            assert isinstance(result, InputFailure), f"{case.name} ({case.note}) was not refused"
            assert type(result.error) is case.expected, f"{case.name}: {result.error!r}"


def test_failure_messages_say_what_where_and_what_to_do(corpus: tuple[Path, list[BadInput]], results: dict) -> None:
    directory, _ = corpus
    for name, result in results.items():
        if isinstance(result, InputFailure):
            message = str(result.error)
            assert re.match(r"^\[E2\d\d\] ", message) and "\n" not in message
            assert f"{directory / name}:" in message, message  # where: the path (and line for JSONL)
            assert " — " in message, message  # what to do
            assert result.error.reason and result.error.reason != "input"


def test_decoded_encodings_are_recorded_and_correct(results: dict) -> None:
    latin = results["latin1.txt"]
    assert latin.text.startswith("Bogotá: La policía")
    assert results["utf16-bom.txt"].text == results["duplicate-a.txt"].text
    assert results["utf8-bom.txt"].text == results["duplicate-a.txt"].text


def test_duplicates_share_an_id_and_non_english_is_flagged(results: dict) -> None:
    assert results["duplicate-a.txt"].id == results["duplicate-b.txt"].id
    assert results["spanish.txt"].language != "en"
    assert results["duplicate-a.txt"].language == "en"


def test_jsonl_failures_name_their_line(results: dict) -> None:
    assert results["batch.jsonl:1"].input_id == "ok-1"
    assert results["batch.jsonl:11"].input_id == "7"
    assert "batch.jsonl:4" in str(results["batch.jsonl:4"].error)
    assert 'no "text"' in str(results["batch.jsonl:4"].error)


def test_one_megabyte_line_is_one_paragraph(results: dict) -> None:
    article = results["one-mb-line.txt"]
    assert len(article.text) > 900_000 and "\n" not in article.text
