"""Fixtures shared across the test packages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language

from eventcoder.config import Settings
from eventcoder.errors import ModelNotFoundError
from eventcoder.pipeline import model_name


@pytest.fixture(scope="session")
def model_with() -> Callable[[str], Language]:
    """Load the installed English model with one eventcoder component added (skip when none is installed)."""
    def load(component: str) -> Language:
        try:
            name = model_name(Settings())
        except ModelNotFoundError:
            pytest.skip("no English spaCy model installed")
        pipeline = spacy.load(name)
        pipeline.add_pipe(component)
        return pipeline
    return load
