"""eventcoder's Python API; the CLI is a thin layer over these functions.

    >>> import eventcoder
    >>> result = eventcoder.extract("On 3 May 2021 police arrested two protesters in Lagos.",
    ...                             published="2021-05-04")
    >>> [event.type for event in result.events]
    ['COERCE']
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ConfigError, EventcoderError, InputError
from .ingest.clean import clean_article
from .ingest.readers import InputFailure, iter_inputs
from .model import Article, ExtractionResult, RawDocument
from .pipeline import DocumentFailure, Pipeline


def validate_published(published: str | None) -> str | None:
    """``YYYY-MM-DD`` or None; anything else is a ConfigError (exit 2 in the CLI)."""
    if published is None or published == "":
        return None
    try:
        return date.fromisoformat(published).isoformat()
    except ValueError:
        raise ConfigError(f"invalid --published {published!r}", hint="give a date as YYYY-MM-DD") from None


def extract(text: str, published: str | None = None, *, title: str | None = None,
            settings: Settings | None = None) -> ExtractionResult:
    """Code the events of one text (cleaned like a scraped page)."""
    raw = RawDocument(content=text, origin="<text>", format="text",
                      doc_id=hashlib.sha256(text.encode("utf-8")).hexdigest(), title=title)
    settings = settings or Settings.from_env()
    article = clean_article(raw, published=validate_published(published), settings=settings)
    return Pipeline(settings).extract(article)


Coded = ExtractionResult | InputFailure | DocumentFailure


def extract_paths(paths: Sequence[str | Path], published: str | None = None, *,
                  settings: Settings | None = None, input_format: str = "auto") -> Iterator[Coded]:
    """Code every document of the given files/directories (batched through
    ``nlp.pipe``); bad inputs come back as failures and the rest go on."""
    settings = settings or Settings.from_env()
    published = validate_published(published)
    items = iter_inputs(paths, settings, input_format=input_format)  # type: ignore[arg-type]
    yield from Pipeline(settings).process(_articles(items, published, settings, known=set()))


def _articles(items: Iterable[RawDocument | InputFailure], published: str | None, settings: Settings,
              known: set[str], on_skip: Callable[[RawDocument], None] | None = None,
              ) -> Iterator[Article | InputFailure]:
    for item in items:
        if isinstance(item, InputFailure):
            yield item
            continue
        if item.doc_id in known:
            if on_skip is not None:
                on_skip(item)
            continue
        try:
            yield clean_article(item, published=published, settings=settings)
        except InputError as error:
            yield InputFailure(item.origin, error)


@dataclass
class IngestReport:
    documents_seen: int = 0
    documents_added: int = 0
    documents_skipped: int = 0  # already in the store
    events_added: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (origin, message)

    def to_dict(self) -> dict[str, Any]:
        return {"documents_seen": self.documents_seen, "documents_added": self.documents_added,
                "documents_skipped": self.documents_skipped, "events_added": self.events_added,
                "failed": len(self.failures)}


def ingest(paths: Sequence[str | Path], db: str | Path, *, published: str | None = None,
           settings: Settings | None = None, progress: Callable[[int], None] | None = None) -> IngestReport:
    """Read, code and store documents; resumable and idempotent: documents
    already stored are skipped, failures are recorded in the store's
    ``errors`` table and cleared when a retry succeeds."""
    from .store.duckdb_store import DuckDBStore

    settings = settings or Settings.from_env()
    published = validate_published(published)
    report = IngestReport()
    with DuckDBStore.open(db, settings=settings) as store:
        known = store.document_ids()
        pipeline = Pipeline(settings)
        batch: list[dict[str, Any]] = []
        origins: dict[str, str] = {}
        def skipped(raw: RawDocument) -> None:
            report.documents_skipped += 1
            store.resolve_error(raw.origin)

        articles = _articles(iter_inputs(paths, settings), published, settings, known, skipped)
        for result in pipeline.process(_remember_origins(articles, origins)):
            report.documents_seen += 1
            if progress is not None:
                progress(1)
            if isinstance(result, InputFailure):
                _record(store, report, result.origin, result.error)
            elif isinstance(result, DocumentFailure):
                _record(store, report, result.article.origin or result.article.id, result.error)
            else:
                batch.append(result.to_dict())
            if len(batch) >= settings.store_batch_size:
                _flush(store, batch, origins, report)
                batch = []
        _flush(store, batch, origins, report)
    return report


def _remember_origins(items: Iterable[Article | InputFailure],
                      origins: dict[str, str]) -> Iterator[Article | InputFailure]:
    for item in items:
        if isinstance(item, Article):
            origins[item.id] = item.origin or item.id
        yield item


def _record(store: Any, report: IngestReport, origin: str, error: EventcoderError) -> None:
    store.record_error(origin, error.code, error.reason, str(error))
    report.failures.append((origin, str(error)))


def _flush(store: Any, batch: list[dict[str, Any]], origins: dict[str, str], report: IngestReport) -> None:
    if not batch:
        return
    stats = store.add_results(batch)
    report.documents_added += stats.documents_added
    report.documents_skipped += stats.documents_skipped
    report.events_added += stats.events_added
    for result in batch:
        store.resolve_error(origins.get(result["document"]["id"], result["document"]["id"]))

