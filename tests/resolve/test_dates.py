"""Date expressions on sentences in the style of wire and newspaper reports.

Every expected value keeps the precision the sentence gives: a month stays a
month, "a few months ago" stays a range, and no test accepts an invented day.
"""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventcoder.annotations import DateMention
from eventcoder.model import Article, DateValue
from eventcoder.pipeline import bare_nlp
from eventcoder.resolve import dates  # noqa: F401  (registers the component)
from eventcoder.resolve.dates import (
    day_value,
    governing_date,
    infer_published,
    parse_dateline,
    resolve_date_expression,
    resolve_event_relative,
)

WEDNESDAY = date(2020, 7, 1)


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = bare_nlp()
    pipeline.add_pipe("eventcoder_dates")
    return pipeline


def annotate(nlp: Language, text: str, published: DateValue | None = None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.ec_article = Article(id="t", text=text, published=published or day_value(WEDNESDAY))
    for _, process in nlp.pipeline:
        doc = process(doc)
    return doc


def token_index(doc: Doc, word: str) -> int:
    return next(token.i for token in doc if token.text == word)


def mention_with(doc: Doc, words: str) -> DateMention:
    return next(mention for mention in doc._.ec_dates if words in mention.text)


# --- absolute dates ----------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "precision"), [
    ("The attack took place on March 15, 2019, in Christchurch.", "2019-03-15", "day"),
    ("Protests erupted on 4 August 2020 after the explosion at the port.", "2020-08-04", "day"),
    ("The ministry said in a statement dated 2021-01-06 that it would respond.", "2021-01-06", "day"),
    ("In June 2014, the militants seized the city of Mosul.", "2014-06", "month"),
    ("The accord was signed in 2015 by six world powers.", "2015", "year"),
    ("The group was founded in the 1990s.", "1990", "range"),
    ("The country was occupied from 2003 to 2011.", "2003", "range"),
    ("Fighting intensified in early June 2020, residents said.", "2020-06", "range"),
])
def test_absolute_dates_keep_the_precision_they_state(text: str, value: str, precision: str) -> None:
    resolved = resolve_date_expression(text, WEDNESDAY)
    assert (resolved.value, resolved.precision) == (value, precision)


def test_a_month_and_year_covers_the_whole_month() -> None:
    resolved = resolve_date_expression("In June 2014", None)
    assert (resolved.earliest, resolved.latest) == (date(2014, 6, 1), date(2014, 6, 30))


# --- year-less and weekday dates ---------------------------------------------

def test_a_yearless_day_takes_the_reference_year() -> None:
    resolved = resolve_date_expression("rioters stormed the Capitol on January 6", date(2021, 1, 8))
    assert (resolved.value, resolved.precision) == ("2021-01-06", "day")


def test_a_yearless_day_after_the_reference_falls_in_the_year_before() -> None:
    resolved = resolve_date_expression("the ceasefire collapsed on December 31", date(2021, 1, 3))
    assert resolved.value == "2020-12-31"


def test_a_yearless_day_without_reference_is_unknown() -> None:
    assert resolve_date_expression("on June 29", None).precision == "unknown"


@pytest.mark.parametrize(("text", "value"), [
    ("Police said on Monday that they had detained three men.", "2020-06-29"),
    ("The minister resigned on Wednesday.", "2020-07-01"),  # the reference day itself
    ("The talks ended last Wednesday without agreement.", "2020-06-24"),
    ("A car bomb exploded on Friday night near the market.", "2020-06-26"),
])
def test_weekdays_are_the_latest_such_day_on_or_before_the_reference(text: str, value: str) -> None:
    resolved = resolve_date_expression(text, WEDNESDAY)
    assert (resolved.value, resolved.precision) == (value, "day")


# --- relative to publication --------------------------------------------------

