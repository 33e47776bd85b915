"""The actor registry: canonical actors with ids, aliases, roles in time and affiliations.

``Registry.default()`` loads the shipped ``data/actors/registry.jsonl`` (and
``agents.tsv``, ``sectors.tsv``) once per process; ``Registry.load(paths)``
merges user registry files (same JSON-lines shape, e.g. from
``Settings.actor_files``) on top, an entry with a known id replacing the shipped
one. ``lookup`` tries, in order: exact normalised alias, transliteration
skeleton, acronym, then rapidfuzz above ``Settings.fuzzy_actor_threshold``.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ..config import Settings
from ..data import data_path, iter_jsonl, read_tsv
from ..errors import DataFileError
from ..model import Actor, Role
from .normalize import acronym, name_tokens, normalize_name, skeleton_key

#: Shortest skeleton that may match on its own; shorter ones ("hm" for Hamas) collide too often.
MIN_SKELETON_CHARS = 4
#: Similarity (0-100) two normalised names must still share for a skeleton match to count.
SKELETON_SANITY = 55.0
_SCORES = {"alias": 1.0, "skeleton": 0.9, "acronym": 0.8}


@dataclass(frozen=True)
class RegistryRole:
    """A role with its CAMEO-style code where the source gives one (e.g. ISRGOV)."""

    role: str
    of: str | None = None
    start: str | None = None
    end: str | None = None
    code: str | None = None

    def to_role(self) -> Role:
        return Role(self.role, self.of, self.start, self.end)

    def holds_on(self, day: date | None) -> bool:
        return self.to_role().holds_on(day)


@dataclass(frozen=True)
class RegistryEntry:
    id: str
    name: str
    type: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    roles: tuple[RegistryRole, ...] = ()
    code: str | None = None
    sources: tuple[str, ...] = ()

    @classmethod
    def from_record(cls, record: dict[str, Any], where: str) -> RegistryEntry:
        try:
            roles = tuple(
                RegistryRole(role["role"], role.get("of"), role.get("from"), role.get("to"), role.get("code"))
                for role in record.get("roles") or ()
            )
            return cls(
                id=str(record["id"]), name=str(record["name"]), type=str(record.get("type") or "unknown"),
                country=record.get("country"), aliases=tuple(record.get("aliases") or ()),
                demonyms=tuple(record.get("demonyms") or ()), member_of=tuple(record.get("member_of") or ()),
                roles=roles, code=record.get("code"), sources=tuple(record.get("sources") or ()),
            )
        except (KeyError, TypeError) as error:
            raise DataFileError(f"{where}: registry entry lacks or mistypes {error}",
                                hint="each line needs at least 'id' and 'name'") from None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def roles_on(self, day: date | None) -> list[Role]:
        """Roles held on ``day`` (all roles when the day is unknown)."""
        return [role.to_role() for role in self.roles if role.holds_on(day)]

    def code_on(self, day: date | None) -> str | None:
        """The code of a dated role held on ``day`` (PM -> IRQGOV), else the entry's own code."""
        if day is not None:
            for role in self.roles:
                if role.code and (role.start or role.end) and role.holds_on(day):
                    return role.code
        return self.code

    def to_actor(self, day: date | None = None) -> Actor:
        return Actor(
            id=self.id, name=self.name, type=self.type, country=self.country, roles=self.roles_on(day),
            member_of=list(self.member_of), code=self.code_on(day),
        )


@dataclass(frozen=True)
class Match:
    entry: RegistryEntry
    score: float
    how: str  # alias | skeleton | acronym | fuzzy


@dataclass(frozen=True)
class Sector:
    name: str
    actor_type: str
    cameo: str | None


@dataclass
class _Index:
    exact: dict[str, list[int]] = field(default_factory=dict)
    skeleton: dict[str, list[int]] = field(default_factory=dict)
    acronym: dict[str, list[int]] = field(default_factory=dict)
    surname: dict[str, list[int]] = field(default_factory=dict)
    demonym: dict[str, str] = field(default_factory=dict)
    country_name: dict[str, str] = field(default_factory=dict)
    by_code: dict[str, list[int]] = field(default_factory=dict)


