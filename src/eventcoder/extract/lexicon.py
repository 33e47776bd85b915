"""The trigger lexicon: which words evoke which PLOVER event, with CAMEO scales.

Reads the shipped data files (see ``data/lexicon/README.md``):

* ``lexicon/overrides.tsv``   curated senses; they take priority
* ``lexicon/verbs.tsv``       senses derived from PETRARCH2's verb dictionary
* ``lexicon/object_nouns.tsv`` person/group and place nouns (object classes)
* ``lexicon/support_verbs.tsv`` light verbs ("carry out", "hold") that hand the event to their object noun
* ``cameo/cameo.tsv``         CAMEO label, Goldstein score, quad class per code
* ``plover/cameo_to_plover.tsv``, ``plover/plover_types.tsv``
* ``frames/frames.tsv``       report/claim/plan cues: never triggers unless an override says so

Lookups are keyed by ``(lemma, pos, particle)``; ``particle`` is "" for the bare
word, a word (verb particle, preposition, object lemma, noun modifier) or one of
the cue classes ``@dobj``, ``@obj:person``, ``@obj:place``, ``@support``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ..annotations import TriggerSense
from ..data import DATA_DIR, read_tsv
from ..errors import DataFileError

NOT_AN_EVENT = "-"
FRAMES = ("agent", "recipient_subject", "self")
POS_TAGS = ("VERB", "NOUN")

__all__ = ["CameoInfo", "Lexicon", "LexiconEntry"]


@dataclass(frozen=True)
class CameoInfo:
    code: str
    label: str
    goldstein: float | None
    quad_class: int | None


@dataclass(frozen=True)
class LexiconEntry:
    """One row of a lexicon file, typed."""

    lemma: str
    pos: str
    particle: str
    sense: TriggerSense | None  # None for a NOT_AN_EVENT row
    source: str  # "override" | "derived"
    note: str = ""
    fold: str | None = None  # kept for NOT_AN_EVENT rows: "decision" defers to its complement


def _optional_float(raw: str) -> float | None:
    return float(raw) if raw.strip() else None


def _optional_int(raw: str) -> int | None:
    return int(raw) if raw.strip() else None


class Lexicon:
    """Trigger senses by lemma, plus the CAMEO and PLOVER tables they refer to.

    Build one with :meth:`default` (cached per process) or :meth:`from_dir`.
    """

    def __init__(
        self,
        cameo: dict[str, CameoInfo],
        mapping: dict[str, tuple[str | None, str | None, tuple[str, ...]]],
        plover_types: dict[str, tuple[int, frozenset[str]]],
        support_verbs: dict[str, frozenset[str]],
        frame_lemmas: frozenset[tuple[str, str]],
        object_nouns: dict[str, str] | None = None,
    ) -> None:
        self._cameo = cameo
        self._mapping = mapping
        self._types = plover_types
        self._support = support_verbs
        self._frame_lemmas = frame_lemmas
        self._object_nouns = object_nouns or {}
        self._overrides: dict[tuple[str, str, str], list[LexiconEntry]] = defaultdict(list)
        self._derived: dict[tuple[str, str, str], list[LexiconEntry]] = defaultdict(list)
        self._particles: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._curated_particles: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._blocked_particles: dict[tuple[str, str], set[str]] = defaultdict(set)

    # ------------------------------------------------------------ loading ---

    @classmethod
    @cache
    def default(cls) -> Lexicon:
        """The lexicon of the shipped data files, loaded once per process."""
        return cls.from_dir(DATA_DIR)

    @classmethod
    def from_dir(cls, data_dir: Path) -> Lexicon:
        """Load every table from a data folder laid out like ``eventcoder/data``."""
        lexicon = cls(
            cameo=_read_cameo(data_dir / "cameo" / "cameo.tsv"),
            mapping=_read_mapping(data_dir / "plover" / "cameo_to_plover.tsv"),
            plover_types=_read_types(data_dir / "plover" / "plover_types.tsv"),
            support_verbs=_read_support(data_dir / "lexicon" / "support_verbs.tsv"),
            frame_lemmas=_read_frames(data_dir / "frames" / "frames.tsv"),
            object_nouns=_read_object_nouns(data_dir / "lexicon" / "object_nouns.tsv"),
        )
        lexicon.load_entries(data_dir / "lexicon" / "verbs.tsv", source="derived")
        lexicon.load_entries(data_dir / "lexicon" / "overrides.tsv", source="override")
        return lexicon

    def load_entries(self, path: Path, source: str) -> None:
        """Add the rows of one lexicon file (columns: see ``data/lexicon/README.md``)."""
        target = self._overrides if source == "override" else self._derived
        for number, row in enumerate(read_tsv(path), 1):
            entry = self._entry(row, source, where=f"{path.name} row {number}")
            if source == "derived" and (entry.lemma, entry.pos) in self._frame_lemmas:
                continue  # report and claim verbs frame events; they are not events themselves
            target[(entry.lemma, entry.pos, entry.particle)].append(entry)
            if entry.particle:
                self._particles[(entry.lemma, entry.pos)].add(entry.particle)
            if entry.particle and source == "override":
                kind = self._curated_particles if entry.sense is not None else self._blocked_particles
                kind[(entry.lemma, entry.pos)].add(entry.particle)

    def _entry(self, row: dict[str, str], source: str, where: str) -> LexiconEntry:
        try:
            lemma, pos, particle = row["lemma"].strip().lower(), row["pos"].strip(), row["particle"].strip().lower()
            kind = row["type"].strip()
        except (KeyError, AttributeError):
            raise DataFileError("missing lexicon column", where=where, hint="see data/lexicon/README.md") from None
        if pos not in POS_TAGS or not lemma:
            raise DataFileError(f"bad lemma/pos {lemma!r}/{pos!r}", where=where)
        sense = None if kind == NOT_AN_EVENT else self._sense(row, where)
        fold = (row.get("fold") or "").strip() or None
        return LexiconEntry(lemma, pos, particle, sense, source, (row.get("note") or "").strip(), fold)

    def _sense(self, row: dict[str, str], where: str) -> TriggerSense:
        kind = row["type"].strip()
        if kind not in self._types:
            raise DataFileError(f"unknown PLOVER type {kind!r}", where=where)
        code = (row.get("cameo") or "").strip() or None
        if code is not None and code not in self._cameo:
            raise DataFileError(f"unknown CAMEO code {code!r}", where=where)
        mode = (row.get("mode") or "").strip() or None
        context = tuple(c for c in (row.get("context") or "").split(";") if c)
        mapped_type, mapped_mode, mapped_context = self.plover_for_cameo(code) if code else (None, None, ())
        if mapped_type == kind:
            mode = mode or mapped_mode
            context = context or mapped_context
        if mode is not None and mode not in self._types[kind][1]:
            raise DataFileError(f"mode {mode!r} is not a PLOVER mode of {kind}", where=where)
        frame = (row.get("frame") or "").strip() or "agent"
        if frame not in FRAMES:
            raise DataFileError(f"frame {frame!r} is not one of {FRAMES}", where=where)
        negated = (row.get("negated_type") or "").strip() or None
        if negated is not None and negated not in self._types:
            raise DataFileError(f"unknown negated_type {negated!r}", where=where)
        return TriggerSense(
            type=kind,
            mode=mode,
            context=context,
            cameo=code,
            quad_class=self.quad_class_for_type(kind),
            goldstein=self._cameo[code].goldstein if code else None,
            frame=frame,
            fold=(row.get("fold") or "").strip() or None,
            negated_type=negated,
        )

    # ------------------------------------------------------------ lookups ---

    def senses(self, lemma: str, pos: str, particle: str | None = None) -> list[TriggerSense]:
        """Senses of a word, curated ones first.

        With ``particle``, the particle-specific senses if there are any, else the bare
        word's. A curated "not an event" row for a key hides the derived senses of that key;
        for a particle key it means the word is no event with that particle (``[]``).
        """
        lemma = lemma.lower()
        if particle and particle.lower() in self.blocked_particles(lemma, pos):
            return []
        if particle:
            found = self._particle_senses((lemma, pos, particle.lower()))
            if found:
                return found
        return self._senses_for((lemma, pos, ""))

    def _particle_senses(self, key: tuple[str, str, str]) -> list[TriggerSense]:
        """Senses of a (lemma, particle) pair, kept in line with the curated bare word.

        A derived particle sense survives only if its type is one the curated bare word
        has (or the word has no curated sense); it then takes the curated frame, fold and
        negated type, so "demand the resignation" stays a complement-folding REQUEST.
        """
        lemma, pos, _particle = key
        curated = {entry.sense.type: entry.sense for entry in self._overrides.get((lemma, pos, ""), [])
                   if entry.sense is not None}
        result = [entry.sense for entry in self._overrides.get(key, []) if entry.sense is not None]
        if any(entry.sense is None for entry in self._overrides.get(key, [])):
            return []
        for entry in self._derived.get(key, []):
            sense = entry.sense
            if sense is None or (curated and sense.type not in curated):
                continue
            if sense.type in curated:
                model = curated[sense.type]
                sense = replace(sense, frame=model.frame, fold=model.fold, negated_type=model.negated_type)
            result.append(sense)
        return result

    def _senses_for(self, key: tuple[str, str, str]) -> list[TriggerSense]:
        curated = self._overrides.get(key, [])
        if any(entry.sense is None for entry in curated):
            return []
        found = [entry.sense for entry in curated if entry.sense is not None]
        seen = {(sense.type, sense.cameo) for sense in found}
        for entry in self._derived.get(key, []):
            if entry.sense is not None and (entry.sense.type, entry.sense.cameo) not in seen:
                found.append(entry.sense)
                seen.add((entry.sense.type, entry.sense.cameo))
        return found

    def particles(self, lemma: str, pos: str) -> frozenset[str]:
        """The particle keys the lexicon has for a word (words and ``@`` cue classes)."""
        return frozenset(self._particles.get((lemma.lower(), pos), ()))

    def curated_particles(self, lemma: str, pos: str) -> frozenset[str]:
        """Particle keys with a curated sense: a cue word there is part of the event's name
        ("lift *sanctions*", "violate the *ceasefire*"), not an event of its own."""
        return frozenset(self._curated_particles.get((lemma.lower(), pos), ()))

    def blocked_particles(self, lemma: str, pos: str) -> frozenset[str]:
        """Particle keys curated as "not an event" ("decline *to comment*")."""
        return frozenset(self._blocked_particles.get((lemma.lower(), pos), ()))

    def defers_to_complement(self, lemma: str, pos: str) -> bool:
        """True for words such as "decision" whose governed verb carries the event."""
        return any(
            entry.sense is None and entry.fold == "complement"
            for entry in self._overrides.get((lemma.lower(), pos, ""), [])
        )

    def lemmas(self, pos: str) -> frozenset[str]:
        """Every lemma with at least one sense (bare or particle) for a part of speech."""
        keys = set(self._overrides) | set(self._derived)
        return frozenset(lemma for lemma, key_pos, particle in keys if key_pos == pos and self._senses_for(
            (lemma, key_pos, particle)))

    def deferring_lemmas(self, pos: str) -> frozenset[str]:
        """Lemmas that stand for the event of their complement ("decision to expel")."""
        return frozenset(lemma for lemma, key_pos, particle in self._overrides
                         if key_pos == pos and not particle and self.defers_to_complement(lemma, pos))

    def support_particles(self, lemma: str) -> frozenset[str] | None:
        """Particles a support verb needs ("" = none); None when the verb is not a support verb."""
        return self._support.get(lemma.lower())

    def support_verbs(self) -> frozenset[str]:
        """Lemmas of the support (light) verbs."""
        return frozenset(self._support)

    def object_class(self, lemma: str) -> str | None:
        """"person" or "place" for a common noun the data knows ("militant", "town"), else None."""
        return self._object_nouns.get(lemma.lower())

    def is_frame(self, lemma: str, pos: str) -> bool:
        return (lemma.lower(), pos) in self._frame_lemmas

    def cameo_info(self, code: str) -> tuple[str, float | None, int | None]:
        """``(label, goldstein, quad_class)`` of a CAMEO code (a string: "010" is not "10")."""
        info = self._cameo.get(code)
        if info is None:
            raise DataFileError(f"unknown CAMEO code {code!r}", hint="codes are strings with leading zeros")
        return info.label, info.goldstein, info.quad_class

    def plover_for_cameo(self, code: str) -> tuple[str | None, str | None, tuple[str, ...]]:
        """``(type, mode, contexts)`` PLOVER gives a CAMEO code; type None for codes PLOVER dropped."""
        return self._mapping.get(code, (None, None, ()))

    def quad_class_for_type(self, plover_type: str) -> int | None:
        found = self._types.get(plover_type)
        return found[0] if found else None

    def plover_types(self) -> tuple[str, ...]:
        return tuple(self._types)


# ------------------------------------------------------------- readers ---

def _read_cameo(path: Path) -> dict[str, CameoInfo]:
    return {
        row["code"]: CameoInfo(row["code"], row["label"], _optional_float(row["goldstein"]),
                               _optional_int(row["quad_class"]))
        for row in read_tsv(path)
    }


def _read_mapping(path: Path) -> dict[str, tuple[str | None, str | None, tuple[str, ...]]]:
    return {
        row["cameo_code"]: (
            row["plover_type"] or None,
            row["plover_mode"] or None,
            tuple(c for c in row["plover_context"].split(";") if c),
        )
        for row in read_tsv(path)
    }


def _read_types(path: Path) -> dict[str, tuple[int, frozenset[str]]]:
    return {
        row["type"]: (int(row["quad_class"]), frozenset(m for m in row["modes"].split(";") if m))
        for row in read_tsv(path)
    }


def _read_support(path: Path) -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = defaultdict(set)
    for row in read_tsv(path):
        table[row["lemma"].strip().lower()].add(row["particle"].strip().lower())
    return {lemma: frozenset(particles) for lemma, particles in table.items()}


def _read_object_nouns(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return {row["lemma"].strip().lower(): row["class"].strip() for row in read_tsv(path)}


def _read_frames(path: Path) -> frozenset[tuple[str, str]]:
    if not path.exists():
        return frozenset()
    return frozenset((row["lemma"].strip().lower(), row["pos"].strip()) for row in read_tsv(path))

