"""The eventcoder_actors component and the actor functions other stages call, on the real spaCy model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventcoder.annotations import ActorMention
from eventcoder.model import Article, DateValue
from eventcoder.resolve.actors import actor_for_tokens, document_actors, resolve_pronoun

PMF = "Q19610107"
KADHIMI = "Q85317569"


@pytest.fixture(scope="module")
def nlp(model_with: Callable[[str], Language]) -> Language:
    return model_with("eventcoder_actors")


def mentions(doc: Doc) -> list[ActorMention]:
    return list(doc._.ec_actor_mentions)


def by_text(doc: Doc) -> dict[str, ActorMention]:
    return {mention.text: mention for mention in mentions(doc)}


def token_index(doc: Doc, text: str, nth: int = 0) -> int:
    return [token.i for token in doc if token.text == text][nth]


def test_aliases_and_transliterations_resolve_to_one_actor(nlp: Language) -> None:
    doc = nlp("Kata'ib Hezbollah denied the attack. A spokesman for Kataib Hizbullah said the "
              "Hezbollah Brigades had no role, and KH would respond.")
    ids = {mention.actor_id for mention in mentions(doc) if mention.type == "armed_group"}
    assert ids == {"local:kh"}
    assert len([m for m in mentions(doc) if m.actor_id == "local:kh"]) == 4


def test_variants_from_other_regions(nlp: Language) -> None:
    doc = nlp("The Taleban seized the district, while Hizbullah and Hamas issued statements. "
              "Moammar Gadhafi's son spoke to the PKK.")
    found = {mention.name for mention in mentions(doc)}
    assert {"Taliban", "Hezbollah", "Hamas", "Muammar Gaddafi", "Kurdistan Workers’ Party"} <= found


def test_acronym_aliases_need_capitals(nlp: Language) -> None:
    doc = nlp("Han Chinese traders met officials. The HAN movement did not comment.")
    texts = {mention.text: mention.actor_id for mention in mentions(doc)}
    assert "Han" not in texts
    assert texts.get("HAN") == "local:nujaba"


def test_composite_actors_from_demonym_and_agent_noun(nlp: Language) -> None:
    doc = nlp("Iraqi security forces and U.S. troops raided the camp, and Iranian officials condemned it. "
              "The Iraqi parliament met on Sunday.")
    found = by_text(doc)
    assert found["Iraqi security forces"].actor_id == "local:IRQ-military"
    assert found["Iraqi security forces"].type == "military"
    assert found["U.S. troops"].country == "USA" and found["U.S. troops"].type == "military"
    assert found["Iranian officials"].actor_id == "local:IRN-government"
    assert found["Iraqi parliament"].actor_id == "local:IRQ-legislature"


def test_composite_named_by_first_surface_form(nlp: Language) -> None:
    doc = nlp("Iraqi forces entered the town. Later, Iraqi troops left it.")
    iraqi = [m for m in mentions(doc) if m.actor_id == "local:IRQ-military"]
    assert [m.text for m in iraqi] == ["Iraqi forces", "Iraqi troops"]
    assert {m.name for m in iraqi} == {"Iraqi forces"}


def test_pro_prefix_is_a_link_not_a_nationality(nlp: Language) -> None:
    doc = nlp("Fighters of a pro-Iranian militia fired rockets.")
    assert all(m.country != "IRN" for m in mentions(doc))


def test_surname_resolves_to_person_named_earlier(nlp: Language) -> None:
    doc = nlp("Prime Minister Mustafa al-Kadhimi visited Basra. Kadhimi later met tribal leaders. "
              "Qais al-Khazali criticised the visit, and al-Khazali's group threatened to respond.")
    kadhimi = [m for m in mentions(doc) if m.actor_id == KADHIMI]
    assert [m.text for m in kadhimi] == ["Mustafa al-Kadhimi", "Kadhimi"]
    assert [m.name for m in mentions(doc) if m.text.lower().startswith("al-khazali")] == ["Qais al-Khazali"]


def test_ambiguous_short_name_resolved_by_document_context(nlp: Language) -> None:
    # Two different people called Sadr: the one named earlier in this document wins.
    doc = nlp("Abolhassan Bani Sadr returned to Tehran, Iranian media said. Sadr gave a speech.")
    sadr = [m for m in mentions(doc) if m.text == "Sadr"]
    assert sadr and sadr[0].name == "Abolhassan Bani Sadr"
    doc = nlp("Muqtada al-Sadr called for protests in Baghdad. Sadr later withdrew the call.")
    sadr = [m for m in mentions(doc) if m.text == "Sadr"]
    assert sadr and sadr[0].name == "Muqtada al-Sadr"


def test_unknown_entities_become_local_actors(nlp: Language) -> None:
    doc = nlp("The Zawiya Martyrs Brigade claimed the attack. Fighters of the Ansar al-Furqan movement fled, "
              "and members of the Liwa Fatemiyoun militia were killed. John Okafor, a farmer, witnessed it.")
    found = {m.text: m for m in mentions(doc)}
    assert found["John Okafor"].type == "person" and found["John Okafor"].actor_id == "local:john-okafor"
    for name in ("Zawiya Martyrs Brigade", "Ansar al-Furqan movement", "Liwa Fatemiyoun militia"):
        assert found[name].type == "armed_group" and found[name].actor_id.startswith("local:")


def test_descriptive_sources_are_unknown_actors(nlp: Language) -> None:
    doc = nlp("Witnesses said the convoy was hit. Sources close to the militia denied it, diplomats said.")
    sources = [m for m in mentions(doc) if m.type == "unknown"]
    texts = [m.text for m in sources]
    assert "Witnesses" in texts and "diplomats" in texts
    assert any(text.startswith("Sources close to") for text in texts)


def test_actor_for_tokens_member_nouns(nlp: Language) -> None:
    doc = nlp("Senior officials at the Popular Mobilization Forces denied the report. "
              "Kata'ib Hezbollah fighters were arrested.")
    officials = token_index(doc, "officials")
    found = actor_for_tokens(doc, officials - 1, officials + 1)
    assert found is not None and found.actor_id == PMF and found.how == "member"
    fighters = token_index(doc, "fighters")
    found = actor_for_tokens(doc, fighters - 3, fighters + 1)
    assert found is not None and found.actor_id == "local:kh"


def test_actor_for_tokens_composite_and_none(nlp: Language) -> None:
    doc = nlp("The Iraqi government rejected the plan, and the weather was cold.")
    government = token_index(doc, "government")
    found = actor_for_tokens(doc, government - 2, government + 1)
    assert found is not None and found.actor_id == "local:IRQ-government"
    weather = token_index(doc, "weather")
    assert actor_for_tokens(doc, weather - 1, weather + 1) is None


def test_resolve_pronouns(nlp: Language) -> None:
    doc = nlp("Qais al-Khazali met Asa'ib Ahl al-Haq commanders in Baghdad. He said they would not disarm.")
    he = resolve_pronoun(doc, token_index(doc, "He"))
    they = resolve_pronoun(doc, token_index(doc, "they"))
    assert he is not None and he.name == "Qais al-Khazali"
    assert they is not None and they.type in ("armed_group", "organization")


def test_definite_descriptions(nlp: Language) -> None:
    doc = nlp("Mustafa al-Kadhimi ordered the raid on Kata'ib Hezbollah. The prime minister said the militia "
              "had planned attacks.")
    doc._.ec_article = Article(id="t", text=doc.text, published=DateValue(
        "2020-06-27", "day", earliest=date(2020, 6, 27), latest=date(2020, 6, 27)))
    minister = resolve_pronoun(doc, token_index(doc, "minister"))
    militia = resolve_pronoun(doc, token_index(doc, "militia"))
    assert minister is not None and minister.actor_id == KADHIMI
    assert militia is not None and militia.actor_id == "local:kh"


def test_document_actors_roles_in_time_and_membership(nlp: Language) -> None:
    doc = nlp("Mustafa al-Kadhimi ordered the raid. Members of Kata'ib Hezbollah and Asa'ib Ahl al-Haq, "
              "both part of the Popular Mobilization Forces, were detained. Kadhimi defended it.")
    actors = {actor.id: actor for actor in document_actors(doc, on=date(2020, 6, 25))}
    assert "Prime Minister" in [role.role for role in actors[KADHIMI].roles]
    assert len(actors[KADHIMI].mentions) == 2
    assert PMF in actors["local:kh"].member_of and PMF in actors["local:aah"].member_of
    assert actors["local:kh"].code == "IRQREB"
    old = {actor.id: actor for actor in document_actors(doc, on=date(2015, 1, 1))}
    assert "Prime Minister" not in [role.role for role in old[KADHIMI].roles]


def test_document_actors_composite_code(nlp: Language) -> None:
    doc = nlp("Iraqi forces advanced.")
    actor = document_actors(doc)[0]
    assert (actor.id, actor.code, actor.type, actor.country) == ("local:IRQ-military", "IRQMIL", "military", "IRQ")


def test_titles_before_names_are_not_composite_actors(nlp: Language) -> None:
    doc = nlp("Iraqi Prime Minister Mustafa al-Kadhimi met Turkish President Recep Tayyip Erdogan.")
    assert not any(m.actor_id.endswith("-government") for m in mentions(doc))
    assert {m.name for m in mentions(doc) if m.type == "person"} >= {"Mustafa al-Kadhimi", "Recep Tayyip Erdogan"}


def test_source_phrases_stop_at_line_breaks(nlp: Language) -> None:
    doc = nlp("Is this the end of the deal?\n\nSources said talks would resume.")
    sources = [m for m in mentions(doc) if m.type == "unknown"]
    assert [m.text for m in sources] == ["Sources"]


def test_an_acronym_of_an_actor_named_in_full_before_is_that_actor(nlp: Language) -> None:
    doc = nlp("Hewlett-Packard said on Monday it would buy a consulting firm. HP did not disclose the price.")
    found = by_text(doc)
    assert found["HP"].actor_id == found["Hewlett-Packard"].actor_id


def test_capitals_after_a_clock_time_are_its_zone_not_an_actor(nlp: Language) -> None:
    doc = nlp("The earthquake struck on Tuesday at 07:37 a.m. UTC, the agency said.")
    assert "UTC" not in by_text(doc)


def test_a_title_is_no_part_of_a_transliterated_name(nlp: Language) -> None:
    # By consonants alone "Mr Brown" is "Amery Browne" (m-r b-r-w-n), a person in the registry.
    doc = nlp("Chancellor Gordon Brown spoke on Monday. Mr Brown also wants other nations to match his target.")
    assert {mention.name for mention in mentions(doc)} == {"Gordon Brown"}
    assert all(mention.how != "skeleton" for mention in mentions(doc))