@pytest.mark.parametrize(("text", "value", "precision", "earliest", "latest"), [
    ("Two soldiers were killed yesterday.", "2020-06-30", "day", date(2020, 6, 30), date(2020, 6, 30)),
    ("The strike came two days ago.", "2020-06-29", "day", date(2020, 6, 29), date(2020, 6, 29)),
    ("He promised the reforms a month ago.", "2020-06", "month", date(2020, 6, 1), date(2020, 6, 30)),
    ("The envoy visited Kabul last week.", "2020-06", "range", date(2020, 6, 22), date(2020, 6, 28)),
    ("Parliament approved the budget earlier this month.", "2020-07", "month", date(2020, 7, 1),
     date(2020, 7, 31)),
    ("Turnout fell sharply in elections last year.", "2019", "year", date(2019, 1, 1), date(2019, 12, 31)),
    ("The firm was sold three years ago.", "2017", "year", date(2017, 1, 1), date(2017, 12, 31)),
])
def test_relative_expressions_resolve_against_the_publication_day(
        text: str, value: str, precision: str, earliest: date, latest: date) -> None:
    resolved = resolve_date_expression(text, WEDNESDAY)
    assert (resolved.value, resolved.precision, resolved.earliest, resolved.latest) == \
        (value, precision, earliest, latest)


def test_a_few_months_ago_is_a_range_that_ends_before_this_month() -> None:
    resolved = resolve_date_expression("The premier took office just a few months ago.", WEDNESDAY)
    assert resolved.precision == "range"
    assert resolved.earliest is not None and resolved.latest is not None
    assert resolved.latest < date(2020, 7, 1) and resolved.earliest <= date(2020, 5, 1)


@pytest.mark.parametrize("text", [
    "a few months ago", "several weeks ago", "in recent days", "last week", "earlier this year", "late last year",
    "mid-June", "in the coming weeks", "over the past two months", "over the weekend", "the past week",
])
def test_vague_expressions_never_claim_a_day(text: str) -> None:
    resolved = resolve_date_expression(text, WEDNESDAY)
    assert resolved.precision not in ("day", "unknown")
    assert resolved.earliest is not None and resolved.latest is not None and resolved.earliest < resolved.latest


def test_relative_expressions_without_reference_are_unknown_but_keep_their_text() -> None:
    resolved = resolve_date_expression("a month ago", None)
    assert (resolved.value, resolved.precision, resolved.text) == (None, "unknown", "a month ago")


def test_text_without_a_date_is_unknown() -> None:
    assert resolve_date_expression("The militia refused to disarm.", WEDNESDAY).precision == "unknown"


# --- anchored to another event -----------------------------------------------

RAID_DAY = day_value(date(2020, 6, 25))


@pytest.mark.parametrize(("text", "earliest", "latest"), [
    ("four days later", date(2020, 6, 29), date(2020, 6, 29)),
    ("the next day", date(2020, 6, 26), date(2020, 6, 26)),
    ("as soon as they were freed", date(2020, 6, 25), date(2020, 6, 26)),
    ("soon after their arrest", date(2020, 6, 25), date(2020, 7, 1)),
])
def test_event_anchored_expressions_follow_their_anchor(text: str, earliest: date, latest: date) -> None:
    resolved = resolve_event_relative(text, RAID_DAY, WEDNESDAY)
    assert (resolved.earliest, resolved.latest) == (earliest, latest)


def test_an_anchor_known_to_a_month_gives_no_day() -> None:
    resolved = resolve_event_relative("the next day", DateValue("2020-06", "month", None, date(2020, 6, 1),
                                                                 date(2020, 6, 30)), WEDNESDAY)
    assert resolved.precision == "range"


def test_an_unknown_anchor_gives_an_unknown_date() -> None:
    assert resolve_event_relative("two weeks later", DateValue.unknown()).precision == "unknown"


# --- publication date ---------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("Published: 30 June 2020\nIraqi forces raided a militia headquarters.", "2020-06-30"),
    ("June 30, 2020 — Iraqi forces raided a militia headquarters.", "2020-06-30"),
    ("BEIRUT, Aug 5 (Reuters) - Rescuers searched the port after the blast on Aug. 4, 2020.", "2020-08-05"),
])
def test_datelines_give_the_publication_day(text: str, value: str) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None and (dateline.value, dateline.precision) == (value, "day")


def test_a_dateline_says_where_it_is_and_dates_no_event(nlp: Language) -> None:
    text = "BAGHDAD, June 30 (Reuters) - Gunmen attacked a checkpoint on June 28, 2020, police said."
    dateline = parse_dateline(text)
    assert dateline is not None and dateline.span is not None
    assert text[dateline.span.start:dateline.span.end] == "BAGHDAD, June 30 (Reuters) -"
    doc = annotate(nlp, text)
    assert [mention.value.value for mention in doc._.ec_dates] == ["2020-06-28"]


