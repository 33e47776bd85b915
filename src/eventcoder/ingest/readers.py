"""Readers: turn paths (files, directories, ``-`` for stdin) into ``RawDocument``s.

Nothing here raises for a bad document: every problem becomes an
``InputFailure`` carrying the right ``InputError`` subclass, and the good
documents around it go on. Formats: plain text (``.txt``, ``.text``, ``.md``,
no extension), HTML (``.html``/``.htm`` or sniffed), JSONL (``.jsonl``,
``.ndjson``: one record per line).

Decoding, in order: a byte-order mark (UTF-8/16/32) decides; else strict
UTF-8; else, when the bytes are valid Windows-1252 (a superset of Latin-1's
printable range, the usual encoding of legacy Western pages), that, noted in
``RawDocument.encoding``; else an ``EncodingInputError``.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ..config import Settings
from ..errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingInputError,
    InputError,
    InputNotFoundError,
    MalformedRecordError,
    NoSupportedFilesError,
    TooLargeInputError,
    UnreadableInputError,
)
from ..model import RawDocument

Format = Literal["text", "html", "jsonl"]
InputFormat = Literal["auto", "text", "html", "jsonl"]

STDIN = "-"
STDIN_ORIGIN = "<stdin>"

EXTENSION_FORMATS: dict[str, Format] = {
    ".txt": "text", ".text": "text", ".md": "text", "": "text",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}

# Leading bytes of common binary formats that are never articles.
BINARY_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "PNG image", b"\xff\xd8\xff": "JPEG image", b"GIF87a": "GIF image",
    b"GIF89a": "GIF image", b"\x1f\x8b": "gzip archive", b"%PDF-": "PDF document",
    b"PK\x03\x04": "ZIP archive (or docx/xlsx)", b"BZh": "bzip2 archive", b"\xfd7zXZ\x00": "xz archive",
    b"7z\xbc\xaf\x27\x1c": "7z archive", b"\x7fELF": "executable", b"\xd0\xcf\x11\xe0": "MS Office document",
}

# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

HTML_SNIFF = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                        re.IGNORECASE | re.DOTALL)

JSONL_STRING_FIELDS = ("title", "published", "source", "url")


@dataclass(frozen=True)
class InputFailure:
    """A document that could not be read: where it came from and why."""

    origin: str
    error: InputError


Item = RawDocument | InputFailure


def iter_inputs(
    paths: Sequence[str | Path], settings: Settings | None = None, *, input_format: InputFormat = "auto",
) -> Iterator[Item]:
    """Every document under ``paths`` in order, or an ``InputFailure`` in its place.

    Directories are walked recursively in sorted order (hidden entries and
    unsupported extensions skipped); ``-`` reads stdin. ``input_format``
    forces a format instead of the extension/sniffing.
    """
    settings = settings or Settings()
    for path in paths:
        if str(path) == STDIN:
            yield from _read_stream(sys.stdin.buffer, STDIN_ORIGIN, settings, input_format)
        elif Path(path).is_dir():
            yield from _read_directory(Path(path), settings, input_format)
        else:
            yield from _read_file(Path(path), settings, input_format)


def _read_directory(directory: Path, settings: Settings, input_format: InputFormat) -> Iterator[Item]:
    found = False
    for file in _walk_supported(directory, set()):
        found = True
        yield from _read_file(file, settings, input_format)
    if not found:
        supported = ", ".join(sorted(ext for ext in EXTENSION_FORMATS if ext))
        yield _failure(NoSupportedFilesError(
            "directory has no supported input files", where=str(directory),
            hint=f"add files ending in {supported} (or without extension), or pass the files directly"))


def _walk_supported(directory: Path, seen: set[str]) -> Iterator[Path]:
    """Supported files under ``directory``, sorted, hidden skipped, symlink loops cut."""
    real = os.path.realpath(directory)
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(directory.iterdir(), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk_supported(entry, seen)
        elif entry.suffix.lower() in EXTENSION_FORMATS:
            yield entry


def _read_file(path: Path, settings: Settings, input_format: InputFormat) -> Iterator[Item]:
    origin = str(path)
    try:
        with path.open("rb") as handle:
            yield from _read_stream(handle, origin, settings, input_format, extension=path.suffix.lower())
    except FileNotFoundError:
        yield _failure(_not_found(path))
    except IsADirectoryError:
        yield _failure(UnreadableInputError("is a directory, not a file", where=origin,
                                            hint="pass the directory itself to read the files inside it"))
    except PermissionError:
        yield _failure(UnreadableInputError("permission denied", where=origin,
                                            hint="make the file readable (chmod a+r) or skip it"))
    except OSError as error:
        yield _failure(UnreadableInputError(f"cannot read ({error.strerror or error})", where=origin,
                                            hint="check the path (symlink loop, device, network mount)"))


def _not_found(path: Path) -> InputNotFoundError:
    if path.is_symlink():
        return InputNotFoundError("symbolic link points to nothing", where=str(path), hint="fix or remove the link")
    return InputNotFoundError("no such file or directory", where=str(path), hint="check the path and spelling")


def _read_stream(
    handle: BinaryIO, origin: str, settings: Settings, input_format: InputFormat, extension: str | None = None,
) -> Iterator[Item]:
    limit = settings.max_input_bytes
    data = handle.read(limit + 1)  # never more than the limit: a huge file is refused unread
    if len(data) > limit:
        yield _failure(TooLargeInputError(
            f"input is larger than the limit of {limit:,} bytes", where=origin,
            hint="split it, or raise EVENTCODER_MAX_INPUT_BYTES"))
        return
    try:
        text, encoding = decode_bytes(data, origin)
    except InputError as error:
        yield _failure(error)
        return
    fmt = _choose_format(text, extension, input_format)
    if fmt == "jsonl":
        # JSON lines are UTF-8 by definition: a bad line fails alone rather than the file turning cp1252
        yield from _read_jsonl(data if encoding in ("utf-8", "cp1252") else text.encode("utf-8"), origin)
    else:
        yield RawDocument(content=text, origin=origin, format=fmt, doc_id=_sha256(data), encoding=encoding)


def _choose_format(text: str, extension: str | None, input_format: InputFormat) -> Format:
    """The forced format, else the extension's, else sniffed (HTML markup; a JSON object on stdin)."""
    if input_format != "auto":
        return input_format
    by_extension = EXTENSION_FORMATS.get(extension or "")
    if by_extension in ("html", "jsonl"):
        return by_extension
    if HTML_SNIFF.match(text[:4096]):
        return "html"  # e.g. a saved page without an .html extension
    if extension is None and text.lstrip().startswith("{"):
        return "jsonl"  # stdin: a JSON object first means JSON lines
    return "text"


