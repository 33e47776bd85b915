"""The event stage end to end on short texts of our own writing, in the
styles of wire copy and analysis (none taken from the reference article)."""

from __future__ import annotations

from typing import Any

import pytest

import eventcoder
from eventcoder.model import Event, ExtractionResult


@pytest.fixture(scope="module")
def code() -> Any:
    def run(text: str, published: str = "2021-03-10") -> ExtractionResult:
        return eventcoder.extract(text, published=published)
    return run


def only(result: ExtractionResult, event_type: str) -> Event:
    found = [event for event in result.events if event.type == event_type]
    assert len(found) == 1, [(event.type, event.trigger.text) for event in result.events]
    return found[0]


def name(ref: Any) -> str | None:
    return ref.name if ref is not None else None


def test_offsets_reproduce_their_text(code: Any) -> None:
    result = code("On 3 March 2021, police in Lagos arrested two journalists. "
                  "“We will appeal,” their lawyer said.")
    text = result.article.text
    for event in result.events:
        assert text[event.evidence.start:event.evidence.end] == event.evidence.text
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
        for mention in event.mentions:
            assert text[mention.start:mention.end] == mention.text
    for quote in result.quotes:
        assert text[quote.start:quote.end] == quote.text
    for actor in result.actors:
        for mention in actor.mentions:
            assert text[mention.start:mention.end] == mention.text


def test_raid_and_arrest_in_one_sentence_are_two_events_with_shared_arguments(code: Any) -> None:
    result = code("On March 2, 2021, Nigerian police raided the Abuja offices of the Shiite group IMN "
                  "and arrested 12 members on suspicion of planning protests.")
    types = sorted(event.type for event in result.events if event.type == "COERCE")
    assert len(types) == 2
    for event in result.events:
        if event.type == "COERCE":
            assert event.date.value == "2021-03-02"
            assert name(event.actor) is not None


def test_claim_and_its_denial_are_linked(code: Any) -> None:
    result = code("Officials close to the governor claimed that the rebels were freed as part of a deal. "
                  "The rebel command has denied this.")
    deal = only(result, "AGREE")
    assert deal.modality == "claimed"
    assert deal.attributed_to is not None
    denial = only(result, "REJECT")
    assert denial.modality == "asserted"
    assert denial.id in deal.disputed_by


def test_according_to_attributes_and_makes_a_claim(code: Any) -> None:
    result = code("According to local residents, soldiers burned three villages near Goma.")
    event = result.events[0]
    assert event.attributed_to is not None
    assert "residents" in event.attributed_to.name
    assert event.modality in ("claimed", "asserted")


def test_conditional_threat_is_hypothetical_and_its_condition_no_event(code: Any) -> None:
    result = code("The group said it would attack government buildings if the army did not withdraw.")
    assert [event.type for event in result.events] == ["ASSAULT"]
    assert result.events[0].modality == "hypothetical"


def test_expected_visit_is_planned(code: Any) -> None:
    result = code("Analysts doubt that the president's expected visit to Moscow will change much.")
    visit = only(result, "CONSULT")
    assert visit.modality == "planned"
    assert name(visit.recipient) is not None


def test_refusal_told_as_not_handing_over_is_a_reject(code: Any) -> None:
    result = code("“We will not hand over our rifles,” the fighters shouted after their release.")
    reject = only(result, "REJECT")
    assert reject.modality == "asserted"


def test_quote_speaker_after_the_quote(code: Any) -> None:
    result = code("“The election was stolen and we will not accept it,” said opposition leader Bobi Wine.")
    assert len(result.quotes) == 1
    assert result.quotes[0].speaker is not None
    assert "Wine" in result.quotes[0].speaker.name


def test_threat_content_is_folded_into_the_threat(code: Any) -> None:
    result = code("The militia leader threatened the prime minister that he would work to topple him.")
    assert [event.type for event in result.events] == ["THREATEN"]


def test_question_headline_has_no_events(code: Any) -> None:
    result = code("Smoke over the border\n\nDid the army attack the convoy?\n\n"
                  "Witnesses said soldiers fired on the convoy on Monday.")
    assert [event.trigger.text for event in result.events] == ["fired"]


def test_accused_of_makes_the_accused_the_agent_and_the_content_alleged(code: Any) -> None:
    result = code("Ethiopia accused Sudanese troops of attacking its farmers on Sunday.")
    attack = only(result, "ASSAULT")
    assert attack.modality == "alleged"
    assert (attack.actor is not None and "Sudan" in attack.actor.name) or "troops" in attack.actor.name


def test_release_after_arrest_is_done_by_the_detainer_and_dated_after(code: Any) -> None:
    result = code("Police detained five activists in Harare on March 1, 2021. "
                  "The activists were released on March 4, 2021.")
    release = only(result, "RETREAT")
    assert release.date.value == "2021-03-04"
    arrest = only(result, "COERCE")
    assert release.actor == arrest.actor


