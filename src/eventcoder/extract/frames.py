"""Frame cues (``data/frames/frames.tsv``): words that change how the text
holds an event — who says so, and whether it is claimed, denied, planned…"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..data import data_path, read_tsv
from ..errors import DataFileError

KINDS = frozenset({"report", "claim", "allege", "suspect", "deny", "plan", "expect", "hypothetical", "negate"})


@dataclass(frozen=True)
class FrameCue:
    lemma: str
    pos: str
    kind: str
    modality: str
    scope: str  # "complement" or "modifier"


class Frames:
    """Frame cues keyed by (lemma, coarse POS)."""

    def __init__(self, cues: list[FrameCue]) -> None:
        self._by_key = {(cue.lemma, cue.pos): cue for cue in cues}

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Frames:
        path = data_path("frames", "frames.tsv")
        cues = []
        for number, row in enumerate(read_tsv(path), 2):
            if row.get("kind") not in KINDS:
                raise DataFileError(f"{path}: row {number}: unknown kind {row.get('kind')!r}")
            cues.append(FrameCue(row["lemma"], row["pos"], row["kind"], row["modality"], row["scope"]))
        return cls(cues)

    def cue(self, lemma: str, pos: str) -> FrameCue | None:
        pos = "VERB" if pos == "AUX" else pos
        return self._by_key.get((lemma.lower(), pos))
