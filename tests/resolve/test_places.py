"""Place mentions geocoded in context, on sentences in the style of news reports."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventcoder.annotations import PlaceMention
from eventcoder.model import Article
from eventcoder.pipeline import bare_nlp
from eventcoder.resolve import places  # noqa: F401  (registers the component)
from eventcoder.resolve.dates import day_value
from eventcoder.resolve.places import document_place, focus_country, governing_place


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = bare_nlp()
    pipeline.add_pipe("eventcoder_places")
    return pipeline


def annotate(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.ec_article = Article(id="t", text=text, published=day_value(date(2020, 7, 1)))
    for _, process in nlp.pipeline:
        doc = process(doc)
    return doc


def place_named(doc: Doc, text: str) -> PlaceMention:
    return next(mention for mention in doc._.ec_places if mention.text == text)


def governing(doc: Doc, word: str) -> PlaceMention | None:
    return governing_place(doc, next(token.i for token in doc if token.text == word))


# --- ambiguous names resolved by the document ---------------------------------

def test_tripoli_in_a_lebanon_story_is_lebanese(nlp: Language) -> None:
    doc = annotate(nlp, "Gunmen opened fire on an army patrol in Tripoli on Monday, killing two soldiers, "
                        "the Lebanese army said. Troops were also deployed in Sidon and Beirut.")
    tripoli = place_named(doc, "Tripoli").place
    assert (tripoli.country, tripoli.feature) == ("LBN", "city")
    focus = focus_country(doc)
    assert focus is not None and focus.country == "LBN"


def test_tripoli_in_a_libya_story_is_libyan(nlp: Language) -> None:
    doc = annotate(nlp, "Rockets hit the airport in Tripoli on Sunday, Libyan officials said, as fighting "
                        "spread toward Misrata.")
    assert place_named(doc, "Tripoli").place.country == "LBY"


def test_paris_beside_texas_is_the_texan_town(nlp: Language) -> None:
    doc = annotate(nlp, "Police in Paris, Texas, arrested two men after a shooting on Saturday. The suspects "
                        "were taken to Dallas.")
    paris = place_named(doc, "Paris").place
    assert (paris.country, paris.admin1) == ("USA", "Texas")


def test_paris_alone_is_the_french_capital(nlp: Language) -> None:
    doc = annotate(nlp, "Police in Paris arrested two men near the Eiffel Tower, French officials said.")
    assert place_named(doc, "Paris").place.country == "FRA"


def test_a_world_city_is_not_displaced_by_a_small_namesake_in_the_focus_country(nlp: Language) -> None:
    doc = annotate(nlp, "WASHINGTON (AP) - The United States said Thursday it would expel diplomats after "
                        "protests in Moscow. Senators in Washington and governors in Ohio and Texas welcomed it.")
    assert place_named(doc, "Moscow").place.country == "RUS"


def test_a_state_named_beside_its_city_is_the_state(nlp: Language) -> None:
    doc = annotate(nlp, "In Georgia, the governor signed the voting bill in Atlanta on Thursday.")
    georgia = place_named(doc, "Georgia").place
    assert (georgia.country, georgia.feature) == ("USA", "admin1")


# --- what is and is not a place ------------------------------------------------

def test_a_building_is_not_an_old_name_of_a_city(nlp: Language) -> None:
    doc = annotate(nlp, "The president spoke to reporters at the White House on Monday.")
    assert all(mention.place.name != "Casablanca" for mention in doc._.ec_places)


def test_demonyms_are_not_places_but_count_for_the_focus(nlp: Language) -> None:
    doc = annotate(nlp, "Iraqi forces and Iranian advisers met on Monday. Iraqi officials said the talks went well.")
    assert doc._.ec_places == []
    focus = focus_country(doc)
    assert focus is not None and focus.country == "IRQ"


def test_a_city_modifying_a_noun_is_found_and_places_the_event(nlp: Language) -> None:
    doc = annotate(nlp, "Security forces raided the Baghdad headquarters of the militia and arrested 14 men.")
    baghdad = place_named(doc, "Baghdad")
    assert (baghdad.place.country, baghdad.place.feature) == ("IRQ", "city")
    for verb in ("raided", "arrested"):  # conjuncts share their place
        found = governing(doc, verb)
        assert found is not None and found.place.name == "Baghdad"


def test_the_center_of_a_city_places_the_event_in_the_city(nlp: Language) -> None:
    doc = annotate(nlp, "As soon as they were freed, the men went to the center of Baghdad to celebrate.")
    found = governing(doc, "went")
    assert found is not None and found.place.name == "Baghdad"


def test_in_the_country_is_the_focus_country(nlp: Language) -> None:
    doc = annotate(nlp, "Iraq's parliament voted to expel foreign troops. Militias have launched rocket attacks "
                        "on bases in the country, Iraqi officials said.")
    found = governing(doc, "launched")
    assert found is not None and found.text == "the country" and found.place.country == "IRQ"
    assert found.place.feature == "country"


def test_the_capital_is_the_capital_of_the_country_described(nlp: Language) -> None:
    doc = annotate(nlp, "A car bomb exploded in the Iraqi capital on Sunday. Lebanese troops deployed in Tripoli, "
                        "and protesters later marched in the capital.")
    exploded, marched = governing(doc, "exploded"), governing(doc, "marched")
    assert exploded is not None and (exploded.place.name, exploded.place.country) == ("Baghdad", "IRQ")
    assert marched is not None and marched.place.feature == "city"


def test_a_place_in_another_clause_does_not_place_the_event(nlp: Language) -> None:
    doc = annotate(nlp, "The minister, who was born in Beirut, resigned in Paris on Tuesday.")
    found = governing(doc, "resigned")
    assert found is not None and found.place.name == "Paris"


def test_an_unknown_site_takes_the_place_that_qualifies_it(nlp: Language) -> None:
    doc = annotate(nlp, "A roadside bomb killed three people in Kabul's Green Zone on Tuesday.")
    found = governing(doc, "killed")
    assert found is not None and "Green Zone" in found.text
    assert found.place.country == "AFG" and found.place.geonameid is None


def test_a_conjunct_with_its_own_subject_keeps_its_own_place(nlp: Language) -> None:
    doc = annotate(nlp, "Talks in Doha stalled earlier this month, and the militants signed a truce with the army.")
    stalled = governing(doc, "stalled")
    assert stalled is not None and stalled.place.name == "Doha"
    assert governing(doc, "signed") is None


def test_a_where_clause_happens_at_its_antecedent(nlp: Language) -> None:
    doc = annotate(nlp, "The men went to the center of Baghdad to celebrate, where they trampled images of "
                        "the premier.")
    found = governing(doc, "trampled")
    assert found is not None and found.place.name == "Baghdad"


def test_unknown_names_that_nothing_locates_are_not_places(nlp: Language) -> None:
    doc = annotate(nlp, "The fighters said they would hand their weapons only to Imam Al-Mahdi.")
    assert all(mention.place.country is not None for mention in doc._.ec_places)


def test_countries_acting_are_not_locations(nlp: Language) -> None:
    doc = annotate(nlp, "Iran pressured Iraq to release the detained fighters.")
    assert governing(doc, "pressured") is None


def test_a_clause_without_a_place_has_none(nlp: Language) -> None:
    doc = annotate(nlp, "Fighting broke out in Mosul. The government has not responded.")
    assert governing(doc, "responded") is None


def test_document_place_is_the_most_named_local_place(nlp: Language) -> None:
    doc = annotate(nlp, "Protesters gathered in Basra on Friday. Police in Basra fired tear gas, Iraqi officials "
                        "said, while smaller rallies took place in Najaf.")
    place = document_place(doc)
    assert place is not None and place.name.startswith("Basra") and place.country == "IRQ"


def test_document_without_places_has_no_document_place(nlp: Language) -> None:
    doc = annotate(nlp, "The committee will meet again next week.")
    assert document_place(doc) is None and focus_country(doc) is None