def test_definite_reference_merges_into_the_first_report(code: Any) -> None:
    result = code("Gunmen attacked a police station in Maiduguri on Friday. "
                  "The attack was condemned by the governor.")
    attacks = [event for event in result.events if event.type == "ASSAULT"]
    assert len(attacks) == 1
    assert len(attacks[0].mentions) >= 2


def test_caption_is_a_low_weight_mention_of_the_body_event(code: Any) -> None:
    page = ("Protesters burned tyres in central Khartoum on Monday.\n\n"
            "Protesters burning tyres in Khartoum. (AFP/Twitter)\n\n"
            "Police fired tear gas at the crowd.")
    result = code(page)
    text = result.article.text
    assert "(AFP/Twitter)" not in text
    protests = [event for event in result.events if event.type == "PROTEST"]
    assert len(protests) == 1


def test_claimed_responsibility_makes_the_claimer_the_attacker(code: Any) -> None:
    result = code("The Houthis claimed responsibility for a drone attack on a Saudi oil facility on Friday.")
    attack = only(result, "ASSAULT")
    assert attack.modality == "claimed"
    assert attack.actor is not None and attack.actor == attack.attributed_to


def test_quote_inside_a_warning_is_the_warner_s(code: Any) -> None:
    result = code("The foreign ministry of Iran warned that Tehran would respond “at the right time and place.”")
    assert result.quotes and result.quotes[0].speaker is not None
    assert "Iran" in result.quotes[0].speaker.name or "ministry" in result.quotes[0].speaker.name


def test_he_in_a_later_quote_is_the_story_s_subject_not_the_last_name(code: Any) -> None:
    result = code("Police arrested supporters of Imran Khan in Lahore on Tuesday. "
                  "Interior Minister Rana Sanaullah denied the allegation. "
                  "Khan later told supporters in a video message that he would fight on. "
                  "“I will not bow before these crooks,” he said.")
    assert result.quotes[0].speaker is not None
    assert "Khan" in result.quotes[0].speaker.name


def test_rejected_accusation_disputes_the_alleged_events_only(code: Any) -> None:
    result = code("Turkey has reportedly deployed troops to northern Syria, according to opposition sources. "
                  "Ankara has not commented.\n\n"
                  "The SDF accused Turkey of shelling villages near Kobani on Sunday. "
                  "A Turkish official rejected the accusation.")
    rejection = only(result, "REJECT")
    shelling = only(result, "ASSAULT")
    assert shelling.modality == "alleged"
    assert rejection.id in shelling.disputed_by
    deployment = only(result, "MOBILIZE")
    assert rejection.id not in deployment.disputed_by


def test_capital_as_actor_is_its_country(code: Any) -> None:
    result = code("Washington urged Ankara to show restraint on Monday.")
    request = only(result, "REQUEST")
    assert name(request.actor) == "United States"
    assert request.recipient is not None and request.recipient.name in ("Turkey", "Türkiye")


def test_raised_subject_of_expected_travel_is_the_traveller(code: Any) -> None:
    result = code("U.S. envoy James Jeffrey is expected to travel to Ankara next week.")
    visit = only(result, "CONSULT")
    assert visit.modality == "planned"
    assert visit.actor is not None and "Jeffrey" in visit.actor.name


def test_a_warning_about_what_others_may_do_reports_it(code: Any) -> None:
    result = code("Rebels could attack the capital within days, analysts warned.")
    assert [event.type for event in result.events] == ["ASSAULT"]
    attack = result.events[0]
    assert attack.modality == "hypothetical"
    assert name(attack.attributed_to) == "analysts"


def test_planner_is_the_actor_and_the_sayer_the_source(code: Any) -> None:
    result = code("Iran plans to hold talks with Saudi Arabia in Baghdad next month, a senior official said.")
    talks = only(result, "CONSULT")
    assert talks.modality == "planned"
    assert name(talks.actor) == "Iran"
    assert talks.attributed_to is not None and "official" in talks.attributed_to.name


def test_denied_content_keeps_the_denier_s_forces_as_actor(code: Any) -> None:
    result = code("Moscow denied that its forces had bombed the hospital.")
    bombing = only(result, "ASSAULT")
    denial = only(result, "REJECT")
    assert bombing.modality == "denied"
    assert bombing.actor is not None and bombing.actor == denial.actor
    assert denial.id in bombing.disputed_by


def test_acronym_defined_in_the_text_beats_the_registry_s(code: Any) -> None:
    result = code("The army and the paramilitary Rapid Support Forces (RSF) fought in Khartoum on Saturday. "
                  "The RSF said its fighters had taken over the airport.")
    names = {actor.name for actor in result.actors}
    assert "Rapid Support Forces" in names
    seizure = only(result, "COERCE")
    assert name(seizure.actor) == "Rapid Support Forces"


def test_two_kinds_of_attack_by_one_army_stay_two_events(code: Any) -> None:
    result = code("The army fought fierce battles with the rebels on Saturday. "
                  "The army said its air force had carried out strikes on rebel bases near the capital.")
    assaults = [event for event in result.events if event.type == "ASSAULT"]
    assert len(assaults) == 2
