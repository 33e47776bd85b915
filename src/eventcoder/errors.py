"""One exception tree, rooted in ``EventcoderError``.

Every error carries a stable ``code`` (also the ``reason`` stored in the
``errors`` table) and a message that says what went wrong, where, and what to
do. The CLI prints ``str(error)`` as one line; tracebacks only with ``--debug``.
"""

from __future__ import annotations


class EventcoderError(Exception):
    """Root of every error eventcoder raises on purpose."""

    code = "E000"
    reason = "error"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.hint:
            parts.append(self.hint)
        return f"[{self.code}] " + " — ".join(parts)


class ConfigError(EventcoderError):
    """A setting, argument or data file that cannot be used."""

    code = "E100"
    reason = "config"


class ModelNotFoundError(ConfigError):
    code = "E101"
    reason = "model_missing"


class DataFileError(ConfigError):
    """A lexicon, registry or mapping file that is missing or malformed."""

    code = "E102"
    reason = "data_file"


class InputError(EventcoderError):
    """An input document that cannot be read or used; the batch goes on without it."""

    code = "E200"
    reason = "input"


class InputNotFoundError(InputError):
    code = "E201"
    reason = "not_found"


class UnreadableInputError(InputError):
    code = "E202"
    reason = "unreadable"


class EmptyInputError(InputError):
    code = "E203"
    reason = "empty"


class BinaryInputError(InputError):
    code = "E204"
    reason = "binary"


class EncodingInputError(InputError):
    code = "E205"
    reason = "encoding"


class TooLargeInputError(InputError):
    code = "E206"
    reason = "too_large"


class MalformedRecordError(InputError):
    """A JSONL line that is not a JSON object with a usable text."""

    code = "E207"
    reason = "malformed_record"


class NoSupportedFilesError(InputError):
    code = "E208"
    reason = "no_supported_files"


class ProcessingError(EventcoderError):
    """The pipeline failed on one document."""

    code = "E300"
    reason = "processing"


class ProcessingTimeoutError(ProcessingError):
    code = "E301"
    reason = "timeout"


class StoreError(EventcoderError):
    """The database could not be opened, read or written."""

    code = "E400"
    reason = "store"


class SchemaVersionError(StoreError):
    code = "E401"
    reason = "schema_version"


class QueryError(StoreError):
    """A query parameter that cannot be used (bad date, unknown field)."""

    code = "E402"
    reason = "query"
