#!/usr/bin/env python3
"""Build eventcoder's actor registry and agent-noun table from open, citable data.

Usage::

    python scripts/build_registry.py SHARED_DATA_DIR [--out src/eventcoder/data/actors]

``SHARED_DATA_DIR`` holds ``actors/`` (rigour countries, mledoze demonyms,
countrynames variants, curated Iraqi actors with citations, EU-listed armed
groups), ``petrarch2/dictionaries/`` (Phoenix actor dictionaries, MIT) and
``ngec/PLOVER_agents.txt`` (CAMEO/PLOVER agents, MIT). Writes
``registry.jsonl`` (a header record, then one actor per line) and
``agents.tsv``. Hand-written inputs live in ``src/eventcoder/data/actors/curated``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from eventcoder.resolve.normalize import normalize_name, skeleton_key, slugify  # noqa: E402

VERSION = "2026.11.1"
DEFAULT_OUT = REPO / "src" / "eventcoder" / "data" / "actors"
PETRARCH2 = "openeventdata/petrarch2@676801c:petrarch2/data/dictionaries/"
PHOENIX_FILES = {
    name: PETRARCH2 + name
    for name in ("Phoenix.MilNonState.actors.txt", "Phoenix.International.actors.txt", "Phoenix.Countries.actors.txt")
}
PHOENIX_KEYS = {key: PHOENIX_FILES[f"Phoenix.{key.split(':')[1]}.actors.txt"]
                for key in ("phoenix:MilNonState", "phoenix:International", "phoenix:Countries")}
PLOVER_AGENTS_SOURCE = "ahalterman/NGEC-2025@a3909e2:NGEC/assets/PLOVER_agents.txt (MIT, Open Event Data Alliance)"


@dataclass
class Entry:
    id: str
    name: str
    type: str
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    member_of: list[str] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    code: str | None = None
    sources: list[str] = field(default_factory=list)

    def add_aliases(self, names: Iterable[str]) -> None:
        seen = {normalize_name(name) for name in [self.name, *self.aliases]}
        for name in names:
            key = normalize_name(name)
            if key and key not in seen:
                seen.add(key)
                self.aliases.append(name)

    def to_record(self, source_keys: dict[str, str]) -> dict[str, Any]:
        """Compact JSON: empty fields left out, bulk sources as keys of the header's ``source_keys``,
        and ``keys``/``skeletons``, the names' match keys (so loading need not compute 30,000 of them)."""
        record: dict[str, Any] = {
            "id": self.id, "name": self.name, "type": self.type, "country": self.country, "aliases": self.aliases,
            "demonyms": self.demonyms, "member_of": self.member_of, "roles": self.roles, "code": self.code,
            "sources": [source_keys.get(source, source) for source in self.sources],
        }
        record = {key: value for key, value in record.items() if value not in (None, [], "")}
        names = [self.name, *self.aliases]
        record["keys"] = list(dict.fromkeys(normalize_name(name) for name in names))
        record["skeletons"] = list(dict.fromkeys(skeleton_key(name) for name in names))
        return record


# ---------------------------------------------------------------- countries


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def is_latin(text: str) -> bool:
    return all(ord(char) < 0x250 or not char.isalpha() for char in text)


def plural_demonym(demonym: str) -> str | None:
    """Regular English plural of a demonym ("Iraqi" -> "Iraqis"); None when it has none ("Chinese")."""
    if demonym.endswith(("ese", "ss", "sh", "ch", "s", "x", "z")):
        return None
    return demonym + "s"


def shares_stem(name: str, stems: Iterable[str]) -> bool:
    """A variant that starts like the English name or demonym ("Irak", "Iraki" for Iraq), never a city."""
    key = normalize_name(name)
    return any(stem and key[:3] == stem[:3] for stem in stems)


def build_countries(actors_dir: Path) -> dict[str, Entry]:
    countries: dict[str, Entry] = {}
    for row in read_csv(actors_dir / "countries.csv"):
        if row["is_country"] != "1" or not row["iso3"] or row["is_historical"] == "1":
            continue
        entry = Entry(
            id=row["qid"] or f"local:{row['iso3'].lower()}", name=row["name"], type="country",
            country=row["iso3"], code=row["iso3"], sources=[row["source"]],
        )
        strong = [name for name in row["names_strong"].split("|") if name and is_latin(name)]
        entry.add_aliases([row["full_name"], *strong])
        countries[row["iso3"]] = entry
    for row in read_csv(actors_dir / "demonyms.csv"):
        if row["iso3"] not in countries:
            continue
        entry = countries[row["iso3"]]
        entry.add_aliases([row["name_common"], row["name_official"]])
        entry.add_aliases(
            spelling for spelling in row["alt_spellings"].split("|") if is_latin(spelling) and spelling != row["iso2"]
        )
        demonyms = {row["demonym_m"], row["demonym_f"]} - {""}
        for demonym in sorted(demonyms):
            entry.demonyms.append(demonym)
            plural = plural_demonym(demonym)
            if plural:
                entry.demonyms.append(plural)
        entry.sources.append(row["source"])
    add_country_name_variants(actors_dir / "country_names.csv", countries)
    return countries


