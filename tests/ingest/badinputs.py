"""Generator of a bad-input corpus: the files a crawler's batch really meets.

``write_bad_inputs(directory)`` writes every case and returns what each one
must become: an ``Article`` (``expected is None``) or a failure of the given
``InputError`` subclass. Run it by hand to look at the files:

    python tests/ingest/badinputs.py /tmp/bad
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from eventcoder.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingInputError,
    InputError,
    InputNotFoundError,
    MalformedRecordError,
    TooLargeInputError,
    UnreadableInputError,
)

ARTICLE = (
    "Police in the capital detained 40 demonstrators on Saturday after a march against rising fuel prices "
    "turned violent, the interior ministry said in a statement.\n\n"
    "Organisers said the protest would continue next week.\n"
)
SPANISH = (
    "La policía detuvo el sábado a cuarenta manifestantes en la capital después de que una marcha contra "
    "la subida de los precios del combustible terminara en enfrentamientos, según informó el ministerio "
    "del interior en un comunicado. Los organizadores dijeron que la protesta continuará la próxima semana.\n"
)
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
SIZE_LIMIT = 1_200_000  # the max_input_bytes the tests use with this corpus (above the 1 MB line)


@dataclass(frozen=True)
class BadInput:
    name: str  # file name inside the corpus directory (JSONL: "name:line")
    expected: type[InputError] | None  # None: must become an Article
    note: str


def write_bad_inputs(directory: Path) -> list[BadInput]:
    """Write every case into ``directory``; return the expectations in reading order."""
    directory.mkdir(parents=True, exist_ok=True)
    cases: list[BadInput] = []
    for writer in (_files_with_bad_bytes, _files_that_decode, _size_cases, _html_cases, _odd_names, _links):
        cases.extend(writer(directory))
    cases.extend(_jsonl_cases(directory))
    return sorted(cases, key=lambda case: _sort_key(case.name))


def _sort_key(name: str) -> tuple[str, int]:
    path, _, line = name.partition(":")
    return path, int(line or 0)


def _write(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def _files_with_bad_bytes(directory: Path) -> list[BadInput]:
    _write(directory, "empty.txt", b"")
    _write(directory, "whitespace.txt", b"  \n\t\n\r\n   \n")
    _write(directory, "photo.txt", PNG_HEADER + bytes(range(256)) * 4)
    _write(directory, "saved-page.html", gzip.compress(ARTICLE.encode()))
    _write(directory, "report.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    _write(directory, "nul-bytes.txt", ARTICLE.encode()[:40] + b"\x00\x00\x00" + ARTICLE.encode()[40:])
    # \xc3 opens a UTF-8 sequence that never closes; \x81 is undefined in Windows-1252
    _write(directory, "invalid-utf8.txt", b"Caf\xc3 au lait \x81 costs more this year in the capital.\n")
    return [
        BadInput("empty.txt", EmptyInputError, "0 bytes"),
        BadInput("whitespace.txt", EmptyInputError, "blanks, tabs and CRLF only"),
        BadInput("photo.txt", BinaryInputError, "PNG image with a .txt name"),
        BadInput("saved-page.html", BinaryInputError, "gzip-compressed page saved as .html"),
        BadInput("report.md", BinaryInputError, "PDF with a .md name"),
        BadInput("nul-bytes.txt", BinaryInputError, "text with NUL bytes"),
        BadInput("invalid-utf8.txt", EncodingInputError, "neither UTF-8 nor Windows-1252"),
    ]


def _files_that_decode(directory: Path) -> list[BadInput]:
    _write(directory, "utf16-bom.txt", codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))
    _write(directory, "utf8-bom.txt", codecs.BOM_UTF8 + ARTICLE.encode())
    _write(directory, "latin1.txt", ("Bogotá: " + ARTICLE.replace("Police", "La policía")).encode("latin-1"))
    _write(directory, "spanish.txt", SPANISH.encode())
    _write(directory, "duplicate-a.txt", ARTICLE.encode())
    _write(directory, "duplicate-b.txt", ARTICLE.encode())
    return [
        BadInput("utf16-bom.txt", None, "UTF-16-LE with BOM"),
        BadInput("utf8-bom.txt", None, "UTF-8 with BOM"),
        BadInput("latin1.txt", None, "Latin-1 bytes, read as Windows-1252"),
        BadInput("spanish.txt", None, "non-English: processed, language recorded"),
        BadInput("duplicate-a.txt", None, "same bytes as duplicate-b: same document id"),
        BadInput("duplicate-b.txt", None, "same bytes as duplicate-a"),
    ]


def _size_cases(directory: Path) -> list[BadInput]:
    sentence = "The convoy moved north along the river road before dawn. "
    _write(directory, "over-limit.txt", (sentence * (SIZE_LIMIT // len(sentence) + 2)).encode())
    one_line = (sentence * (1_000_000 // len(sentence))).encode()
    _write(directory, "one-mb-line.txt", one_line)
    return [
        BadInput("one-mb-line.txt", None, "1 MB of prose on one line"),
        BadInput("over-limit.txt", TooLargeInputError, f"just over {SIZE_LIMIT} bytes"),
    ]


def _html_cases(directory: Path) -> list[BadInput]:
    scripts_only = (
        "<!DOCTYPE html><html><head><title>Loading</title><style>body{margin:0}</style>"
        "<script>var config = {\"article\": \"Police detained 40 demonstrators on Saturday.\"};</script></head>"
        "<body><noscript>Please enable JavaScript.</noscript><iframe src=\"https://ads.example.org/\"></iframe>"
        "<script src=\"/app.js\"></script><script>render(config);</script></body></html>"
    )
    _write(directory, "scripts-only.html", scripts_only.encode())
    _write(directory, "no-extension-page", f"<html><body><p>{ARTICLE}</p></body></html>".encode())
    return [
        BadInput("scripts-only.html", EmptyInputError, "scripts, styles, iframes and nothing else"),
        BadInput("no-extension-page", None, "HTML without an extension, sniffed"),
    ]


def _odd_names(directory: Path) -> list[BadInput]:
    names = ["name with spaces.txt", "naïve-ünïcode-名前.txt", "-leading-dash.txt"]
    for name in names:
        _write(directory, name, ARTICLE.encode())
    return [BadInput(name, None, "odd file name") for name in names]


def _links(directory: Path) -> list[BadInput]:
    (directory / "loop").mkdir(exist_ok=True)
    _symlink(directory / "loop" / "back-up", directory)  # directory loop: must not recurse forever
    _symlink(directory / "self-link.txt", directory / "self-link.txt")
    _symlink(directory / "dangling.txt", directory / "no-such-target.txt")
    return [
        BadInput("self-link.txt", UnreadableInputError, "symlink to itself"),
        BadInput("dangling.txt", InputNotFoundError, "symlink to nothing"),
    ]


def _symlink(link: Path, target: Path) -> None:
    if not link.is_symlink():
        os.symlink(target, link)


def _jsonl_cases(directory: Path) -> list[BadInput]:
    good = {"id": "ok-1", "title": "Fuel protest", "text": ARTICLE, "published": "2021-03-06"}
    lines: list[tuple[bytes, type[InputError] | None, str]] = [
        (json.dumps(good).encode(), None, "good record"),
        (b'{"id": "broken", "text": "unterminated', MalformedRecordError, "not JSON"),
        (b'["a", "list"]', MalformedRecordError, "not an object"),
        (json.dumps({"id": "no-text", "title": "Headline only"}).encode(), MalformedRecordError, "no text"),
        (json.dumps({"id": "num", "text": 12345}).encode(), MalformedRecordError, "text is a number"),
        (json.dumps({"id": "blank", "text": "   "}).encode(), EmptyInputError, "text is blank"),
        (json.dumps({"id": "bad-title", "title": ["x"], "text": ARTICLE}).encode(), MalformedRecordError,
         "title is a list"),
        (json.dumps({"id": {"x": 1}, "text": ARTICLE}).encode(), MalformedRecordError, "id is an object"),
        (b'{"id": "latin", "text": "Bogot\xe1 police"}', EncodingInputError, "line not UTF-8"),
        (json.dumps({"id": 7, "html": f"<p>{ARTICLE}</p>"}).encode(), None, "html instead of text, integer id"),
    ]
    _write(directory, "batch.jsonl", b"\n".join(line for line, _, _ in lines[:5]) + b"\n\n"
           + b"\n".join(line for line, _, _ in lines[5:]) + b"\n")
    numbers = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11]  # line 6 is blank: skipped, not a record
    return [BadInput(f"batch.jsonl:{number}", expected, note)
            for number, (_, expected, note) in zip(numbers, lines, strict=True)]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs")
    for case in write_bad_inputs(target):
        print(f"{case.name}\t{case.expected.__name__ if case.expected else 'Article'}\t{case.note}")
