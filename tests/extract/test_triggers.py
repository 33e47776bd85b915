"""``eventcoder_triggers`` on sentences written in the style of wire news from many conflicts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventcoder.annotations import Trigger
from eventcoder.extract.lexicon import Lexicon
from eventcoder.extract.triggers import TriggerFinder


@pytest.fixture(scope="module")
def nlp(model_with: Callable[[str], Language]) -> Language:
    return model_with("eventcoder_triggers")


def triggers(nlp: Language, text: str) -> list[Trigger]:
    doc: Doc = nlp(text)
    return list(doc._.ec_triggers)


def by_text(found: list[Trigger]) -> dict[str, Trigger]:
    return {trigger.text: trigger for trigger in found}


TYPE_CASES = [
    ("The two parties agreed to a permanent ceasefire on Sunday.", "agreed", "AGREE"),
    ("Ethiopia's prime minister pledged to rebuild the region.", "pledged", "AGREE"),
    ("Blinken met Saudi Crown Prince Mohammed bin Salman in Riyadh.", "met", "CONSULT"),
    ("President Ruto will visit Washington next month.", "visit", "CONSULT"),
    ("The African Union welcomed the election results.", "welcomed", "SUPPORT"),
    ("Both governments signed a trade agreement in Hanoi.", "signed", "SUPPORT"),
    ("The protesters capitulated after three weeks.", "capitulated", "CONCEDE"),
    ("Colombia and Ecuador agreed to cooperate on border security.", "cooperate", "COOPERATE"),
    ("Japan donated $20 million to the World Food Programme.", "donated", "AID"),
    ("Russian troops withdrew from the city of Kherson.", "withdrew", "RETREAT"),
    ("The junta released 30 political prisoners on Tuesday.", "released", "RETREAT"),
    ("The union demanded higher wages for nurses.", "demanded", "REQUEST"),
    ("Seoul accused Pyongyang of launching a spy satellite.", "accused", "ACCUSE"),
    ("The European Commission condemned the crackdown in Minsk.", "condemned", "ACCUSE"),
    ("Hamas rejected the Israeli proposal.", "rejected", "REJECT"),
    ("Iran threatened to close the Strait of Hormuz.", "threatened", "THREATEN"),
    ("Farmers protested outside the parliament in Paris.", "protested", "PROTEST"),
    ("Washington sanctioned three Chinese companies.", "sanctioned", "SANCTION"),
    ("The army deployed additional troops to the northern border.", "deployed", "MOBILIZE"),
    ("Police arrested the opposition leader in Dhaka.", "arrested", "COERCE"),
    ("Security forces raided the newspaper's offices in Istanbul.", "raided", "COERCE"),
    ("Gunmen killed eleven villagers in Zamfara state.", "killed", "ASSAULT"),
    ("Russian forces shelled Kharkiv overnight.", "shelled", "ASSAULT"),
]


@pytest.mark.parametrize(("text", "trigger", "plover_type"), TYPE_CASES)
def test_each_plover_type_is_found(nlp: Language, text: str, trigger: str, plover_type: str) -> None:
    found = by_text(triggers(nlp, text))
    assert trigger in found, [t.text for t in found.values()]
    assert found[trigger].sense.type == plover_type


def test_every_plover_type_is_covered_by_the_sentences_above() -> None:
    covered = {plover_type for _text, _trigger, plover_type in TYPE_CASES}
    assert covered == set(Lexicon.default().plover_types())


def test_offsets_point_into_the_text_and_are_sorted(nlp: Language) -> None:
    text = "Troops stormed the compound, detained 14 men and later released four of them."
    found = triggers(nlp, text)
    assert [t.text for t in found] == ["stormed", "detained", "released"]
    for trigger in found:
        assert text[trigger.start : trigger.end] == trigger.text
    assert [t.start for t in found] == sorted(t.start for t in found)


def test_several_events_in_one_sentence(nlp: Language) -> None:
    found = triggers(nlp, "Police raided the camp and arrested dozens of migrants.")
    assert [(t.lemma, t.sense.type, t.sense.mode) for t in found] == [
    ("raid", "COERCE", "seize"), ("arrest", "COERCE", "arrest"),
    ]
    assert "governor" not in found[1].extra  # coordination is not government


def test_phrasal_verb_with_negation(nlp: Language) -> None:
    found = by_text(triggers(nlp, "The militia did not hand over its weapons to the army."))
    trigger = found["hand over"]
    assert trigger.sense.type == "CONCEDE" and trigger.sense.negated_type == "REJECT"
    assert trigger.extra["particle"] == "over" and trigger.extra["negated"] == "true"


def test_verb_with_a_fixed_preposition(nlp: Language) -> None:
    found = by_text(triggers(nlp, "The UN Secretary-General called for an immediate humanitarian truce."))
    assert found["called"].sense.type == "REQUEST" and found["called"].extra["cue"] == "for"
    assert found["called"].sense.fold == "complement"


@pytest.mark.parametrize(
    ("text", "noun", "support", "plover_type"),
    [
        ("Insurgents carried out attacks on two police stations.", "attacks", "carry", "ASSAULT"),
        ("The army launched an offensive against the rebels.", "offensive", "launch", "ASSAULT"),
        ("The foreign ministers held talks in Ankara.", "talks", "hold", "CONSULT"),
        ("Soldiers opened fire on the crowd.", "fire", "open", "ASSAULT"),
        ("The ministry issued a warning to shipping companies.", "warning", "issue", "THREATEN"),
        ("The government made a promise to rebuild the bridge.", "promise", "make", "AGREE"),
        ("Brussels imposed sanctions on two oligarchs.", "sanctions", "impose", "SANCTION"),
        ("Dock workers went on strike in Antwerp.", "strike", "go", "PROTEST"),
        ("The air force launched strikes on militant camps.", "strikes", "launch", "ASSAULT"),
    ],
)
def test_light_verbs_hand_the_event_to_their_noun(
    nlp: Language, text: str, noun: str, support: str, plover_type: str
) -> None:
    found = triggers(nlp, text)
    trigger = by_text(found)[noun]
    assert trigger.pos == "NOUN" and trigger.extra["support_lemma"] == support
    assert all(t.lemma != support for t in found)  # the light verb is no trigger
    assert trigger.sense.type == plover_type


def test_set_fire_is_one_assault(nlp: Language) -> None:
    found = triggers(nlp, "Rioters set fire to a police station in Dhaka.")
    assert [(t.text, t.sense.type) for t in found] == [("set", "ASSAULT")]


def test_noun_modifiers_choose_the_mode(nlp: Language) -> None:
    found = by_text(triggers(nlp, "A drone attack hit the airport, days after a hunger strike began."))
    assert found["attack"].sense.mode == "drone"
    assert found["strike"].sense.type == "PROTEST" and found["strike"].sense.mode == "hunger"


def test_object_class_chooses_between_senses(nlp: Language) -> None:
    found = by_text(triggers(nlp, "The rebels captured Kabul after the army disarmed the guards."))
    assert found["captured"].sense.mode == "seize"
    assert found["disarmed"].sense.type == "COERCE"
    alone = by_text(triggers(nlp, "The militia agreed to disarm."))
    assert alone["disarm"].sense.type == "RETREAT" and alone["disarm"].sense.frame == "self"


@pytest.mark.parametrize(
    ("text", "noun", "plover_type"),
    [
        ("The raid on the warehouse lasted two hours.", "raid", "COERCE"),
        ("Macron's visit to Algiers was postponed.", "visit", "CONSULT"),
        ("The arrest of the journalist drew criticism.", "arrest", "COERCE"),
        ("The release of the hostages is expected on Friday.", "release", "RETREAT"),
        ("Threats against election officials have increased.", "Threats", "THREATEN"),
        ("Thousands joined the protest in Tbilisi.", "protest", "PROTEST"),
        ("The deal was reached after months of negotiations.", "deal", "AGREE"),
        ("The surrender of the garrison ended the siege.", "surrender", "RETREAT"),
    ],
)
def test_event_nouns(nlp: Language, text: str, noun: str, plover_type: str) -> None:
    found = by_text(triggers(nlp, text))
    assert found[noun].pos == "NOUN" and found[noun].sense.type == plover_type


def test_decision_to_act_takes_the_type_of_the_act(nlp: Language) -> None:
    found = triggers(nlp, "The parliament's decision to expel foreign diplomats angered Moscow.")
    assert [t.text for t in found] == ["decision"]
    decision = found[0]
    assert decision.sense.type == "SANCTION" and decision.extra["complement_lemma"] == "expel"


def test_a_curated_object_cue_names_the_event_once(nlp: Language) -> None:
    found = triggers(nlp, "The United States lifted sanctions on Venezuela's oil sector.")
    assert [(t.text, t.sense.type) for t in found] == [("lifted", "RETREAT")]


def test_complement_of_a_folding_verb_is_recorded(nlp: Language) -> None:
    found = by_text(triggers(nlp, "North Korea warned that it would strike US bases."))
    assert found["warned"].sense.fold == "complement"
    assert found["warned"].extra["complement_lemma"] == "strike"
    assert found["strike"].sense.type == "ASSAULT"


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the talks had been useful.",
        "Officials told reporters that the situation is calm.",
        "The president announced on Monday that he would seek a second term.",
        "The company has been in business for forty years.",
        "The detained activists were held in Evin prison.",
    ],
)
def test_report_verbs_auxiliaries_and_copulas_are_not_triggers(nlp: Language, text: str) -> None:
    lemmas = {t.lemma for t in triggers(nlp, text)}
    assert not lemmas & {"say", "tell", "announce", "be", "have", "seek", "do", "detain", "hold"}


def test_deny_is_a_trigger(nlp: Language) -> None:
    found = by_text(triggers(nlp, "The Kremlin denied the allegations."))
    assert found["denied"].sense.type == "REJECT"


def test_cameo_scales_match_the_cameo_table(nlp: Language) -> None:
    lexicon = Lexicon.default()
    text = "Rebels ambushed a convoy, kidnapped two engineers and burned a church."
    for trigger in triggers(nlp, text):
        sense = trigger.sense
        assert sense.cameo is not None
        assert sense.goldstein == lexicon.cameo_info(sense.cameo)[1]
        assert sense.quad_class == lexicon.quad_class_for_type(sense.type) == 4


def test_component_reuses_the_process_lexicon(nlp: Language) -> None:
    finder = nlp.get_pipe("eventcoder_triggers")
    assert isinstance(finder, TriggerFinder) and finder.lexicon is Lexicon.default()


def test_batch_processing_gives_the_same_triggers(nlp: Language) -> None:
    texts = ["Police arrested two men.", "Talks resumed in Doha.", "Nothing happened."]
    piped = [[t.text for t in doc._.ec_triggers] for doc in nlp.pipe(texts)]
    assert piped == [[t.text for t in triggers(nlp, text)] for text in texts]


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Government troops captured two militants near the border.", "arrest"),
        ("Government troops captured the town after heavy fighting.", "seize"),
        ("Government troops captured a weapons depot.", "seize"),
    ],
)
def test_object_noun_class_separates_arrest_from_seizure(nlp: Language, text: str, mode: str) -> None:
    assert by_text(triggers(nlp, text))["captured"].sense.mode == mode


def test_expelling_diplomats_is_a_sanction(nlp: Language) -> None:
    found = by_text(triggers(nlp, "Lithuania expelled three Russian diplomats on Friday."))
    assert found["expelled"].sense.type == "SANCTION"


def test_verbs_inside_hyphenated_modifiers_are_not_triggers(nlp: Language) -> None:
    found = triggers(nlp, "Police found several ready-to-fire rockets in the truck.")
    assert [t.lemma for t in found] == []


def test_declining_to_comment_is_not_a_rejection(nlp: Language) -> None:
    assert triggers(nlp, "The embassy declined to comment on the report.") == []
    found = by_text(triggers(nlp, "The embassy declined to extend the visas."))
    assert found["declined"].sense.type == "REJECT"


@pytest.mark.parametrize(
    "text",
    [
        "The ministry issued a press release on Tuesday.",
        "Troops were sent in order to restore calm.",
        "The reform has attracted a great deal of attention.",
    ],
)
def test_noun_uses_that_name_no_event(nlp: Language, text: str) -> None:
    assert {t.lemma for t in triggers(nlp, text)} <= {"restore"}


def test_prisoner_exchange_and_ended_agreements(nlp: Language) -> None:
    found = by_text(triggers(nlp, "Kyiv and Moscow swapped 90 prisoners, and Niger revoked a defence pact with Paris."))
    assert found["swapped"].sense.type == "RETREAT"
    assert found["revoked"].sense.type == "SANCTION" and "pact" not in found


def test_temporal_prepositions_do_not_govern(nlp: Language) -> None:
    found = by_text(triggers(nlp, "The UN called for talks after clashes in the north."))
    assert found["talks"].extra["governor"] == str(found["called"].token)
    assert "governor" not in found["clashes"].extra


def test_setting_fire_to_flags_is_a_protest(nlp: Language) -> None:
    found = triggers(nlp, "Demonstrators set fire to American flags outside the consulate.")
    assert [(t.text, t.sense.type) for t in found] == [("set", "PROTEST")]


def test_halting_attacks_is_one_retreat_event(nlp: Language) -> None:
    found = triggers(nlp, "The militia agreed to halt attacks on the pipeline.")
    assert [(t.lemma, t.sense.type) for t in found] == [("agree", "AGREE"), ("halt", "RETREAT")]
