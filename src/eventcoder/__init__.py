"""eventcoder: sourced, structured event data from news and analysis text.

Public API::

    eventcoder.extract(text, published="2020-07-01")   -> ExtractionResult
    eventcoder.extract_paths(paths, published=None)     -> iterator of results/failures
    eventcoder.ingest(paths, db)                        -> IngestReport
    eventcoder.Pipeline(settings)                       -> reusable pipeline
"""

from __future__ import annotations

from typing import Any

# The subpackage ``eventcoder.extract`` is imported first (its __init__ is
# empty), so that the public function ``extract`` below is what the name
# ``eventcoder.extract`` means, and later submodule imports do not replace it.
from . import extract as _extract_package  # noqa: F401
from .config import Settings
from .errors import EventcoderError
from .model import Actor, Article, DateValue, Event, ExtractionResult, Place, Quote

__all__ = [
    "Actor", "Article", "DateValue", "Event", "EventcoderError", "ExtractionResult", "Pipeline", "Place",
    "Quote", "Settings", "extract", "extract_paths", "ingest",
]


def extract(text: str, published: str | None = None, **options: Any) -> ExtractionResult:
    """Code the events of one text; see ``eventcoder.api.extract``."""
    from .api import extract as run

    return run(text, published, **options)


def __getattr__(name: str) -> Any:
    # The pipeline imports spaCy: load it only when asked for.
    if name in ("extract_paths", "ingest"):
        from . import api
        return getattr(api, name)
    if name == "Pipeline":
        from .pipeline import Pipeline
        return Pipeline
    raise AttributeError(f"module 'eventcoder' has no attribute {name!r}")