def add_country_name_variants(path: Path, countries: dict[str, Entry]) -> None:
    """Latin-script variants from countrynames that share the English name's or demonym's stem."""
    for row in read_csv(path):
        entry = countries.get(row["iso3"])
        name = row["name"].strip()
        if entry is None or len(name) < 4 or not is_latin(name) or "," in name:
            continue
        stems = [normalize_name(entry.name), *(normalize_name(d) for d in entry.demonyms)]
        if not shares_stem(name, stems):
            continue
        key = normalize_name(name)
        if any(key == normalize_name(d) for d in entry.demonyms):
            continue
        looks_demonym = key.endswith(("an", "ian", "ese", "i", "is", "ans", "ish"))
        if looks_demonym and key.split()[-1] not in normalize_name(entry.name):
            entry.demonyms.append(name)  # a demonym variant ("Iraki", "Afghans")
        else:
            entry.add_aliases([name])
    for entry in countries.values():
        entry.demonyms = sorted(set(entry.demonyms), key=entry.demonyms.index)
        if "PyPI countrynames==1.17.0:countrynames/data.yaml" not in entry.sources:
            entry.sources.append("PyPI countrynames==1.17.0:countrynames/data.yaml")


# ---------------------------------------------------------------- curated and EU-listed


def curated_id(record: dict[str, Any]) -> str:
    return record["qid"] or f"local:{record['key']}"


def build_curated(actors_dir: Path) -> list[Entry]:
    records = [json.loads(line) for line in (actors_dir / "curated_iraq.jsonl").open(encoding="utf-8") if line.strip()]
    ids = {record["key"]: curated_id(record) for record in records}
    entries = []
    for record in records:
        roles = [
            {"role": role["role"], "of": ids.get(role["of"], role["of"]), "from": role["from"], "to": role["to"],
             "source": role.get("source")}
            for role in record.get("roles", [])
        ]
        entry = Entry(
            id=ids[record["key"]], name=record["name"], type=record["type"], country=record.get("country"),
            member_of=[ids[key] for key in record.get("member_of", [])], roles=roles,
            code=curated_code(record), sources=["curated_iraq.jsonl", *record.get("sources", [])],
        )
        entry.add_aliases(record.get("aliases", []))
        entries.append(entry)
    return entries


def curated_code(record: dict[str, Any]) -> str | None:
    country = record.get("country")
    sector = {"armed_group": "REB", "military": "MIL", "government": "GOV"}.get(record["type"])
    return f"{country}{sector}" if country and sector else None


_PARENTHETICAL_RE = re.compile(r"\s*\(([^)]*)\)\s*")


def split_parenthetical(name: str) -> tuple[str, list[str]]:
    """"Islamic Revolutionary Guard Corps (IRGC)" -> ("Islamic Revolutionary Guard Corps", ["IRGC"])."""
    extras = [inner.strip() for inner in _PARENTHETICAL_RE.findall(name) if inner.strip()]
    return _PARENTHETICAL_RE.sub(" ", name).strip(), extras