class Registry:
    """Actors by id and by every name they go by; built once, then read-only."""

    def __init__(self, records: Iterable[dict[str, Any] | RegistryEntry], agents: dict[str, str],
                 sectors: dict[str, Sector], *, fuzzy_threshold: float = 92.0) -> None:
        # Raw records become RegistryEntry objects only when asked for: loading stays under a second.
        self._records: list[dict[str, Any]] = [_as_record(record) for record in records]
        self._entries: list[RegistryEntry | None] = [None] * len(self._records)
        self.fuzzy_threshold = fuzzy_threshold
        self._agents = agents
        self._sectors = sectors
        self._by_id = {record["id"]: position for position, record in enumerate(self._records)}
        self._index = _Index()
        self._tolerant_built = False
        for position, record in enumerate(self._records):
            self._index_record(position, record)
        self._fuzzy_choices: list[str] | None = None
        self._fuzzy_owner: list[int] = []
        self._fuzzy_blocks: dict[str, list[int]] = {}
        self._fuzzy_memo: dict[tuple[str, date | None, int], list[Match]] = {}
        self._titles: dict[str, list[int]] | None = None

    def entry(self, position: int) -> RegistryEntry:
        cached = self._entries[position]
        if cached is None:
            cached = RegistryEntry.from_record(self._records[position], f"registry entry {position}")
            self._entries[position] = cached
        return cached

    @property
    def entries(self) -> list[RegistryEntry]:
        return [self.entry(position) for position in range(len(self._records))]

    # ------------------------------------------------------------ loading

    @classmethod
    def default(cls) -> Registry:
        """The shipped registry, loaded once per process."""
        return _default_registry()

    @classmethod
    def load(cls, paths: Sequence[Path] = (), *, settings: Settings | None = None,
             include_default: bool = True) -> Registry:
        """The shipped registry (unless ``include_default`` is false) with user files merged on top."""
        settings = settings or Settings()
        paths = [*paths, *settings.actor_files]
        # Tens of thousands of small dicts: the cyclic GC would rescan them many times while they pile up.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._load(paths, settings, include_default)
        finally:
            if was_enabled:
                gc.enable()

    @classmethod
    def _load(cls, paths: Sequence[Path], settings: Settings, include_default: bool) -> Registry:
        records: dict[str, dict[str, Any]] = {}
        if include_default:
            records.update((record["id"], record) for record in _read_records(data_path("actors", "registry.jsonl")))
        for path in paths:
            for record in _read_records(Path(path)):
                records[record["id"]] = record
        return cls(records.values(), _read_agents(), _read_sectors(), fuzzy_threshold=settings.fuzzy_actor_threshold)

    def _index_record(self, position: int, record: dict[str, Any]) -> None:
        index = self._index
        keys = record.get("keys") or [normalize_name(name) for name in [record["name"], *record.get("aliases", ())]]
        for key in keys:
            if key:
                _add(index.exact, key, position)
        country = record.get("country")
        if record.get("type") == "country" and country:
            for demonym in record.get("demonyms", ()):
                index.demonym.setdefault(normalize_name(demonym), country)
            for key in keys:
                index.country_name.setdefault(key, country)
        if record.get("code"):
            _add(index.by_code, record["code"], position)

    def _tolerant_index(self) -> _Index:
        """Skeleton, acronym and surname keys: built on first use, as most lookups end at the exact alias."""
        index = self._index
        if self._tolerant_built:
            return index
        for position, record in enumerate(self._records):
            is_person = record.get("type") == "person"
            names = [record["name"], *record.get("aliases", ())]
            for skeleton in record.get("skeletons") or [skeleton_key(name) for name in names]:
                if len(skeleton) >= MIN_SKELETON_CHARS:
                    _add(index.skeleton, skeleton, position)
            for name in names:
                if is_person:
                    tokens = name_tokens(name)
                    if len(tokens) >= 2:
                        _add(index.surname, tokens[-1], position)
                elif " " in name:
                    initials = acronym(name)
                    if len(initials) >= 2:
                        _add(index.acronym, initials, position)
        self._tolerant_built = True
        return index

    # ------------------------------------------------------------ queries

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[RegistryEntry]:
        return (self.entry(position) for position in range(len(self._records)))

    def get(self, actor_id: str) -> RegistryEntry | None:
        position = self._by_id.get(actor_id)
        return None if position is None else self.entry(position)

    def lookup(self, name: str, *, on: date | None = None, limit: int = 5, fuzzy: bool = True) -> list[Match]:
        """Registry actors ``name`` may denote, best first."""
        key = normalize_name(name)
        if not key:
            return []
        matches = self._matches(self._index.exact.get(key, []), "alias", on)
        if not matches:
            matches = self._skeleton_matches(name, key, on)
        if not matches and " " not in key and len(key) >= 2:
            matches = self._matches(self._tolerant_index().acronym.get(key, []), "acronym", on)
        if not matches and fuzzy:
            memo_key = (key, on, limit)
            if memo_key not in self._fuzzy_memo:
                if len(self._fuzzy_memo) > 50_000:  # names recur across a corpus; bound the memory
                    self._fuzzy_memo.clear()
                self._fuzzy_memo[memo_key] = self._fuzzy_matches(key, on, limit)
            matches = self._fuzzy_memo[memo_key]
        return matches[:limit]

    def lookup_surname(self, surname: str, *, on: date | None = None) -> list[RegistryEntry]:
        """People whose name ends in ``surname`` ("Kadhimi", "al-Khazali"), those in office on ``on`` first."""
        tokens = name_tokens(surname)
        if len(tokens) != 1:
            return []
        positions = self._tolerant_index().surname.get(tokens[0], [])
        return [match.entry for match in self._matches(positions, "alias", on)]

    def by_code(self, code: str) -> list[RegistryEntry]:
        """Entries whose own code is ``code`` (e.g. USAMIL, the US military)."""
        return [self.entry(position) for position in self._index.by_code.get(code, [])]

    def sector_entry(self, country: str, sector: str) -> RegistryEntry | None:
        """The registry actor for a country's sector ("IRQ", "military"), when the registry has one."""
        info = self._sectors.get(sector)
        if info is None or not info.cameo:
            return None
        country_entry = self.country_entry(country)
        country_keys = {normalize_name(name) for name in [*country_entry.names, *country_entry.demonyms]} \
            if country_entry else set()
        for entry in self.by_code(country + info.cameo):
            # Only a body that *is* the sector ("United States Military", "Israel Defence Forces"), not one
            # unit of it ("Iraqi Counter Terrorism Service") nor a regional body with the same code.
            words = normalize_name(entry.name).split()
            if entry.type == "person" or not words or self.agent_sector(words[-1]) != sector:
                continue
            if any(f" {key} " in f" {' '.join(words)} " for key in country_keys):
                return entry
        return None

    def country_for_demonym(self, word: str) -> str | None:
        """ISO3 of a demonym or country name: "Iraqi", "Iranians", "U.S." -> "IRQ", "IRN", "USA"."""
        key = normalize_name(word)
        return self._index.demonym.get(key) or self._index.country_name.get(key)

    def is_demonym(self, word: str, *, normalized: bool = False) -> bool:
        """Whether ``word`` is a demonym; ``normalized=True`` when it is already a ``normalize_name`` key."""
        return (word if normalized else normalize_name(word)) in self._index.demonym

    def country_entry(self, iso3: str) -> RegistryEntry | None:
        entries = [entry for entry in self.by_code(iso3) if entry.type == "country"]
        return entries[0] if entries else None

    def agent_sector(self, noun_lemma: str) -> str | None:
        """Sector of a generic agent noun or noun phrase: "troops" -> "military", "lawmakers" -> "legislature"."""
        key = normalize_name(noun_lemma)
        if key in self._agents:
            return self._agents[key]
        if key.endswith("s") and key[:-1] in self._agents:
            return self._agents[key[:-1]]
        return None

    def sector(self, name: str) -> Sector | None:
        return self._sectors.get(name)

    def holders_of(self, title: str, *, on: date | None = None, country: str | None = None) -> list[RegistryEntry]:
        """People whose role named ``title`` ("prime minister") holds on ``on`` (and is of ``country``)."""
        wanted = normalize_name(title)
        found = []
        for position in self._title_index().get(wanted.split()[0] if wanted else "", []):
            entry = self.entry(position)
            for role in entry.roles:
                if normalize_name(role.role).startswith(wanted) and role.holds_on(on) and (
                    country is None or role.of == country
                ):
                    found.append(entry)
                    break
        return found

    def _title_index(self) -> dict[str, list[int]]:
        """People by the first word of each role title ("prime", "secretary", "government")."""
        if self._titles is None:
            self._titles = {}
            for position, record in enumerate(self._records):
                for role in record.get("roles", ()) if record.get("type") == "person" else ():
                    words = normalize_name(str(role.get("role", ""))).split()
                    if words:
                        _add(self._titles, words[0], position)
        return self._titles

    def is_alias(self, normalized: str) -> bool:
        return normalized in self._index.exact

    def alias_keys(self) -> Iterable[str]:
        return self._index.exact.keys()

    # ------------------------------------------------------------ ranking

    def _matches(self, positions: Iterable[int], how: str, on: date | None) -> list[Match]:
        unique = list(dict.fromkeys(positions))
        unique.sort(key=lambda position: (not self._active(self.entry(position), on), position))
        return [Match(self.entry(position), _SCORES[how], how) for position in unique]

    @staticmethod
    def _active(entry: RegistryEntry, on: date | None) -> bool:
        if on is None or not entry.roles:
            return True
        return any(role.holds_on(on) and (role.start or role.end) for role in entry.roles)

    def _skeleton_matches(self, name: str, key: str, on: date | None) -> list[Match]:
        skeleton = skeleton_key(name)
        if len(skeleton) < MIN_SKELETON_CHARS:
            return []
        positions = [
            position for position in self._tolerant_index().skeleton.get(skeleton, [])
            if max(fuzz.ratio(key, normalize_name(alias)) for alias in self.entry(position).names) >= SKELETON_SANITY
        ]
        return self._matches(positions, "skeleton", on)

    def _fuzzy_matches(self, key: str, on: date | None, limit: int) -> list[Match]:
        if len(key) < 5:
            return []
        choices = self._fuzzy_index()
        # Blocking: a ratio of 92+ keeps the first letter and nearly the length, so only
        # aliases with the same first letter are compared (about 1/26 of them).
        block = self._fuzzy_blocks.get(key[0], [])
        found = process.extract(key, [choices[i] for i in block], scorer=fuzz.ratio,
                                score_cutoff=self.fuzzy_threshold, limit=limit * 3)
        best: dict[int, float] = {}
        for _choice, score, block_position in found:
            owner = self._fuzzy_owner[block[block_position]]
            best[owner] = max(best.get(owner, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: (-item[1], not self._active(self.entry(item[0]), on), item[0]))
        return [Match(self.entry(position), round(score / 100 * 0.85, 3), "fuzzy") for position, score in ranked]

    def _fuzzy_index(self) -> list[str]:
        if self._fuzzy_choices is None:
            self._fuzzy_choices = []
            for key, positions in self._index.exact.items():
                for position in dict.fromkeys(positions):
                    if key:
                        self._fuzzy_blocks.setdefault(key[0], []).append(len(self._fuzzy_choices))
                    self._fuzzy_choices.append(key)
                    self._fuzzy_owner.append(position)
        return self._fuzzy_choices


def _add(index: dict[str, list[int]], key: str, position: int) -> None:
    bucket = index.setdefault(key, [])
    if not bucket or bucket[-1] != position:
        bucket.append(position)


def _read_records(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        raise DataFileError(f"actor registry file {path} does not exist", hint="check --actors / actor_files")
    user_file = path.resolve() != _shipped_registry_path().resolve()
    for number, record in enumerate(_parse_jsonl(path), 1):
        if record.get("_header"):
            continue
        if not isinstance(record.get("id"), str) or not isinstance(record.get("name"), str):
            raise DataFileError(f"{path}:{number}: registry entry needs string 'id' and 'name'")
        if user_file:
            record.pop("keys", None)  # user files: always computed with this version's rules
            record.pop("skeletons", None)
        yield record


def _parse_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    """All records of a JSON-lines file in one parser call (twice as fast as line by line);
    ``iter_jsonl`` reads a file that fails, to say which line is wrong."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        records = json.loads("[" + ",".join(line for line in lines if not line.startswith("#")) + "]")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return iter_jsonl(path)
    if not all(isinstance(record, dict) for record in records):
        return iter_jsonl(path)
    return records


def _shipped_registry_path() -> Path:
    return data_path("actors", "registry.jsonl")


def _as_record(item: dict[str, Any] | RegistryEntry) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    return {
        "id": item.id, "name": item.name, "type": item.type, "country": item.country, "aliases": list(item.aliases),
        "demonyms": list(item.demonyms), "member_of": list(item.member_of), "code": item.code,
        "sources": list(item.sources),
        "roles": [{"role": r.role, "of": r.of, "from": r.start, "to": r.end, "code": r.code} for r in item.roles],
    }


def _read_agents() -> dict[str, str]:
    return {row["noun"]: row["sector"] for row in read_tsv(data_path("actors", "agents.tsv"))}


def _read_sectors() -> dict[str, Sector]:
    return {
        row["sector"]: Sector(row["sector"], row["actor_type"], row["cameo"] or None)
        for row in read_tsv(data_path("actors", "sectors.tsv"))
    }


@cache
def _default_registry() -> Registry:
    return Registry.load(settings=Settings.from_env())


def registry_version() -> str | None:
    """The ``registry_version`` of the shipped registry's header record."""
    for record in iter_jsonl(data_path("actors", "registry.jsonl")):
        return str(record.get("registry_version")) if record.get("_header") else None
    return None
