"""Throughput of the full pipeline against bare spaCy on the same texts.

``run_benchmark`` reads up to ``limit`` documents, then times, in one run and
after a warm-up that is not counted:

* bare spaCy: the same model, ``nlp.pipe`` over the same cleaned texts with
  the same batch size and ``n_process=workers``;
* eventcoder: the full pipeline (``Pipeline.process``) over the same
  articles, in ``workers`` processes, each result turned into its OUTPUT.md
  dict (what an ingest stores).

The result is one JSON-able dict; ``ratio`` is eventcoder's docs/s over
spaCy's (1.0 would mean eventcoder costs nothing on top of the parse), and
``cpu_ratio`` the same from CPU seconds, which stays meaningful when other
processes compete for the cores.
"""

from __future__ import annotations

import gc
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
from typing import Any, NamedTuple

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
#: Work chunks per worker process in the multi-process pass.
CHUNKS_PER_WORKER = 8


def run_benchmark(corpus: str | Path | None = None, *, limit: int = 200, workers: int = 1,
                  settings: Settings | None = None) -> dict[str, Any]:
    """Docs/s of bare spaCy and of eventcoder on the same ``limit`` documents of ``corpus``.

    With ``workers > 1`` the eventcoder pass also runs on one worker and
    ``speedup_vs_1`` is the ratio of the two.
    """
    if limit < 1 or workers < 1:
        raise ConfigError(f"--limit and --workers must be at least 1 (got {limit}, {workers})")
    settings = settings or Settings.from_env()
    articles = load_articles(corpus if corpus is not None else BUNDLED_SAMPLES, limit, settings)
    texts = [article.text for article in articles]
    spacy = time_spacy(texts, settings, workers)
    eventcoder = time_eventcoder(articles, settings, workers)
    report: dict[str, Any] = {
        "docs": len(articles),
        "words": sum(len(text.split()) for text in texts),
        "spacy_docs_per_s": _rate(len(articles), spacy.wall),
        "eventcoder_docs_per_s": _rate(len(articles), eventcoder.wall),
        "ratio": _ratio(spacy.wall, eventcoder.wall),
        # CPU seconds (this process and its workers): the same figure on a busy machine.
        "spacy_cpu_s": round(spacy.cpu, 2),
        "eventcoder_cpu_s": round(eventcoder.cpu, 2),
        "cpu_ratio": _ratio(spacy.cpu, eventcoder.cpu),
        "workers": workers,
    }
    if workers > 1:
        single = time_eventcoder(articles, settings, 1)
        report["eventcoder_docs_per_s_1"] = _rate(len(articles), single.wall)
        report["speedup_vs_1"] = _ratio(single.wall, eventcoder.wall)
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


class Timing(NamedTuple):
    wall: float  # seconds
    cpu: float  # CPU seconds of this process and of the worker processes it waited for


class _Stopwatch:
    def __enter__(self) -> _Stopwatch:
        self._wall, self._cpu = time.perf_counter(), _cpu_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timing = Timing(time.perf_counter() - self._wall, _cpu_seconds() - self._cpu)


def _cpu_seconds() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(item.ru_utime + item.ru_stime for item in usage)


def time_spacy(texts: Sequence[str], settings: Settings, workers: int) -> Timing:
    """Time of bare spaCy's ``nlp.pipe`` over ``texts`` (warm-up excluded)."""
    nlp = bare_nlp(settings)
    list(nlp.pipe(texts[:WARMUP_DOCS], batch_size=settings.batch_size))
    with _Stopwatch() as watch:
        for _doc in nlp.pipe(texts, batch_size=settings.batch_size, n_process=workers):
            pass
    return watch.timing


def time_eventcoder(articles: Sequence[Article], settings: Settings, workers: int) -> Timing:
    """Time of the full pipeline over ``articles`` in ``workers`` processes (warm-up excluded)."""
    pipeline = _warm_pipeline(settings, articles)
    with _Stopwatch() as watch:
        _code_in_processes(pipeline, articles, settings, workers)
    return watch.timing


def _code_in_processes(pipeline: Pipeline, articles: Sequence[Article], settings: Settings, workers: int) -> None:
    if workers == 1:
        _code_batch(pipeline, list(articles))
    else:
        # Forked after the warm-up, every worker starts with the loaded model and
        # lexicons, as spaCy's own n_process workers do.
        # Small chunks keep the workers evenly loaded; gc.freeze keeps the
        # children's collector from touching (and so copying) the parent's heap.
        size = max(1, min(settings.batch_size, -(-len(articles) // (workers * CHUNKS_PER_WORKER))))
        chunks = [list(articles[index:index + size]) for index in range(0, len(articles), size)]
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                for _count in pool.map(partial(_code_in_worker, settings), chunks):
                    pass
        finally:
            gc.unfreeze()


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


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator > 0 else None


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else float("inf")
