"""The scraped-page line rules one by one, on lines of many sites' shapes."""

from __future__ import annotations

from datetime import date

import pytest

from eventcoder.ingest.dates import find_dateline, parse_metadata_date
from eventcoder.ingest.page import category_items, clean_page, is_caption, is_chrome, split_lines


@pytest.mark.parametrize("line", [
    "Soldiers patrol a market in Mosul, Iraq, March 2, 2017. (AP Photo/Felipe Dana)",
    "The released militiamen burning flags. (Someaccount/Twitter)",
    "A rocket launcher seized by police on June 25. (Provincial Police Command)",
    "President Ruto with his cabinet (State House Kenya, 2023)",
    "Photo: Ministry of Defence",
    "Image: Sarah Jones/Getty",
    "Photo by Jane Doe/Reuters",
    "A man walks past a damaged building in Kharkiv, Ukraine, May 15, 2022. REUTERS/Ivan Petrov",
    "Police fire tear gas at protesters in Nairobi. Photograph: Brian Otieno/AFP",
    "Protesters gather outside parliament | Getty Images",
    "Image source, Reuters",
    "Getty Images",
    "Rescue workers search the rubble (Reuters)",
    "Smoke rises over the city after an air strike on Sunday. AFP via Getty Images",
])
def test_caption_shapes(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize("line", [
    "Iraqi forces raided the headquarters of the militia (Kataib Hezbollah), officials said.",
    "The Popular Mobilization Forces (PMF)",
    "The Iran-Iraq War (1980-1988)",
    "The ministry said the talks would resume after the holiday (local time).",
    "Fighting continued through the night in several districts of the city",
    "Members of parliament voted 120 to 87 in favour of the motion.",
])
def test_body_and_heading_lines_are_not_captions(line: str) -> None:
    assert not is_caption(line)


@pytest.mark.parametrize("line", [
    "Skip to main content", "Menu", "Search for:", "Share this:", "Subscribe", "Advertisement",
    "Home | World | Business | Opinion", "4 min read", "Updated 2 hours ago", "© 2024 Example Media Ltd.",
    "We use cookies to give you the best experience. By continuing you accept our use of cookies.",
    "Read more: Militia leader warns of retaliation", "Sign up for our morning briefing",
    "Follow Jane Doe on Twitter @janedoe", "Like Loading...", "Advertisement · Scroll to continue",
])
def test_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "Search teams found the bodies of three climbers on Sunday.",
    "Home to two million people, the city has been under siege since March.",
    "Share prices fell 4% after the announcement.",
])
def test_sentences_that_start_like_chrome_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_category_lines() -> None:
    assert category_items("Filed under: Iran, Iraq") == ["Iran", "Iraq"]
    assert category_items("Tags: #Sudan; Darfur | ceasefire talks") == ["Sudan", "Darfur", "ceasefire talks"]
    assert category_items("Posted in Middle East, Analysis") == ["Middle East", "Analysis"]
    assert category_items("Tagged as a terrorist organisation by the government, the group was banned.") == []
    assert category_items("Categories:") == []


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    text = ("Rebel fighters withdrew from the northern town of Kesh on Monday after\n"
            "three days of clashes with government forces, residents and aid workers\n"
            "said, leaving the area largely deserted.\n\n"
            "Second paragraph.")
    lines = split_lines(text)
    assert [line.text for line in lines] == [
        "Rebel fighters withdrew from the northern town of Kesh on Monday after three days of clashes with "
        "government forces, residents and aid workers said, leaving the area largely deserted.",
        "Second paragraph."]


def test_lowercase_continuation_is_joined_but_separate_lines_are_not() -> None:
    lines = split_lines("The minister, speaking in Cairo\non Tuesday, denied the report.\nAnother paragraph.")
    assert [line.text for line in lines] == [
        "The minister, speaking in Cairo on Tuesday, denied the report.", "Another paragraph."]


def test_title_is_the_heading_above_the_byline_not_the_site_name() -> None:
    page = clean_page(
        "Daily Courier\nNews you can trust\n\nFloods displace thousands in Bahia\n\nBy Ana Souza\n\n"
        "Heavy rains forced more than 12,000 people from their homes in the state of Bahia on Sunday, "
        "officials said.\n\nWhat comes next?\n\nRescue teams are still searching for the missing.")
    assert page.title == "Floods displace thousands in Bahia"
    assert page.site_name == "Daily Courier"
    assert page.paragraphs[0].startswith("Heavy rains") and "What comes next?" in page.paragraphs


def test_a_page_that_starts_with_the_body_has_no_title() -> None:
    page = clean_page("Heavy rains forced more than 12,000 people from their homes on Sunday, officials said.\n"
                      "Rescue teams are still searching.")
    assert page.title is None and len(page.paragraphs) == 2


