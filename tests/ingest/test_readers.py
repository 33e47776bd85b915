"""Readers: formats, directories, stdin, and one clear failure per bad document."""

from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from pathlib import Path

import pytest

from eventcoder.config import Settings
from eventcoder.errors import (
    EmptyInputError,
    InputNotFoundError,
    NoSupportedFilesError,
    TooLargeInputError,
    UnreadableInputError,
)
from eventcoder.ingest import InputFailure, iter_inputs
from eventcoder.model import RawDocument


def documents(items: list[RawDocument | InputFailure]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


def failures(items: list[RawDocument | InputFailure]) -> list[InputFailure]:
    return [item for item in items if isinstance(item, InputFailure)]


def test_text_file_is_read_with_sha256_id(fixtures: Path) -> None:
    path = fixtures / "wire_dateline.txt"
    [document] = list(iter_inputs([path]))
    assert isinstance(document, RawDocument)
    assert document.format == "text" and document.encoding == "utf-8"
    assert document.doc_id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert document.origin == str(path) and document.input_id is None


def test_html_by_extension_and_by_sniffing(tmp_path: Path, fixtures: Path) -> None:
    saved = tmp_path / "saved_page"
    saved.write_bytes((fixtures / "page_scripts.html").read_bytes())
    items = list(iter_inputs([fixtures / "page_scripts.html", saved]))
    assert [item.format for item in documents(items)] == ["html", "html"]


def test_jsonl_records_keep_their_id_line_origin_and_fields(fixtures: Path) -> None:
    path = fixtures / "records.jsonl"
    items = documents(list(iter_inputs([path])))
    assert [item.input_id for item in items] == ["wire-001", "42", "wire-003"]
    assert [item.origin for item in items] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    assert [item.format for item in items] == ["text", "html", "text"]
    first_line = path.read_bytes().splitlines()[0]
    assert items[0].doc_id == hashlib.sha256(first_line).hexdigest()
    assert (items[0].title, items[0].published, items[0].source) == (
        "Troops withdraw from border town", "2021-05-10", "Example Wire")


def test_directory_is_walked_sorted_skipping_hidden_and_unsupported(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second article body.")
    (tmp_path / "a.md").write_text("First article body.")
    (tmp_path / ".hidden.txt").write_text("Hidden.")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    items = list(iter_inputs([tmp_path]))
    assert [Path(item.origin).name for item in items] == ["a.md", "two.txt"]


def test_directory_without_supported_files_is_one_failure(tmp_path: Path) -> None:
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    [failure] = list(iter_inputs([tmp_path]))
    assert isinstance(failure, InputFailure) and isinstance(failure.error, NoSupportedFilesError)
    assert str(tmp_path) in str(failure.error) and ".txt" in str(failure.error)


def test_missing_file_says_what_where_and_what_to_do(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    [failure] = list(iter_inputs([missing]))
    assert isinstance(failure, InputFailure) and isinstance(failure.error, InputNotFoundError)
    message = str(failure.error)
    assert message.startswith("[E201]") and str(missing) in message and "check the path" in message
    assert failure.origin == str(missing)


def test_the_good_inputs_around_a_failure_go_on(tmp_path: Path, fixtures: Path) -> None:
    items = list(iter_inputs([fixtures / "wire_dateline.txt", tmp_path / "missing.txt", fixtures / "blog_tags.txt"]))
    assert [type(item).__name__ for item in items] == ["RawDocument", "InputFailure", "RawDocument"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Text.")
    path.chmod(0)
    [failure] = list(iter_inputs([path]))
    assert isinstance(failure, InputFailure) and isinstance(failure.error, UnreadableInputError)
    assert "permission" in str(failure.error)


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(4 * 1024**3)  # sparse: 4 GiB that read whole would exhaust memory and time
    started = time.monotonic()
    [failure] = list(iter_inputs([path], Settings(max_input_bytes=1_000_000)))
    assert isinstance(failure, InputFailure) and isinstance(failure.error, TooLargeInputError)
    assert "1,000,000 bytes" in str(failure.error)
    assert time.monotonic() - started < 5


def test_stdin_text_and_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Troops crossed the border on Monday.\n")))
    [document] = list(iter_inputs(["-"]))
    assert isinstance(document, RawDocument) and document.origin == "<stdin>" and document.format == "text"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"id": "s1", "text": "A"}\n{"text": ""}\n')))
    items = list(iter_inputs(["-"]))
    assert isinstance(items[0], RawDocument) and items[0].input_id == "s1" and items[0].origin == "<stdin>:1"
    assert isinstance(items[1], InputFailure) and isinstance(items[1].error, EmptyInputError)


def test_forced_input_format(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<html><body><p>Markup shown as text.</p></body></html>")
    [sniffed] = documents(list(iter_inputs([path])))
    [forced] = documents(list(iter_inputs([path], input_format="text")))
    assert (sniffed.format, forced.format) == ("html", "text")