def decode_bytes(data: bytes, where: str) -> tuple[str, str]:
    """The text of ``data`` and the encoding used; raises for empty, binary or undecodable bytes."""
    if not data:
        raise EmptyInputError("input is empty (0 bytes)", where=where, hint="remove it or re-download it")
    text, encoding = _decode_with_bom(data) or _decode_without_bom(data, where)
    if not text.strip():
        raise EmptyInputError("input contains only whitespace", where=where, hint="remove it or re-download it")
    if _control_share(text) > 0.05:
        raise BinaryInputError("input looks binary (many control characters)", where=where,
                               hint="convert it to text, HTML or JSONL first")
    return text, encoding


def _decode_with_bom(data: bytes) -> tuple[str, str] | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding.removesuffix("-sig")
            except UnicodeDecodeError:
                return None
    return None


def _decode_without_bom(data: bytes, where: str) -> tuple[str, str]:
    for magic, kind in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise BinaryInputError(f"input is a {kind}, not text", where=where,
                                   hint="extract the article text first (or skip this file)")
    if b"\x00" in data[:65536]:
        raise BinaryInputError("input contains NUL bytes (binary, or UTF-16 without a byte-order mark)",
                               where=where, hint="convert it to UTF-8 text first")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise EncodingInputError(
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
            "nor Windows-1252", where=where, hint="re-encode the file as UTF-8 (e.g. iconv -t UTF-8)") from None


def _control_share(text: str) -> float:
    sample = text[:65536]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\t\n\r\f\v")
    return controls / len(sample)


def _read_jsonl(data: bytes, origin: str) -> Iterator[Item]:
    seen_content = False
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        seen_content = True
        yield _jsonl_record(line, f"{origin}:{number}")
    if not seen_content:
        yield _failure(EmptyInputError("JSONL input has no records", where=origin, hint="remove it or re-export it"))


def _jsonl_record(line: bytes, where: str) -> Item:
    try:
        record = _parse_record(line, where)
        text, fmt = _record_text(record, where)
        title, published, source, url = (_optional_string(record, name, where) for name in JSONL_STRING_FIELDS)
        return RawDocument(content=text, origin=where, format=fmt, doc_id=_sha256(line),
                           input_id=_record_id(record, where), title=title, published=published,
                           source=source, url=url)
    except InputError as error:
        return _failure(error)


def _parse_record(line: bytes, where: str) -> dict[str, Any]:
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise EncodingInputError(f"line is not valid UTF-8 (offset {error.start})", where=where,
                                 hint="re-export the file as UTF-8") from None
    except json.JSONDecodeError as error:
        raise MalformedRecordError(f"not valid JSON ({error.msg} at column {error.colno})", where=where,
                                   hint="fix or remove this line; one JSON object per line") from None
    if not isinstance(record, dict):
        raise MalformedRecordError(f"expected a JSON object, got {type(record).__name__}", where=where,
                                   hint='write one {"id", "title", "text", ...} object per line')
    return record


def _record_text(record: dict[str, Any], where: str) -> tuple[str, Format]:
    for field_name, fmt in (("text", "text"), ("html", "html")):
        value = record.get(field_name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise MalformedRecordError(f'field "{field_name}" must be a string, got {type(value).__name__}',
                                       where=where, hint="store the article body as one string")
        if not value.strip():
            raise EmptyInputError(f'field "{field_name}" is empty', where=where, hint="drop the record or fill it")
        return value, fmt  # type: ignore[return-value]
    raise MalformedRecordError('record has no "text" (or "html") field', where=where,
                               hint='add the article body as "text"')


def _optional_string(record: dict[str, Any], name: str, where: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    raise MalformedRecordError(f'field "{name}" must be a string or null, got {type(value).__name__}',
                               where=where, hint="fix the field's type")


def _record_id(record: dict[str, Any], where: str) -> str | None:
    value = record.get("id")
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise MalformedRecordError(f'field "id" must be a string or integer, got {type(value).__name__}',
                               where=where, hint="fix the field's type")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _failure(error: InputError) -> InputFailure:
    return InputFailure(origin=error.where or "", error=error)