def test_known_title_is_removed_even_with_a_site_suffix() -> None:
    body = "Negotiators left the talks on Friday without agreeing a date to return, mediators said."
    page = clean_page(f"Talks collapse in Doha as both sides walk out | Gulf Daily\n\n{body}",
                      title="Talks collapse in Doha as both sides walk out")
    assert page.paragraphs == [body]


def test_caption_pair_between_paragraphs_leaves_the_text() -> None:
    page = clean_page(
        "Troops entered the town at dawn, according to witnesses who spoke to reporters by phone.\n\n"
        "Soldiers at a checkpoint\nSoldiers stand at a checkpoint near the town, May 3, 2021. (Local Media)\n\n"
        "The army said it had restored order.")
    assert page.paragraphs == ["Troops entered the town at dawn, according to witnesses who spoke to reporters by "
                               "phone.", "The army said it had restored order."]
    assert page.captions[0] == "Soldiers at a checkpoint"


def test_dates() -> None:
    found = find_dateline("KYIV, Ukraine, Feb. 24, 2022 (AP) — Russian troops")
    assert found is not None and (found.day, found.text) == (date(2022, 2, 24), "Feb. 24, 2022")
    assert find_dateline("KYIV, Feb. 24 (AP) — Russian troops") is None
    assert find_dateline("the meeting on June 30, 2020 - it was") is None
    assert parse_metadata_date("2024-01-31T23:30:00-05:00") == date(2024, 1, 31)
    assert parse_metadata_date("31 January 2024") == date(2024, 1, 31)
    assert parse_metadata_date("January 2024") is None


def test_author_name_and_standfirst_under_the_headline() -> None:
    page = clean_page(
        "Minister heads to Baghdad as tensions rise\nHussein Karimi\nJanuary 5, 2020\n\n"
        "The foreign minister arrived in Baghdad on Sunday for talks with Iraqi leaders, the ministry said.")
    assert page.title == "Minister heads to Baghdad as tensions rise" and page.date_line == "January 5, 2020"
    assert page.paragraphs == [
        "The foreign minister arrived in Baghdad on Sunday for talks with Iraqi leaders, the ministry said."]
    page = clean_page(
        "Ministry vows response to strike on convoy\n"
        "Spokesman says the attackers will face consequences; two officers were killed near the border\n"
        "Regional Desk staff\nToday, 3:21 pm\n\n"
        "The ministry said on Tuesday that it would respond to the strike at a time of its choosing.\n\n"
        "— Jane Doe (@janedoe) June 30, 2020\n\n"
        "Officials gave no further details about the convoy or the officers who were killed.")
    assert page.title == "Ministry vows response to strike on convoy"
    assert page.paragraphs[0].startswith("Spokesman says")  # the standfirst stays in the text
    assert not any("@janedoe" in paragraph or "3:21" in paragraph or "staff" in paragraph
                   for paragraph in page.paragraphs)


def test_related_box_in_the_middle_does_not_end_the_article() -> None:
    page = clean_page(
        "Rebels shelled the outskirts of the city overnight, killing four civilians, the governor said.\n\n"
        "Related\nCeasefire talks stall in the capital\nAid convoy reaches besieged town\n\n"
        "The army said it had pushed the rebels back from two villages by Tuesday morning.\n\n"
        "Leave a Reply\nThis is a comment by a reader who disagrees with the article's account of events.")
    assert page.paragraphs == [
        "Rebels shelled the outskirts of the city overnight, killing four civilians, the governor said.",
        "The army said it had pushed the rebels back from two villages by Tuesday morning."]


@pytest.mark.parametrize("line", [
    "Regulators said websites must ask users to consent before placing tracking cookies on their devices.",
    "Copyright lawyers said the ruling would reshape the music industry.",
    "By contrast the militia has grown stronger since the election",
    "The sanctions were imposed jointly by the US/UK.",
    "Hospitals short of staff",
    "He was later released (Article 76 of the penal code)",
])
def test_news_sentences_that_resemble_furniture_stay_in_the_text(line: str) -> None:
    body = "Officials confirmed the figures on Monday in a statement released to reporters."
    page = clean_page(f"{body}\n\n{line}\n\n{body.replace('Monday', 'Tuesday')}")
    assert line in page.paragraphs


def test_wire_credit_lines_without_parentheses_leave_the_text() -> None:
    body = "Officials confirmed the figures on Monday in a statement released to reporters."
    credits = "Reporting by Ann Lee in Erbil; Editing by Tom Hart\n\nAdditional reporting by Sam Ray"
    page = clean_page(f"{body}\n\n{credits}")
    assert page.paragraphs == [body]
