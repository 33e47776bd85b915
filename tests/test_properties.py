"""Property-based tests: on any text, ``extract`` returns a valid OUTPUT.md
document whose offsets reproduce their spans, or raises an EventcoderError."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcoder.api import extract
from eventcoder.errors import EventcoderError
from eventcoder.model import ACTOR_TYPES, MODALITIES, SCHEMA

PRECISIONS = {"day", "month", "year", "range", "unknown"}
PUBLISHED_SOURCES = {"argument", "metadata", "inferred", "unknown"}

# Pieces of news prose, so that generated texts reach the event stages too.
WORDS = [
    "Police", "arrested", "two", "men", "in", "Lagos", "on", "Monday", "the", "minister", "said", "that",
    "rebels", "attacked", "a", "convoy", "near", "Kabul", "Iran", "denied", "accused", "Russia", "of",
    "met", "with", "President", "Biden", "protesters", "clashed", "troops", "yesterday", "last", "week",
    "according", "to", "officials", ",", ".", "-", "and", "NAIROBI,", "Jan", "14", "2021", "'s", "who",
]
QUOTES = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "``", "''"]

prose = st.lists(st.sampled_from(WORDS + QUOTES), max_size=60).map(" ".join)
quoted = st.recursive(
    prose, lambda inner: st.tuples(st.sampled_from(QUOTES), inner, st.sampled_from([*QUOTES, ""]), prose)
    .map(lambda parts: f"{parts[3]} {parts[0]}{parts[1]}{parts[2]} {parts[3]}"), max_leaves=6)
long_token = st.text(alphabet=st.characters(categories=["L", "N", "P"]), min_size=300, max_size=3000)
news_days = st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(lambda day: day.isoformat())
texts = st.one_of(
    st.text(max_size=400),
    quoted,
    st.tuples(prose, long_token, prose).map(" ".join),
    st.lists(st.one_of(prose, st.text(max_size=40)), max_size=8).map("\n\n".join),
)


def check_span(text: str, span: dict[str, Any], where: str) -> None:
    start, end = span["start"], span["end"]
    assert isinstance(start, int) and isinstance(end, int), where
    assert 0 <= start <= end <= len(text), f"{where}: [{start}, {end}) outside a text of {len(text)}"
    if "text" in span:
        assert text[start:end] == span["text"], f"{where}: offsets do not reproduce {span['text']!r}"


def check_output(output: dict[str, Any]) -> None:
    assert output["schema"] == SCHEMA
    document = output["document"]
    text = document["text"]
    assert isinstance(text, str) and isinstance(document["id"], str)
    assert document["published_source"] in PUBLISHED_SOURCES
    for actor in output["actors"]:
        assert actor["type"] in ACTOR_TYPES and actor["id"] and isinstance(actor["name"], str)
        for mention in actor["mentions"]:
            check_span(text, mention, f"actor {actor['id']} mention")
    for event in output["events"]:
        assert event["modality"] in MODALITIES
        assert event["date_precision"] in PRECISIONS
        assert 0.0 <= event["confidence"] <= 1.0
        evidence = event["evidence"]
        check_span(text, evidence, f"event {event['id']} evidence")
        check_span(text, evidence["trigger"], f"event {event['id']} trigger")
        assert evidence["start"] <= evidence["trigger"]["start"] <= evidence["trigger"]["end"] <= evidence["end"]
        for mention in event["mentions"]:
            check_span(text, mention, f"event {event['id']} mention")
    for quote in output["quotes"]:
        check_span(text, quote, "quote")


@pytest.fixture(scope="module", autouse=True)
def loaded_pipeline() -> None:
    extract("The pipeline loads once.")  # model loading is not part of any example's time


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=texts, published=st.one_of(st.none(), news_days))
def test_extract_returns_valid_output_or_a_domain_error(text: str, published: str | None) -> None:
    try:
        result = extract(text, published=published)
    except EventcoderError:
        return
    check_output(result.to_dict())


def test_offsets_checker_catches_a_shifted_span() -> None:
    """The checker itself must be able to fail."""
    with pytest.raises(AssertionError):
        check_span("Police arrested two men.", {"text": "arrested", "start": 8, "end": 16}, "trigger")
    check_span("Police arrested two men.", {"text": "arrested", "start": 7, "end": 15}, "trigger")