def build_eu_groups(actors_dir: Path) -> list[Entry]:
    entries = []
    for line in (actors_dir / "armed_groups.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record.get("source") == "curated_iraq.jsonl":
            continue  # the same actors come in richer form from curated_iraq.jsonl
        name, extras = split_parenthetical(record["name"])
        entry = Entry(
            id=record["id"] or f"local:{slugify(name)}", name=name, type="armed_group",
            country=record.get("country"), sources=[record["source"], *record.get("source_urls", [])],
        )
        entry.add_aliases([*extras, *record.get("aliases", [])])
        entries.append(entry)
    return entries


# ---------------------------------------------------------------- Phoenix (PETRARCH2) dictionaries


@dataclass
class PhoenixBlock:
    name: str
    aliases: list[str]
    codes: list[str]
    comment: str


_CODE_RE = re.compile(r"\[([^\]]*)\]")


def phoenix_name(raw: str) -> str:
    text = raw.split("#", 1)[0].strip().lstrip("+")
    text = _CODE_RE.sub("", text).strip().rstrip("_").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def iter_phoenix_blocks(path: Path) -> Iterator[PhoenixBlock]:
    block: PhoenixBlock | None = None
    for raw in path.open(encoding="utf-8", errors="replace"):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        codes = _CODE_RE.findall(line.split("#", 1)[0])
        if line[0] in " \t" and codes:
            if block:
                block.codes.extend(codes)
            continue
        if line.startswith("+"):
            if block:
                block.aliases.append(phoenix_name(line))
            continue
        if block:
            yield block
        comment = line.split("#", 1)[1] if "#" in line else ""
        block = PhoenixBlock(phoenix_name(line), [], list(codes), comment)
    if block:
        yield block


def title_case(name: str) -> str:
    """Phoenix names are upper case; keep acronyms ("PKK", "U.S.") and title-case the rest."""
    if len(name) <= 5 and " " not in name:
        return name
    return " ".join(
        word if any(c.isdigit() or c == "." for c in word) else word.capitalize() for word in name.split()
    )


def phoenix_role(code: str, sectors: dict[str, str], iso3s: set[str]) -> dict[str, Any] | None:
    """"ISRGOV 960618-990706" -> {"role": "government", "of": "ISR", "from": "1996-06-18", ...}."""
    parts = code.split()
    actor_code = parts[0].lstrip("~")
    country = actor_code[:3] if actor_code[:3] in iso3s else None
    sector = sectors.get(actor_code[3:6]) if country else sectors.get(actor_code[:3])
    if not sector:
        return None
    start, end = phoenix_dates(parts[1] if len(parts) > 1 else "")
    return {"role": sector, "of": country, "from": start, "to": end, "code": actor_code}


def phoenix_dates(text: str) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    if text.startswith(">"):
        return yymmdd(text[1:]), None
    if text.startswith("<"):
        return None, yymmdd(text[1:])
    if "-" in text:
        start, end = text.split("-", 1)
        return yymmdd(start), yymmdd(end)
    return None, None


def yymmdd(text: str) -> str | None:
    if not re.fullmatch(r"\d{6}", text):
        return None
    year = int(text[:2])
    century = 1900 if year >= 30 else 2000
    try:
        return date(century + year, int(text[2:4]), int(text[4:6])).isoformat()
    except ValueError:
        return None


def phoenix_entry(block: PhoenixBlock, kind: str, source: str, sectors: dict[str, str],
                  iso3s: set[str], sector_types: dict[str, str]) -> Entry | None:
    if not block.name or not block.codes:
        return None
    roles = [role for role in (phoenix_role(code, sectors, iso3s) for code in block.codes) if role]
    dated = any(role["from"] or role["to"] for role in roles)
    first = block.codes[0].split()[0].lstrip("~")
    country = first[:3] if first[:3] in iso3s else None
    is_person = dated or "CountryInfo" in block.comment
    if kind == "countries" and not is_person and len(first) == 3:
        return None  # a country block: handled by add_phoenix_country_aliases
    name, extras = split_parenthetical(block.name)
    if name.upper().startswith("THE ") and len(name) > 8:
        extras.insert(0, name)
        name = name[4:]
    if is_person:
        entry_type = "person"
    elif kind == "milnonstate":
        entry_type = "armed_group"
    else:
        sector = roles[0]["role"] if roles else None
        entry_type = sector_types.get(sector or "", "organization")
        if entry_type in {"people", "unknown"}:
            entry_type = "organization"
    undated_codes = [role["code"] for role in roles if not (role["from"] or role["to"])]
    entry = Entry(
        id=f"local:{slugify(name)}", name=title_case(name), type=entry_type, country=country,
        roles=[{k: v for k, v in role.items()} for role in roles if is_person],
        code=(undated_codes[-1] if undated_codes else first), sources=[source],
    )
    entry.add_aliases(title_case(alias) for alias in [*extras, *block.aliases] if alias)
    return entry


def add_phoenix_country_aliases(path: Path, countries: dict[str, Entry]) -> None:
    """Short forms from Phoenix country blocks ("U.S.", "USA", "UK") and stem-sharing names; no cities."""
    for block in iter_phoenix_blocks(path):
        codes = [code.split()[0] for code in block.codes]
        if len(codes) != 1 or codes[0] not in countries:
            continue
        entry = countries[codes[0]]
        stems = [normalize_name(entry.name), *(normalize_name(d) for d in entry.demonyms)]
        for alias in [block.name, *block.aliases]:
            if "(" in alias:
                continue
            compact = alias.replace(".", "").replace(" ", "")
            if compact.isupper() and 2 <= len(compact) <= 3 and alias.isascii() and compact[0] == entry.name[0]:
                entry.add_aliases([alias])
            elif shares_stem(alias, stems) and not normalize_name(alias).endswith(("an", "ans", "is", "ish", "ese")):
                entry.add_aliases([title_case(alias)])
        if PHOENIX_FILES["Phoenix.Countries.actors.txt"] not in entry.sources:
            entry.sources.append(PHOENIX_FILES["Phoenix.Countries.actors.txt"])


def build_phoenix(dictionaries: Path, sectors: dict[str, str], iso3s: set[str],
                  sector_types: dict[str, str]) -> list[Entry]:
    entries = []
    for filename, kind in (("Phoenix.MilNonState.actors.txt", "milnonstate"),
                           ("Phoenix.International.actors.txt", "international"),
                           ("Phoenix.Countries.actors.txt", "countries")):
        for block in iter_phoenix_blocks(dictionaries / filename):
            entry = phoenix_entry(block, kind, PHOENIX_FILES[filename], sectors, iso3s, sector_types)
            if entry:
                entries.append(entry)
    return entries


# ---------------------------------------------------------------- people named inside group blocks

# Honorifics that open a person's name, never an organisation's.
PERSON_TITLES = frozenset({"sheikh", "sheik", "shaykh", "sayyid", "sayyed", "seyyed", "sayed", "mullah", "imam", "sir"})


def given_names(entries: Iterable[Entry], minimum: int = 3) -> set[str]:
    """First tokens shared by several person entries ("hassan", "john"), minus organisation openers."""
    people: dict[str, int] = {}
    groups: dict[str, int] = {}
    for entry in entries:
        tokens = normalize_name(entry.name).split()
        if len(tokens) < 2:
            continue
        counter = people if entry.type == "person" else groups
        counter[tokens[0]] = counter.get(tokens[0], 0) + 1
    return {token for token, count in people.items() if count >= minimum and groups.get(token, 0) * 4 < count}


def drop_person_aliases(entries: list[Entry]) -> None:
    """Phoenix group blocks list leaders as aliases (a party's chief, a militia's spokesman): drop them."""
    first_names = given_names(entries)
    for entry in entries:
        if entry.type == "person" or entry.type == "country":
            continue
        dropped_surnames: set[str] = set()
        kept = []
        for alias in entry.aliases:
            tokens = normalize_name(alias).split()
            if tokens and (tokens[0] in PERSON_TITLES or (tokens[0] in first_names and 2 <= len(tokens) <= 4)):
                dropped_surnames.add(tokens[-1])
                continue
            kept.append(alias)
        entry.aliases = [alias for alias in kept if normalize_name(alias) not in dropped_surnames]


# ---------------------------------------------------------------- merging


def merge_entries(groups: Iterable[list[Entry]]) -> list[Entry]:
    """Earlier groups win: a later entry whose name is already known for the same kind is folded in."""
    merged: list[Entry] = []
    by_key: dict[tuple[str, str], Entry] = {}
    by_id: dict[str, Entry] = {}
    for group in groups:
        for entry in group:
            family = "person" if entry.type == "person" else "group"
            key = (family, normalize_name(entry.name))
            target = by_id.get(entry.id) or by_key.get(key)
            if target is not None and (target.country in (None, entry.country) or entry.country is None):
                target.add_aliases([entry.name, *entry.aliases])
                target.country = target.country or entry.country
                target.sources.extend(source for source in entry.sources if source not in target.sources)
                continue
            if entry.id in by_id:
                entry.id = f"{entry.id}-{(entry.country or 'x').lower()}"
                if entry.id in by_id:
                    continue
            merged.append(entry)
            by_id[entry.id] = entry
            for name in [entry.name, *entry.aliases]:
                by_key.setdefault((family, normalize_name(name)), entry)
    return merged


# ---------------------------------------------------------------- agents


def read_sectors(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """PLOVER code -> sector, sector -> actor type (from the hand-written sectors.tsv)."""
    rows = read_hash_tsv(path)
    by_code = {code: row["sector"] for row in rows for code in row["plover_codes"].split()}
    return by_code, {row["sector"]: row["actor_type"] for row in rows}


def read_hash_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def english_plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last.endswith("man"):
        plural = last[:-3] + "men"
    elif last.endswith("y") and last[-2:-1] not in set("aeiou"):
        plural = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return f"{head} {plural}".strip()


def iter_plover_agents(path: Path, by_code: dict[str, str]) -> Iterator[tuple[str, str, str]]:
    substitutions: dict[str, list[str]] = {}
    for raw in path.open(encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("!") and "=" in line:
            name, values = line.split("=", 1)
            substitutions[name.strip()] = [value.strip().lower() for value in values.split(",")]
            continue
        match = re.match(r"^(\S+)\s*(?:\{([^}]*)\})?\s*\[~([A-Z]+)\]", line)
        if not match:
            continue
        phrase, plural, code = match.groups()
        sector = by_code.get(code) or by_code.get(code[:3])
        if not sector:
            continue
        for noun in expand_substitutions(phrase.lower().replace("_", " ").strip(), substitutions):
            yield noun, sector, code
            yield english_plural(noun), sector, code
        if plural:
            yield plural.lower().replace("_", " ").strip(), sector, code


def expand_substitutions(phrase: str, substitutions: dict[str, list[str]]) -> list[str]:
    for name, values in substitutions.items():
        token = name.lower()
        if token in phrase:
            return [re.sub(r"\s+", " ", phrase.replace(token, value)).strip() for value in values]
    return [phrase]


def build_agents(plover_path: Path, overrides_path: Path, by_code: dict[str, str]) -> list[tuple[str, str, str, str]]:
    rows: dict[str, tuple[str, str, str, str]] = {}
    for noun, sector, code in iter_plover_agents(plover_path, by_code):
        key = normalize_name(noun)
        if key and key not in rows:
            rows[key] = (key, sector, code, "plover")
    for row in read_hash_tsv(overrides_path):
        key = normalize_name(row["noun"])
        rows[key] = (key, row["sector"], "", "eventcoder")
    return sorted(rows.values())


# ---------------------------------------------------------------- main


def write_registry(path: Path, entries: list[Entry], sources: list[str]) -> None:
    source_keys = {citation: key for key, citation in PHOENIX_KEYS.items()}
    header = {
        "_header": True, "registry_version": VERSION, "built": date.today().isoformat(), "entries": len(entries),
        "aliases": sum(len(entry.aliases) for entry in entries), "sources": sources, "source_keys": PHOENIX_KEYS,
        "licence": "ODbL 1.0 (derived from mledoze/countries demonyms); see README.md for every source",
    }
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(header, ensure_ascii=False) + "\n")
        for entry in entries:
            record = entry.to_record(source_keys)
            handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def write_agents(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f"# Generic agent nouns -> sector (version {VERSION}). Built by scripts/build_registry.py from\n")
        handle.write(f"# {PLOVER_AGENTS_SOURCE} and curated/agents_overrides.tsv (which wins).\n")
        handle.write("noun\tsector\tplover_code\tsource\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")


def build(shared: Path, out: Path) -> tuple[int, int]:
    actors_dir, dictionaries = shared / "actors", shared / "petrarch2" / "dictionaries"
    by_code, sector_types = read_sectors(out / "sectors.tsv")
    countries = build_countries(actors_dir)
    add_phoenix_country_aliases(dictionaries / "Phoenix.Countries.actors.txt", countries)
    cameo_sectors = {row["cameo"]: row["sector"] for row in read_hash_tsv(out / "sectors.tsv") if row["cameo"]}
    phoenix = build_phoenix(dictionaries, cameo_sectors, set(countries), sector_types)
    entries = merge_entries([list(countries.values()), build_curated(actors_dir), build_eu_groups(actors_dir), phoenix])
    drop_person_aliases(entries)
    sources = ["opensanctions/rigour@8f4044d (MIT)", "mledoze/countries@5e9f370 (ODbL 1.0)",
               "PyPI countrynames 1.17.0 (MIT)", "curated_iraq.jsonl (facts with cited sources)",
               "opensanctions/opensanctions@f33cff2 EU Reg. 2580/2001 list (MIT)", *PHOENIX_FILES.values()]
    write_registry(out / "registry.jsonl", entries, sources)
    agents = build_agents(shared / "ngec" / "PLOVER_agents.txt", out / "curated" / "agents_overrides.tsv", by_code)
    write_agents(out / "agents.tsv", agents)
    return len(entries), len(agents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared_data_dir", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    entries, agents = build(args.shared_data_dir, args.out)
    print(f"registry.jsonl: {entries} entries; agents.tsv: {agents} nouns -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