def test_a_body_line_starting_with_released_is_no_dateline() -> None:
    assert parse_dateline("Released prisoners said on June 5, 2020 that they were beaten.") is None


def test_text_without_dateline_has_none() -> None:
    assert parse_dateline("Iraqi forces raided a militia headquarters on June 25, 2020.") is None


def test_inferred_publication_is_no_earlier_than_the_latest_reported_date() -> None:
    text = ("On June 25, 2020, forces raided the headquarters. The men were freed on June 29, 2020. "
            "Elections will be held in June 2021.")
    inferred = infer_published(text)
    assert inferred is not None
    assert (inferred.value, inferred.precision, inferred.earliest) == ("2020-06-29", "day", date(2020, 6, 29))
    assert inferred.latest is None and inferred.confidence < 1


def test_inferred_publication_from_a_year_is_a_year() -> None:
    inferred = infer_published("The group was formed in 2003 and fought in Syria in 2014.")
    assert inferred is not None and (inferred.value, inferred.precision) == ("2014", "year")


# --- the spaCy component and attachment --------------------------------------

def test_component_resolves_against_the_article_date(nlp: Language) -> None:
    doc = annotate(nlp, "On June 25, 2020, Iraqi forces raided the headquarters, a month ago police said.")
    values = {mention.text: (mention.value.value, mention.value.precision, mention.anchor) for mention in
              doc._.ec_dates}
    assert values["On June 25, 2020"] == ("2020-06-25", "day", None)
    assert values["a month ago"] == ("2020-06", "month", "published")


def test_component_without_publication_date_keeps_relative_text_unknown(nlp: Language) -> None:
    doc = annotate(nlp, "The minister resigned a month ago.", DateValue.unknown())
    mention = mention_with(doc, "month")
    assert (mention.value.precision, mention.text) == ("unknown", "a month ago")


@pytest.mark.parametrize(("text", "value"), [
    ("The ministers will meet on Monday.", "2020-07-06"),
    ("The ministers met on Monday.", "2020-06-29"),
    ("The vote is scheduled for September 20.", "2020-09-20"),
    ("The prisoners were freed on September 20.", "2019-09-20"),
])
def test_future_clauses_take_the_next_day_not_the_last(nlp: Language, text: str, value: str) -> None:
    doc = annotate(nlp, text)
    assert [mention.value.value for mention in doc._.ec_dates] == [value]


def test_event_anchors_name_their_anchor_word(nlp: Language) -> None:
    doc = annotate(nlp, "The 14 men were released soon after their arrest. As soon as they were freed, "
                        "they marched to the square.")
    arrest = mention_with(doc, "arrest")
    freed = mention_with(doc, "freed")
    assert arrest.anchor == freed.anchor == "event"
    assert doc[arrest.anchor_head].text == "arrest" and doc[freed.anchor_head].text == "freed"
    assert governing_date(doc, token_index(doc, "released")) == arrest
    assert governing_date(doc, token_index(doc, "marched")) == freed


def test_a_temporal_clause_anchors_on_its_verb_not_its_subject(nlp: Language) -> None:
    doc = annotate(nlp, "The bomb went off days after Taliban fighters attacked a checkpoint.")
    mention = mention_with(doc, "after")
    assert mention.anchor == "event" and mention.anchor_head is not None
    assert doc[mention.anchor_head].text == "attacked"


def test_conjuncts_share_the_left_edge_date(nlp: Language) -> None:
    doc = annotate(nlp, "On June 25, 2020, Iraqi forces raided the headquarters and arrested 14 men.")
    for verb in ("raided", "arrested"):
        governing = governing_date(doc, token_index(doc, verb))
        assert governing is not None and governing.value.value == "2020-06-25"


def test_dates_do_not_leak_across_clauses(nlp: Language) -> None:
    doc = annotate(nlp, "The spokesman said on Monday that the rebels had captured the town in March.")
    said, captured = governing_date(doc, token_index(doc, "said")), governing_date(doc, token_index(doc, "captured"))
    assert said is not None and said.value.value == "2020-06-29"
    assert captured is not None and captured.value.value == "2020-03"


def test_a_clause_without_a_date_has_none(nlp: Language) -> None:
    doc = annotate(nlp, "Militia leaders warned the premier on Tuesday. The government has not responded.")
    assert governing_date(doc, token_index(doc, "responded")) is None
