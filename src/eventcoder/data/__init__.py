"""Versioned data files shipped with eventcoder (lexicons, registry, mappings).

Code reads them through these helpers; no code knows a particular entry.
Each sub-folder has a README with its sources, version and licence.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DataFileError

DATA_DIR = Path(__file__).resolve().parent


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("lexicon", "triggers.tsv")``."""
    path = DATA_DIR.joinpath(*parts)
    if not path.exists():
        raise DataFileError(f"missing data file {path}", hint="reinstall eventcoder or rebuild the data")
    return path


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with one header row; ``#`` lines are comments."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            lines = (line for line in handle if line.strip() and not line.startswith("#"))
            return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataFileError(f"cannot read {path}: {error}") from None


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Objects of a JSON-lines file; blank and ``#`` lines are skipped."""
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise DataFileError(f"{path}:{number}: not JSON ({error.msg})") from None
                if not isinstance(record, dict):
                    raise DataFileError(f"{path}:{number}: expected a JSON object")
                yield record
    except OSError as error:
        raise DataFileError(f"cannot read {path}: {error}") from None
