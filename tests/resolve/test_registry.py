"""The shipped registry: lookups across transliterations, roles in time, affiliations, user files."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from eventcoder.config import Settings
from eventcoder.errors import DataFileError
from eventcoder.resolve.normalize import normalize_name, skeleton_key
from eventcoder.resolve.registry import Registry, registry_version

PMF = "Q19610107"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.default()


def test_default_registry_is_cached(registry: Registry) -> None:
    assert Registry.default() is registry
    assert len(registry) > 10_000
    assert registry_version()


def test_registry_loads_in_under_a_second() -> None:
    started = time.thread_time()
    Registry.load()
    assert time.thread_time() - started < 1.0


@pytest.mark.parametrize(
    ("name", "expected_name", "how"),
    [
        ("Hizbullah", "Hezbollah", "alias"),
        ("Kata'ib Hizbullah", "Kata'ib Hezbollah", "skeleton"),
        ("Hezbollah Brigades", "Kata'ib Hezbollah", "alias"),
        ("Al-Hashad Al-Sha'bi", "Popular Mobilization Forces", "skeleton"),
        ("Popular Mobilisation Forces", "Popular Mobilization Forces", "fuzzy"),
        ("Aas'ib Ahl al-Haq", "Asa'ib Ahl al-Haq", "skeleton"),
        ("Qassem Suleimani", "Qasem Soleimani", "alias"),
        ("Moammar Gadhafi", "Muammar Gaddafi", "alias"),
        ("Taleban", "Taliban", "alias"),
        ("PKK", "Kurdistan Workers’ Party", "alias"),
        ("U.S.", "United States", "alias"),
        ("Binyamin Netanyahu", "Benjamin Netanyahu", "alias"),
    ],
)
def test_lookup_resolves_variants(registry: Registry, name: str, expected_name: str, how: str) -> None:
    best = registry.lookup(name)[0]
    assert (best.entry.name, best.how) == (expected_name, how)


def test_lookup_unknown_name_is_empty(registry: Registry) -> None:
    assert registry.lookup("Zxqwv Brigade of Nowhere") == []
    assert registry.lookup("") == []


def test_armed_groups_belong_to_the_pmf(registry: Registry) -> None:
    for name in ("Kata'ib Hezbollah", "Asa'ib Ahl al-Haq", "Harakat Hezbollah al-Nujaba"):
        entry = registry.lookup(name)[0].entry
        assert entry.type == "armed_group"
        assert PMF in entry.member_of
    assert registry.get(PMF) is not None


def test_kadhimi_is_prime_minister_in_2020_not_2015(registry: Registry) -> None:
    kadhimi = registry.lookup("Mustafa al-Kadhimi")[0].entry
    assert kadhimi.id == "Q85317569"
    assert "Prime Minister" in [role.role for role in kadhimi.roles_on(date(2020, 6, 25))]
    assert kadhimi.roles_on(date(2015, 1, 1)) == []
    actor = kadhimi.to_actor(date(2020, 6, 25))
    assert actor.country == "IRQ" and any(role.role == "Prime Minister" for role in actor.roles)
    holders = registry.holders_of("prime minister", on=date(2020, 6, 25), country="IRQ")
    assert kadhimi in holders
    assert kadhimi not in registry.holders_of("prime minister", on=date(2015, 1, 1), country="IRQ")


def test_dated_codes_follow_the_role(registry: Registry) -> None:
    netanyahu = registry.lookup("Benjamin Netanyahu")[0].entry
    assert netanyahu.code_on(date(1997, 1, 1)) == "ISRGOV"
    assert netanyahu.code_on(date(1980, 1, 1)) == "ISRELI"


def test_surnames_resolve_to_people(registry: Registry) -> None:
    assert [entry.name for entry in registry.lookup_surname("al-Khazali")][:1] == ["Qais al-Khazali"]
    assert registry.lookup_surname("Kadhimi", on=date(2020, 6, 25))[0].id == "Q85317569"


@pytest.mark.parametrize(
    ("word", "iso3"),
    [("Iraqi", "IRQ"), ("Iraqis", "IRQ"), ("Iranians", "IRN"), ("Americans", "USA"), ("U.S.", "USA"),
     ("Israeli", "ISR"), ("Turkish", "TUR"), ("Syrian", "SYR"), ("Ukrainian", "UKR"), ("Nigerians", "NGA")],
)
def test_country_for_demonym(registry: Registry, word: str, iso3: str) -> None:
    assert registry.country_for_demonym(word) == iso3


@pytest.mark.parametrize(
    ("noun", "sector"),
    [("troops", "military"), ("soldiers", "military"), ("security forces", "military"), ("police", "police"),
     ("government", "government"), ("cabinet", "government"), ("officials", "government"),
     ("parliament", "legislature"), ("lawmakers", "legislature"), ("militia", "militants"),
     ("rebels", "rebels"), ("protesters", "protesters"), ("journalists", "media"), ("sources", "sources"),
     ("farmer", "agriculture")],
)
def test_agent_sector(registry: Registry, noun: str, sector: str) -> None:
    assert registry.agent_sector(noun) == sector


def test_agent_sector_of_a_non_agent_is_none(registry: Registry) -> None:
    assert registry.agent_sector("banana") is None


def test_sector_entry_for_a_country(registry: Registry) -> None:
    us_military = registry.sector_entry("USA", "military")
    assert us_military is not None and us_military.code == "USAMIL"


def test_shipped_keys_match_the_current_normalisation(registry: Registry) -> None:
    path = Path(__file__).resolve().parents[2] / "src" / "eventcoder" / "data" / "actors" / "registry.jsonl"
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(400), handle, strict=False)][1:]
    for record in records:
        names = [record["name"], *record.get("aliases", [])]
        assert record["keys"] == list(dict.fromkeys(normalize_name(name) for name in names)), "rebuild the registry"
        assert record["skeletons"] == list(dict.fromkeys(skeleton_key(name) for name in names))


def test_user_file_merges_on_top(tmp_path: Path) -> None:
    user = tmp_path / "mine.jsonl"
    user.write_text(
        json.dumps({"id": "local:sahel-watch", "name": "Sahel Watch Collective", "type": "organization",
                    "country": "MLI", "aliases": ["SWC"]}) + "\n"
        + json.dumps({"id": "local:kh", "name": "Kata'ib Hezbollah", "type": "armed_group", "country": "IRQ",
                      "aliases": ["Brigades of the Party of God"], "member_of": [PMF]}) + "\n",
        encoding="utf-8",
    )
    merged = Registry.load(settings=Settings(actor_files=(user,)))
    assert merged.lookup("Sahel Watch Collective")[0].entry.id == "local:sahel-watch"
    assert merged.lookup("Brigades of the Party of God")[0].entry.id == "local:kh"
    assert merged.get("Q85317569") is not None


def test_malformed_user_file_raises_data_file_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"name": "no id"}\n', encoding="utf-8")
    with pytest.raises(DataFileError):
        Registry.load([broken])
    with pytest.raises(DataFileError):
        Registry.load([tmp_path / "missing.jsonl"])
