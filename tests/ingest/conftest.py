from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# The reference page, read by a path relative to the repository root (skipped when ../shared is absent).
REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "jcpa-kadhimi-capitulation.txt"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
