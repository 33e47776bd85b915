"""Throughput of the full pipeline against bare spaCy on the same texts.

``run_benchmark`` reads up to ``limit`` documents, then times, in one run and
after a warm-up that is not counted:

* bare spaCy: the same model, ``nlp.pipe`` over the same cleaned texts with
  the same batch size and ``n_process=workers``;
* eventcoder: the full pipeline (``Pipeline.process``) over the same
  articles, in ``workers`` processes, each result turned into its OUTPUT.md
  dict (what an ingest stores).

The result is one JSON-able dict; ``ratio`` is eventcoder's docs/s over
spaCy's (1.0 would mean eventcoder costs nothing on top of the parse).
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import lru_cache, partial
from itertools import cycle, islice
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import ConfigError, InputError
from .ingest.clean import clean_article
from .ingest.readers import InputFailure, iter_inputs
from .model import Article, ExtractionResult
from .pipeline import Pipeline, bare_nlp

#: The bundled sample corpus of a source checkout (``samples/`` at the repository root).
BUNDLED_SAMPLES = Path(__file__).resolve().parents[2] / "samples"
#: Documents run (and discarded) before timing, so model loading and lazy caches are not counted.
WARMUP_DOCS = 4


def run_benchmark(corpus: str | Path | None = None, *, limit: int = 200, workers: int = 1,
                  settings: Settings | None = None) -> dict[str, Any]:
    """Docs/s of bare spaCy and of eventcoder on the same ``limit`` documents of ``corpus``.

    With ``workers > 1`` the eventcoder pass also runs on one worker and
    ``speedup_vs_1`` is the ratio of the two.
    """
    if limit < 1 or workers < 1:
        raise ConfigError(f"--limit and --workers must be at least 1 (got {limit}, {workers})")
    settings = settings or Settings()
    articles = load_articles(corpus if corpus is not None else BUNDLED_SAMPLES, limit, settings)
    texts = [article.text for article in articles]
    spacy_seconds = time_spacy(texts, settings, workers)
    eventcoder_seconds = time_eventcoder(articles, settings, workers)
    report: dict[str, Any] = {
        "docs": len(articles),
        "words": sum(len(text.split()) for text in texts),
        "spacy_docs_per_s": _rate(len(articles), spacy_seconds),
        "eventcoder_docs_per_s": _rate(len(articles), eventcoder_seconds),
        "ratio": round(spacy_seconds / eventcoder_seconds, 3) if eventcoder_seconds else None,
        "peak_rss_mb": peak_rss_mb(),
        "workers": workers,
    }
    if workers > 1:
        single_seconds = time_eventcoder(articles, settings, 1)
        report["eventcoder_docs_per_s_1"] = _rate(len(articles), single_seconds)
        report["speedup_vs_1"] = round(single_seconds / eventcoder_seconds, 3) if eventcoder_seconds else None
        report["peak_rss_mb"] = peak_rss_mb()
    return report


def load_articles(corpus: str | Path, limit: int, settings: Settings) -> list[Article]:
    """Up to ``limit`` cleaned articles; a smaller corpus is cycled, each copy with its own id."""
    articles: list[Article] = []
    for item in islice(iter_inputs([corpus], settings), limit):
        if isinstance(item, InputFailure):
            continue
        try:
            articles.append(clean_article(item, published=None, settings=settings))
        except InputError:
            continue
    if not articles:
        raise ConfigError(f"no usable documents in {corpus}", hint="point --corpus at text, HTML or JSONL news files")
    if len(articles) >= limit:
        return articles
    copies = islice(cycle(articles), limit)
    return [replace(article, id=f"{article.id}~{index}") if index >= len(articles) else article
            for index, article in enumerate(copies)]


def time_spacy(texts: Sequence[str], settings: Settings, workers: int) -> float:
    """Seconds for bare spaCy's ``nlp.pipe`` over ``texts`` (warm-up excluded)."""
    nlp = bare_nlp(settings)
    list(nlp.pipe(texts[:WARMUP_DOCS], batch_size=settings.batch_size))
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=settings.batch_size, n_process=workers):
        pass
    return time.perf_counter() - start


def time_eventcoder(articles: Sequence[Article], settings: Settings, workers: int) -> float:
    """Seconds for the full pipeline over ``articles`` in ``workers`` processes (warm-up excluded)."""
    pipeline = _warm_pipeline(settings, articles)
    start = time.perf_counter()
    if workers == 1:
        _code_batch(pipeline, list(articles))
    else:
        # Forked after the warm-up, every worker starts with the loaded model and
        # lexicons, as spaCy's own n_process workers do.
        context = multiprocessing.get_context("fork")
        batches = [list(articles[index:index + settings.batch_size])
                   for index in range(0, len(articles), settings.batch_size)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for _count in pool.map(partial(_code_in_worker, settings), batches):
                pass
    return time.perf_counter() - start


def peak_rss_mb() -> float:
    """Peak resident memory of this process or its largest child, in MiB."""
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB on Linux
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return round(peak * unit / (1024 * 1024), 1)


@lru_cache(maxsize=2)
def _pipeline_for(settings: Settings) -> Pipeline:
    """One pipeline per process and settings (forked workers inherit the parent's)."""
    return Pipeline(settings)


def _warm_pipeline(settings: Settings, articles: Sequence[Article]) -> Pipeline:
    pipeline = _pipeline_for(settings)
    _code_batch(pipeline, list(articles[:WARMUP_DOCS]))
    return pipeline


def _code_batch(pipeline: Pipeline, articles: list[Article]) -> int:
    """Run articles through the pipeline and serialise each result; the number of events."""
    events = 0
    for result in pipeline.process(articles):
        if isinstance(result, ExtractionResult):  # a DocumentFailure is stored by neither engine
            events += len(result.to_dict()["events"])
    return events


def _code_in_worker(settings: Settings, articles: list[Article]) -> int:
    return _code_batch(_pipeline_for(settings), articles)


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else float("inf")
