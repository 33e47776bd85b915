"""The ``Store`` protocol: what the pipeline, the CLI and the API need from a
database of extraction results. ``DuckDBStore`` is one implementation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class AddStats:
    """What one ``add_results`` call wrote."""

    documents_added: int = 0
    documents_skipped: int = 0  # already stored (idempotent re-ingest) or repeated in the input
    events_added: int = 0
    reports_merged: int = 0  # events that joined a story reported by another document

    def __add__(self, other: AddStats) -> AddStats:
        return AddStats(
            self.documents_added + other.documents_added,
            self.documents_skipped + other.documents_skipped,
            self.events_added + other.events_added,
            self.reports_merged + other.reports_merged,
        )


@runtime_checkable
class Store(Protocol):
    """A database of OUTPUT.md result dicts, their errors and their stories."""

    def add_results(self, results: Iterable[dict[str, Any]]) -> AddStats:
        """Store results (``ExtractionResult.to_dict()``); documents already stored are skipped."""
        ...

    def has_document(self, doc_id: str) -> bool: ...

    def document_ids(self) -> set[str]: ...

    def record_error(self, origin: str, code: str, reason: str, message: str) -> None:
        """Record (or count one more attempt of) a failing input, keyed by its origin."""
        ...

    def errors(self, pending_only: bool = True) -> list[dict[str, Any]]: ...

    def resolve_error(self, origin: str) -> None:
        """Mark a failing input as resolved (a retry succeeded)."""
        ...

    def close(self) -> None: ...
