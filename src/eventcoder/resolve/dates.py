"""Date expressions: what a text says about *when*, as precise as it says it.

A small grammar (regular expressions over the text, plus a few token patterns
for event anchors) turns each expression into a :class:`DateValue` whose
precision is what was said: "June 2020" is a month, "a few months ago" a
range, "on Monday" a day. Nothing here ever invents a day.

Relative expressions resolve against a reference day (the publication date);
event-anchored ones ("soon after their arrest", "four days later") carry
``anchor="event"`` and are resolved by the event stage against the anchor
event's date with :func:`resolve_event_relative`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from ..annotations import DateMention
from ..model import DateValue, TextSpan
from .clauses import clause_head, doc_length, has_subject, own_tokens, subject_start

Anchor = Literal["published", "event"] | None

# ---------------------------------------------------------------------------
# DateValue constructors
# ---------------------------------------------------------------------------


def day_value(day: date, text: str | None = None, confidence: float = 1.0) -> DateValue:
    return DateValue(day.isoformat(), "day", text, day, day, confidence=confidence)


def month_value(year: int, month: int, text: str | None = None, confidence: float = 1.0) -> DateValue:
    last = calendar.monthrange(year, month)[1]
    return DateValue(f"{year:04d}-{month:02d}", "month", text, date(year, month, 1), date(year, month, last),
                     confidence=confidence)


def year_value(year: int, text: str | None = None, confidence: float = 1.0) -> DateValue:
    return DateValue(f"{year:04d}", "year", text, date(year, 1, 1), date(year, 12, 31), confidence=confidence)


def range_value(earliest: date, latest: date, text: str | None = None, confidence: float = 1.0) -> DateValue:
    """A span of days; ``value`` is the coarsest unit both ends share (month, else year)."""
    earliest, latest = min(earliest, latest), max(earliest, latest)
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        value = f"{earliest.year:04d}-{earliest.month:02d}"
    else:
        value = f"{earliest.year:04d}"
    return DateValue(value, "range", text, earliest, latest, confidence=confidence)


def unknown_value(text: str | None = None) -> DateValue:
    return DateValue(None, "unknown", text)


def _with_text(value: DateValue, text: str) -> DateValue:
    return DateValue(value.value, value.precision, text, value.earliest, value.latest, value.span, value.confidence)


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Vocabulary (English calendar words, not data about any text)
# ---------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "a couple of": 2, "a couple": 2, "couple of": 2,
}
#: Vague quantities and the (smallest, largest) count they stand for.
VAGUE_NUMBERS: dict[str, tuple[int, int]] = {
    "a few": (2, 5), "few": (2, 5), "several": (3, 7), "some": (2, 7), "many": (3, 10),
}
#: early / mid / late: which third of a period.
PARTS: dict[str, int] = {
    "early": 0, "the beginning of": 0, "the start of": 0, "the first half of": 0,
    "mid": 1, "mid-": 1, "the middle of": 1, "the middle": 1,
    "late": 2, "the end of": 2, "the second half of": 2, "the close of": 2,
}

_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_COUNT = (r"(?P<count>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
          r"|thirty|a couple of|a couple|couple of|a few|few|several|some|many)")
_UNIT = r"(?P<unit>minute|hour|day|night|week|month|year|decade)s?"
_APPROX = r"(?:(?:just|only|about|around|roughly|nearly|almost|some|over|more than|less than|barely)\s+)?"
_PART = (r"(?P<part>early|mid-|mid|late|the beginning of|the start of|the first half of|the middle of"
         r"|the end of|the second half of|the close of)")


# ---------------------------------------------------------------------------
# Grammar rules
# ---------------------------------------------------------------------------

Resolver = Callable[["re.Match[str]", "date | None"], "DateValue | None"]


@dataclass(frozen=True)
class DateRule:
    """One kind of expression: its pattern, how it resolves and what it hangs on."""

    name: str
    pattern: re.Pattern[str]
    resolve: Resolver
    anchor: Anchor


def _month_of(match: re.Match[str]) -> int:
    return MONTHS[match.group("month").lower().rstrip(".")]


def _count_of(match: re.Match[str]) -> tuple[int, int]:
    """How many units: a number, a number word, or a vague quantity as (fewest, most)."""
    word = (match.groupdict().get("count") or "a few").lower()
    if word.isdigit():
        return int(word), int(word)
    if word in VAGUE_NUMBERS:
        return VAGUE_NUMBERS[word]
    return NUMBERS[word], NUMBERS[word]


def _nearest_past_year(month: int, day: int, reference: date) -> int:
    """The year that puts month/day on or before ``reference``; a date at most a month
    ahead stays in the reference year (an upcoming event)."""
    candidate = _safe_date(reference.year, month, min(day, calendar.monthrange(reference.year, month)[1]))
    if candidate is None or candidate <= reference or (candidate - reference).days <= 31:
        return reference.year
    return reference.year - 1


def _resolve_full_day(match: re.Match[str], reference: date | None) -> DateValue | None:
    day = _safe_date(int(match.group("year")), _month_of(match), int(match.group("day")))
    return day_value(day) if day else None


def _resolve_iso_day(match: re.Match[str], reference: date | None) -> DateValue | None:
    day = _safe_date(int(match.group("year")), int(match.group("mnum")), int(match.group("day")))
    return day_value(day) if day else None


def _resolve_month_year(match: re.Match[str], reference: date | None) -> DateValue | None:
    return month_value(int(match.group("year")), _month_of(match))


def _resolve_year(match: re.Match[str], reference: date | None) -> DateValue | None:
    return year_value(int(match.group("year")))


def _resolve_year_range(match: re.Match[str], reference: date | None) -> DateValue | None:
    """"from 2010 to 2015", "2014-15": every day of those years."""
    first, last = int(match.group("year")), match.group("year2")
    end = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
    if end <= first:
        return None
    return range_value(date(first, 1, 1), date(end, 12, 31))


def _resolve_decade(match: re.Match[str], reference: date | None) -> DateValue | None:
    start = int(match.group("decade"))
    return range_value(date(start, 1, 1), date(start + 9, 12, 31))


def _resolve_yearless_day(match: re.Match[str], reference: date | None) -> DateValue | None:
    month, day = _month_of(match), int(match.group("day"))
    if not 1 <= day <= 31:
        return None
    if reference is None:
        return unknown_value()
    resolved = _safe_date(_nearest_past_year(month, day, reference), month, day)
    return day_value(resolved, confidence=0.9) if resolved else None


def _resolve_day_range(match: re.Match[str], reference: date | None) -> DateValue | None:
    month, first, last = _month_of(match), int(match.group("day")), int(match.group("day2"))
    if match.group("year"):
        year = int(match.group("year"))
    elif reference is not None:
        year = _nearest_past_year(month, first, reference)
    else:
        return unknown_value()
    start, end = _safe_date(year, month, first), _safe_date(year, month, last)
    return range_value(start, end) if start and end and start < end else None


def _resolve_lone_month(match: re.Match[str], reference: date | None) -> DateValue | None:
    month, modifier = _month_of(match), (match.group("mod") or "").lower()
    if reference is None:
        return unknown_value()
    if modifier == "next":
        year = reference.year if month > reference.month else reference.year + 1
    elif modifier == "last":
        year = reference.year if month < reference.month else reference.year - 1
    elif modifier == "this":
        year = reference.year
    else:
        year = _nearest_past_year(month, 1, reference)
    return month_value(year, month)


def _resolve_weekday(match: re.Match[str], reference: date | None) -> DateValue | None:
    if reference is None:
        return unknown_value()
    weekday = WEEKDAYS[match.group("weekday").lower()]
    modifier = (match.group("mod") or "").lower()
    back = (reference.weekday() - weekday) % 7
    if modifier == "next":
        return day_value(reference + timedelta(days=(weekday - reference.weekday()) % 7 or 7), confidence=0.8)
    if modifier in ("last", "this past", "past") and back == 0:
        back = 7
    return day_value(reference - timedelta(days=back), confidence=0.85)


def _resolve_weekend(match: re.Match[str], reference: date | None) -> DateValue | None:
    """"over the weekend": the latest Saturday-Sunday on or before the reference."""
    if reference is None:
        return unknown_value()
    modifier = (match.group("mod") or "").lower()
    saturday = reference - timedelta(days=(reference.weekday() - 5) % 7)
    if modifier == "next" or (modifier == "this" and reference.weekday() < 5):
        saturday += timedelta(days=7)
    elif modifier == "last" and reference.weekday() >= 5:
        saturday -= timedelta(days=7)
    return range_value(saturday, saturday + timedelta(days=1))


def _resolve_deictic_day(offset: int) -> Resolver:
    def resolve(match: re.Match[str], reference: date | None) -> DateValue | None:
        return day_value(reference + timedelta(days=offset)) if reference else unknown_value()
    return resolve


def _resolve_ago(match: re.Match[str], reference: date | None) -> DateValue | None:
    if reference is None:
        return unknown_value()
    low, high = _count_of(match)
    return _back_from(reference, match.group("unit").lower(), low, high)


def _back_from(reference: date, unit: str, low: int, high: int) -> DateValue:
    """``low``..``high`` units before ``reference``, at the unit's precision."""
    if unit in ("minute", "hour"):
        return day_value(reference) if unit == "minute" or high < 24 else range_value(
            reference - timedelta(days=high // 24 + 1), reference)
    if unit in ("day", "night"):
        if low == high:
            return day_value(reference - timedelta(days=low))
        return range_value(reference - timedelta(days=high), reference - timedelta(days=low))
    if unit == "week":
        return range_value(reference - timedelta(days=7 * high + 3), reference - timedelta(days=7 * low - 3))
    if unit == "month":
        if low == high:
            return month_value(*_add_months(reference, -low))
        first, last = _add_months(reference, -high), _add_months(reference, -low)
        return range_value(date(*first, 1), month_value(*last).latest or reference)
    if unit == "decade":
        low, high = low * 10, high * 10
    if low == high:
        return year_value(reference.year - low)
    return range_value(date(reference.year - high, 1, 1), date(reference.year - low, 12, 31))


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _resolve_named_period(match: re.Match[str], reference: date | None) -> DateValue | None:
    """last/this/next/earlier this/later this + week/month/year, optionally early/mid/late."""
    if reference is None:
        return unknown_value()
    which, unit = match.group("which").lower(), match.group("unit").lower()
    shift = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which.split()[-1], 0)
    if unit == "week":
        start = _week_start(reference) + timedelta(days=7 * shift)
        end = start + timedelta(days=6)
        if which.startswith("earlier"):
            end = reference
        elif which.startswith("later"):
            start = reference
        value = range_value(start, end)
    elif unit == "month":
        value = month_value(*_add_months(reference, shift))
    else:
        value = year_value(reference.year + shift)
    part = match.group("part")
    return _part_of(value, part) if part else value


def _part_of(value: DateValue, part: str) -> DateValue:
    """early / mid / late: the first, middle or last third of a period, as a range."""
    assert value.earliest and value.latest
    third = PARTS[part.lower()]
    length = (value.latest - value.earliest).days + 1
    start = value.earliest + timedelta(days=length * third // 3)
    end = value.earliest + timedelta(days=length * (third + 1) // 3 - 1)
    return range_value(start, end)


def _resolve_part_of_month(match: re.Match[str], reference: date | None) -> DateValue | None:
    month = _month_of(match)
    if match.group("year"):
        year = int(match.group("year"))
    elif reference is not None:
        year = _nearest_past_year(month, 1, reference)
    else:
        return unknown_value()
    return _part_of(month_value(year, month), match.group("part"))


def _resolve_part_of_year(match: re.Match[str], reference: date | None) -> DateValue | None:
    return _part_of(year_value(int(match.group("year"))), match.group("part"))


def _resolve_recent_span(match: re.Match[str], reference: date | None) -> DateValue | None:
    """"the past few days", "in recent weeks", "over the last two months": up to the reference."""
    if reference is None:
        return unknown_value()
    unit = match.group("unit").lower()
    plural = match.group(0).lower().endswith("s")  # "the past week" is one week; "recent weeks" a few
    high = _count_of(match)[1] if match.group("count") else (3 if plural else 1)
    days = {"day": 1, "night": 1, "week": 7, "month": 30, "year": 365, "decade": 3650}.get(unit, 1) * high
    return range_value(reference - timedelta(days=days), reference)


def _resolve_coming_span(match: re.Match[str], reference: date | None) -> DateValue | None:
    if reference is None:
        return unknown_value()
    unit = match.group("unit").lower()
    days = {"day": 7, "week": 30, "month": 180, "year": 730}.get(unit, 7)
    return range_value(reference + timedelta(days=1), reference + timedelta(days=days))


def _event_relative(match: re.Match[str], reference: date | None) -> DateValue | None:
    return unknown_value()


def _rule(name: str, pattern: str, resolve: Resolver, anchor: Anchor = None, case: bool = True) -> DateRule:
    flags = 0 if case else re.IGNORECASE
    return DateRule(name, re.compile(pattern, flags), resolve, anchor)


_TOD = r"(?:\s+(?:morning|afternoon|evening|night))?"

#: Order matters only for ties: the longest match wins, then the earlier rule.
RULES: tuple[DateRule, ...] = (
    _rule("iso_day", r"\b(?P<year>\d{4})-(?P<mnum>[01]?\d)-(?P<day>[0-3]?\d)\b", _resolve_iso_day),
    _rule("month_day_year", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", _resolve_full_day),
    _rule("day_month_year", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", _resolve_full_day),
    _rule("weekday_full_date", rf"\b{_WEEKDAY},?\s+{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", _resolve_full_day),
    _rule("month_day_range",
          rf"\b{_MONTH}\s+{_DAY}\s*(?:-|–|—|to|and|through|until)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b"
          rf"(?:,?\s+{_YEAR}\b)?", _resolve_day_range),
    _rule("part_of_month", rf"(?i:\b{_PART})\s*{_MONTH}(?:,?\s+{_YEAR})?\b", _resolve_part_of_month),
    _rule("part_of_year", rf"(?i:\b{_PART})\s*{_YEAR}\b", _resolve_part_of_year),
    _rule("month_year", rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", _resolve_month_year),
    _rule("month_day", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?\d)", _resolve_yearless_day, "published"),
    _rule("day_month", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s*\d)", _resolve_yearless_day, "published"),
    _rule("weekday_date", rf"\b{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?\d)", _resolve_yearless_day,
          "published"),
    _rule("lone_month",
          rf"(?i:\b(?:(?P<mod>last|this|next)|in|since|until|till|by|during|through|of|before|after))\s+"
          rf"{_MONTH}\b(?!\s*[0-3]?\d)", _resolve_lone_month, "published"),
    _rule("year_range", rf"(?i:\b(?:from|between)\s+)?\b{_YEAR}\s*(?:-|–|—|(?i:to|and|until|through))\s*"
          r"(?P<year2>1[6-9]\d\d|20\d\d|\d\d)\b(?!-\d)", _resolve_year_range),
    _rule("decade", r"(?i:\bthe\s+)(?P<decade>1[6-9]\d0|20\d0)s\b", _resolve_decade),
    _rule("year", rf"\b{_YEAR}\b(?!-\d)", _resolve_year),
    _rule("weekday", rf"(?i:\b(?P<mod>last|this past|past|this|next|on|late|early)\s+)?{_WEEKDAY}{_TOD}\b",
          _resolve_weekday, "published"),
    _rule("today", r"\b(?:earlier |later )?(?:today|tonight|this (?:morning|afternoon|evening))\b",
          _resolve_deictic_day(0), "published", case=False),
    _rule("yesterday", r"\b(?:yesterday" + _TOD + r"|last night|overnight)\b", _resolve_deictic_day(-1),
          "published", case=False),
    _rule("day_before_yesterday", r"\bthe day before yesterday\b", _resolve_deictic_day(-2), "published",
          case=False),
    _rule("tomorrow", r"\btomorrow" + _TOD + r"\b", _resolve_deictic_day(1), "published", case=False),
    _rule("weekend", r"\b(?:(?P<mod>last|this past|this|next|over the|during the|at the)\s+)weekend\b",
          _resolve_weekend, "published", case=False),
    _rule("ago", rf"\b{_APPROX}(?:{_COUNT}\s+)?{_UNIT}\s+ago\b", _resolve_ago, "published", case=False),
    _rule("named_period",
          rf"\b(?:{_PART}\s+)?(?P<which>earlier this|later this|last|this|next|this past|the previous"
          rf"|the coming)\s+(?P<unit>week|month|year)\b", _resolve_named_period, "published", case=False),
    _rule("recent_span",
          rf"\b(?:(?:in|over|during|for|within)\s+)?(?:the\s+(?:past|last|recent)|recent)\s+(?:{_COUNT}\s+)?{_UNIT}\b",
          _resolve_recent_span, "published", case=False),
    _rule("coming_span", rf"\b(?:in|over|during|within)\s+the\s+(?:coming|next|following)\s+(?:few\s+)?{_UNIT}\b",
          _resolve_coming_span, "published", case=False),
    _rule("offset_from_event",
          rf"\b{_APPROX}{_COUNT}\s+{_UNIT}\s+(?:later|afterwards?|earlier|before|after|prior|on)\b",
          _event_relative, "event", case=False),
    _rule("next_day",
          r"\b(?:the|that)\s+(?:next|following|previous|prior|same|preceding)\s+"
          r"(?:day|morning|afternoon|evening|night|week|month|year)\b|\bthe\s+day\s+(?:after|before)\b"
          r"|\bthat\s+(?:day|morning|afternoon|evening|night)\b",
          _event_relative, "event", case=False),
    _rule("as_soon_as", r"\b(?:as soon as|soon after|shortly after|immediately after|right after|just after"
          r"|soon before|shortly before|just before|moments after|hours after|days after|minutes after"
          r"|within hours of|within days of|in the wake of|in the aftermath of|on the eve of)\b",
          _event_relative, "event", case=False),
)

#: Event-anchored phrases: how long after (or before) the anchor they may fall, in days.
ANCHOR_WINDOWS: tuple[tuple[str, int], ...] = (
    ("as soon as", 1), ("immediately", 1), ("right after", 1), ("moments", 1), ("minutes", 1),
    ("hours", 1), ("within hours", 1), ("on the eve", 1), ("just", 2), ("shortly", 7), ("soon", 14),
    ("days", 14), ("in the wake", 14), ("in the aftermath", 30), ("within days", 14),
)


@dataclass(frozen=True)
class DateMatch:
    """A grammar match in a text: character offsets, the rule and its value."""

    start: int
    end: int
    rule: DateRule
    value: DateValue


def find_date_expressions(text: str, reference: date | None) -> list[DateMatch]:
    """Every date expression of the grammar in ``text``, longest first, without overlaps, in text order."""
    candidates: list[DateMatch] = []
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            if match.start() == match.end():
                continue
            value = rule.resolve(match, reference)
            if value is not None:
                candidates.append(DateMatch(match.start(), match.end(), rule, _with_text(value, match.group(0))))
    rank = {rule.name: index for index, rule in enumerate(RULES)}
    candidates.sort(key=lambda found: (-(found.end - found.start), rank[found.rule.name], found.start))
    chosen: list[DateMatch] = []
    for found in candidates:
        if all(found.end <= kept.start or found.start >= kept.end for kept in chosen):
            chosen.append(found)
    return sorted(chosen, key=lambda found: found.start)


def resolve_date_expression(text: str, reference: date | None) -> DateValue:
    """What one date expression says, resolved against ``reference`` (the publication day).

    The longest expression in ``text`` decides and becomes ``DateValue.text``;
    ``unknown`` when nothing in it is a date, when it is relative and there is no
    reference, or when it hangs on another event (see :func:`resolve_event_relative`).
    """
    found = find_date_expressions(text, reference)
    if not found:
        return unknown_value(text)
    best = max(found, key=lambda match: match.end - match.start)
    return best.value if best.rule.anchor != "event" else unknown_value(best.value.text)


def resolve_event_relative(text: str, anchor: DateValue, reference: date | None = None) -> DateValue:
    """An event-anchored expression ("four days later", "soon after the raid",
    "as soon as they were freed") resolved against the anchor event's date.

    ``reference`` (publication day) caps open-ended ranges: a past-tense event
    happened no later than its report.
    """
    if anchor.earliest is None or anchor.latest is None:
        return unknown_value(text)
    lowered = text.lower()
    offset = RULES_BY_NAME["offset_from_event"].pattern.search(text)
    if offset:
        return _shift(anchor, offset, reference, text)
    step = re.search(r"\b(next|following|previous|prior|same|preceding|after|before|that)\b.*?"
                     r"\b(day|morning|afternoon|evening|night|week|month|year)\b", lowered)
    if step:
        direction = {"next": 1, "following": 1, "after": 1, "previous": -1, "prior": -1, "preceding": -1,
                     "before": -1}.get(step.group(1), 0)
        if lowered.startswith("the day after") or lowered.startswith("the day before"):
            direction = 1 if "after" in lowered else -1
        unit = "day" if step.group(2) in ("morning", "afternoon", "evening", "night") else step.group(2)
        return _shift_by(anchor, unit, direction, text)
    window = next((days for cue, days in ANCHOR_WINDOWS if cue in lowered), None)
    before = re.search(r"\b(before|prior to|on the eve of|ahead of)\b", lowered) is not None
    return _window(anchor, window, before, reference, text)


def _shift(anchor: DateValue, match: re.Match[str], reference: date | None, text: str) -> DateValue:
    low, high = _count_of(match)
    unit = match.group("unit").lower()
    backwards = re.search(r"\b(earlier|before|prior)\b", match.group(0).lower()) is not None
    if low != high:
        assert anchor.earliest and anchor.latest
        days = {"day": 1, "night": 1, "week": 7, "month": 30, "year": 365}.get(unit, 1)
        if backwards:
            return range_value(anchor.earliest - timedelta(days=high * days),
                               anchor.latest - timedelta(days=low * days), text)
        return range_value(anchor.earliest + timedelta(days=low * days),
                           anchor.latest + timedelta(days=high * days), text)
    return _shift_by(anchor, unit, -low if backwards else low, text)


def _shift_by(anchor: DateValue, unit: str, count: int, text: str) -> DateValue:
    assert anchor.earliest and anchor.latest
    if unit in ("minute", "hour"):
        return _with_text(anchor, text)
    if unit in ("day", "night") and anchor.precision == "day":
        return day_value(anchor.earliest + timedelta(days=count), text)
    if unit in ("day", "night", "week"):
        days = count * (7 if unit == "week" else 1)
        return range_value(anchor.earliest + timedelta(days=days), anchor.latest + timedelta(days=days), text)
    if unit == "month" and anchor.precision in ("day", "month"):
        return month_value(*_add_months(anchor.earliest, count), text)
    return year_value(anchor.earliest.year + count, text)


def _window(anchor: DateValue, window: int | None, before: bool, reference: date | None, text: str) -> DateValue:
    assert anchor.earliest and anchor.latest
    if before:
        start = anchor.earliest - timedelta(days=window) if window is not None else None
        if start is None:
            return DateValue(None, "range", text, None, anchor.latest, confidence=0.5)
        return range_value(start, anchor.latest, text, confidence=0.7)
    end = anchor.latest + timedelta(days=window) if window is not None else reference
    if end is not None and reference is not None:
        end = min(end, max(reference, anchor.latest))
    if end is None:
        return DateValue(None, "range", text, anchor.earliest, None, confidence=0.5)
    return range_value(anchor.earliest, end, text, confidence=0.7)


RULES_BY_NAME: dict[str, DateRule] = {rule.name: rule for rule in RULES}


# ---------------------------------------------------------------------------
# Publication date: datelines and inference
# ---------------------------------------------------------------------------

_PUBLISHED_LINE = re.compile(
    r"^[ \t]*(?:published|posted|updated|last updated|date|first published)(?:[ \t]*:|[ \t]+on\b)[ \t]*(?P<rest>.+)$",
    re.IGNORECASE | re.MULTILINE)
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .'’-]{2,40}(?:,\s*[A-Za-z .]{2,30})?)\s*,\s*(?P<date>.{3,40}?)\s*"
    r"(?:\((?P<agency>[A-Za-z .&]{2,30})\)\s*)?[-–—:]", re.MULTILINE)
_DATE_LINE = re.compile(r"^\s*(?P<date>[^\n]{6,60}?)\s*(?:[-–—|]|$)", re.MULTILINE)
_FUTURE_CUES = re.compile(
    r"\b(will|shall|scheduled|expected to|expected on|plans? to|planning to|due to|set to|slated|upcoming|until"
    r"|deadline|by the end of|next|would be held|is to)\b", re.IGNORECASE)
_ABSOLUTE_RULES = {"iso_day", "month_day_year", "day_month_year", "weekday_full_date", "month_year", "year",
                   "month_day_range", "part_of_month", "part_of_year", "year_range"}
_HEAD_CHARS = 600


def _first_full_date(text: str, within: int = 80) -> DateValue | None:
    """The first absolute day or month in ``text`` that begins in its first ``within`` characters."""
    for found in find_date_expressions(text, None):
        if found.start > within:
            return None
        if found.rule.name in _ABSOLUTE_RULES and found.value.precision in ("day", "month"):
            return found.value
    return None


def _stated(value: DateValue, text: str, match: re.Match[str]) -> DateValue:
    """``value`` with the text and offsets of the line that stated it."""
    start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
    end = match.start() + len(match.group(0).rstrip())
    span = TextSpan.of(text, start, end)
    return DateValue(value.value, value.precision, span.text, value.earliest, value.latest, span, value.confidence)


def parse_dateline(text: str) -> DateValue | None:
    """The publication date a text states at its head: "Published: 30 June 2020",
    "June 30, 2020 —", or a wire dateline "BAGHDAD, June 30 (Reuters) -" (its year from
    the latest date the text reports). None when the head states none. ``span`` says
    where the statement is, so that it is not read as an event's date."""
    head = text[:_HEAD_CHARS]
    for match in _PUBLISHED_LINE.finditer(text):
        value = _first_full_date(match.group("rest")[:80], within=20)
        if value is not None:
            return _stated(value, text, match)
    for match in _DATELINE.finditer(head):
        value = _dateline_date(match.group("date"), text)
        if value is not None:
            return _stated(value, text, match)
    for match in _DATE_LINE.finditer(head):
        found = find_date_expressions(match.group("date"), None)
        if len(found) == 1 and found[0].start <= 2 and found[0].value.precision == "day" and \
                found[0].end >= len(match.group("date").rstrip(" ,.")) - 12:
            return _stated(found[0].value, text, match)
    return None


def _dateline_date(fragment: str, text: str) -> DateValue | None:
    full = _first_full_date(fragment)
    if full is not None:
        return full
    yearless = [found for found in find_date_expressions(fragment, date(2000, 1, 1))
                if found.rule.name in ("month_day", "day_month", "weekday_date")]
    if not yearless:
        return None
    latest = _latest_reported(text)
    if latest is None or latest.earliest is None:
        return None
    match = yearless[0].rule.pattern.search(fragment)
    assert match is not None
    month, day = _month_of(match), int(match.group("day"))
    year = latest.earliest.year
    candidate = _safe_date(year, month, day)
    if candidate is not None and candidate < latest.earliest:
        candidate = _safe_date(year + 1, month, day)
    return day_value(candidate, confidence=0.8) if candidate else None


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-Z“\"(])|\n+", text):
        yield start, text[start:match.start()]
        start = match.end()
    yield start, text[start:]


def _latest_reported(text: str) -> DateValue | None:
    """The latest absolute date that ``text`` reports in a sentence without a future cue."""
    latest: DateValue | None = None
    for _, sentence in _sentences(text):
        if _FUTURE_CUES.search(sentence):
            continue
        for found in find_date_expressions(sentence, None):
            value = found.value
            if found.rule.name not in _ABSOLUTE_RULES or value.earliest is None:
                continue
            if latest is None or latest.earliest is None or value.earliest > latest.earliest:
                latest = value
    return latest


def infer_published(text: str) -> DateValue | None:
    """A lower bound on the publication date: the latest absolute date the text
    reports as past, at that date's precision. ``latest`` is None (open-ended) and
    confidence is low; the caller marks it ``published_source: "inferred"``."""
    latest = _latest_reported(text)
    if latest is None or latest.earliest is None:
        return None
    precision = "day" if latest.precision == "range" else latest.precision
    value = latest.earliest.isoformat() if precision == "day" else latest.value
    return DateValue(value, precision, latest.text, latest.earliest, None, confidence=0.4)


# ---------------------------------------------------------------------------
# spaCy component
# ---------------------------------------------------------------------------

_TIME_WORDS = frozenset({"day", "week", "month", "year", "time", "morning", "evening", "night", "afternoon",
                         "hour", "minute", "decade", "period", "date", "today", "yesterday", "moment"})
_PREPOSITIONS = frozenset({"on", "in", "during", "since", "until", "till", "by", "from", "as", "of"})
_TEMPORAL_MARKS = frozenset({"after", "before", "once", "since", "until", "till", "as"})
_TIGHT_ADVERBS = ["soon", "shortly", "immediately", "right", "just", "moments", "hours", "days", "minutes",
                  "weeks", "long", "directly", "quickly"]


def _governor(doc: Doc, start: int, end: int) -> int:
    """The token the expression modifies: the first verb (or non-time noun) above it."""
    span = doc[start:end]
    token: Token = span.root
    while token.head.i != token.i:
        token = token.head
        if start <= token.i < end:
            continue
        if token.pos_ in ("VERB", "AUX"):
            return _later_conjunct(token, start, end).i
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() not in _TIME_WORDS:
            return token.i
    return token.i


def _later_conjunct(verb: Token, start: int, end: int) -> Token:
    """"X caved and on June 29 allowed Y": a date between the "and" and the next
    conjunct belongs to that conjunct, whatever the parser attached it to."""
    for child in verb.children:
        is_later_verb = child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and end <= child.i
        if is_later_verb and start > verb.i + 1 and verb.doc[start - 1].pos_ == "CCONJ":
            return child
    return verb


def _with_preposition(doc: Doc, span: Span) -> Span:
    """Extend an expression left over the preposition that introduces it ("On June 25")."""
    if span.start > 0 and doc[span.start - 1].lower_ in _PREPOSITIONS and doc[span.start - 1].pos_ == "ADP":
        return doc[span.start - 1:span.end]
    return span


class DateRecognizer:
    """``eventcoder_dates``: writes ``doc._.ec_dates`` (one :class:`DateMention` per expression)."""

    def __init__(self, nlp: Language, name: str = "eventcoder_dates") -> None:
        self.name = name
        self.matcher = Matcher(nlp.vocab)
        noun_anchor: list[dict[str, Any]] = [
            {"LOWER": {"IN": _TIGHT_ADVERBS}, "OP": "?"},
            {"LOWER": {"IN": ["after", "before", "following"]}, "POS": {"IN": ["ADP", "VERB", "SCONJ"]}},
            {"POS": {"IN": ["DET", "PRON"]}, "OP": "?"},
            {"POS": {"IN": ["ADJ", "NOUN", "PROPN", "NUM"]}, "OP": "*"},
            {"POS": "NOUN", "LEMMA": {"NOT_IN": sorted(_TIME_WORDS)}},
        ]
        phrase_anchor: list[dict[str, Any]] = [
            {"LOWER": {"IN": ["wake", "aftermath", "eve", "run-up"]}},
            {"LOWER": "of"},
            {"POS": {"IN": ["DET", "PRON"]}, "OP": "?"},
            {"POS": {"IN": ["ADJ", "NOUN", "PROPN"]}, "OP": "*"},
            {"POS": "NOUN"},
        ]
        self.matcher.add("EVENT_ANCHOR", [noun_anchor, phrase_anchor], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        reference = _reference_of(doc)
        mentions: list[DateMention] = []
        taken: set[int] = set()
        for mention in [*self._anchored_clauses(doc), *self._anchored_nouns(doc)]:
            if not taken.intersection(range(mention.start, mention.end)):
                mentions.append(mention)
                taken.update(range(mention.start, mention.end))
        for mention in [*self._grammar_mentions(doc, reference), *self._entity_mentions(doc, reference)]:
            if not taken.intersection(range(mention.start, mention.end)):
                mentions.append(mention)
                taken.update(range(mention.start, mention.end))
        dateline = parse_dateline(doc.text)
        if dateline is not None and dateline.span is not None:  # the publication date dates no event
            stated = dateline.span
            mentions = [mention for mention in mentions if mention.end <= stated.start or mention.start >= stated.end]
        doc._.ec_dates = sorted(mentions, key=lambda mention: mention.start)
        return doc

    def _mention(self, doc: Doc, span: Span, value: DateValue, anchor: str | None,
                 anchor_head: int | None = None) -> DateMention:
        value = DateValue(value.value, value.precision, span.text, value.earliest, value.latest, None,
                          value.confidence)
        return DateMention(span.start_char, span.end_char, span.text, value, anchor,
                           _governor(doc, span.start, span.end), anchor_head)

    def _grammar_mentions(self, doc: Doc, reference: date | None) -> Iterator[DateMention]:
        for found in find_date_expressions(doc.text, reference):
            span = doc.char_span(found.start, found.end, alignment_mode="expand")
            if span is None or not _plausible(found, span):
                continue
            span = _with_preposition(doc, span)
            anchor = found.rule.anchor
            if anchor == "event":
                yield self._mention(doc, span, unknown_value(), "event")
            else:
                yield self._mention(doc, span, _in_tense(doc, span, found, reference), anchor)

    def _entity_mentions(self, doc: Doc, reference: date | None) -> Iterator[DateMention]:
        for entity in doc.ents:
            if entity.label_ != "DATE":
                continue
            found = find_date_expressions(entity.text, reference)
            if not found:
                continue
            best = max(found, key=lambda match: match.end - match.start)
            span = _with_preposition(doc, entity)
            yield self._mention(doc, span, _in_tense(doc, span, best, reference), best.rule.anchor)

    def _anchored_nouns(self, doc: Doc) -> Iterator[DateMention]:
        for _, start, end in self.matcher(doc):
            span, anchor = doc[start:end], doc[end - 1]
            if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.pos_ in ("VERB", "AUX") \
                    and anchor.head.i >= end:
                # "days after Taliban fighters attacked": the anchor is the clause, not its subject.
                span, anchor = doc[start:anchor.head.i + 1], anchor.head
            yield self._mention(doc, _with_preposition(doc, span), unknown_value(), "event", anchor.i)

    def _anchored_clauses(self, doc: Doc) -> Iterator[DateMention]:
        """"after they were freed", "as soon as police left": a temporal clause names the anchor event."""
        for token in doc:
            if token.dep_ != "mark" or token.lower_ not in _TEMPORAL_MARKS or token.head.dep_ != "advcl":
                continue
            if token.lower_ == "as" and not (token.i >= 2 and doc[token.i - 1].lower_ == "soon"):
                continue
            verb = token.head
            start = token.i
            while start > 0 and doc[start - 1].lower_ in (*_TIGHT_ADVERBS, "as", "not"):
                start -= 1
            end = verb.i + 1
            yield self._mention(doc, doc[start:end], unknown_value(), "event", verb.i)


_YEARLESS_RULES = frozenset({"month_day", "day_month", "weekday_date", "month_day_range", "lone_month",
                             "part_of_month"})
_FUTURE_AUXILIARIES = frozenset({"will", "shall", "'ll", "wo"})
_FUTURE_LEMMAS = frozenset({"schedule", "plan", "expect", "set", "due", "slate", "intend", "aim", "vow", "promise"})


def _in_tense(doc: Doc, span: Span, found: DateMatch, reference: date | None) -> DateValue:
    """A day without a year ("on April 15") or a bare weekday in a future clause ("will
    meet on Monday") is the next one, not the last one."""
    value = found.value
    if reference is None or value.latest is None or value.latest >= reference or not _future_clause(doc, span):
        return value
    if found.rule.name == "weekday" and value.earliest is not None:
        return day_value(value.earliest + timedelta(days=7), value.text, value.confidence)
    if found.rule.name in _YEARLESS_RULES and value.earliest is not None:
        start, end = _next_year(value.earliest), _next_year(value.latest)
        if value.precision == "day":
            return day_value(start, value.text, value.confidence)
        if value.precision == "month":
            return month_value(start.year, start.month, value.text, value.confidence)
        return range_value(start, end, value.text, value.confidence)
    return value


def _next_year(day: date) -> date:
    return _safe_date(day.year + 1, day.month, day.day) or date(day.year + 1, day.month, 28)


def _future_clause(doc: Doc, span: Span) -> bool:
    """Whether the clause the expression modifies speaks of the future."""
    token: Token = doc[_governor(doc, span.start, span.end)]
    for _ in range(3):
        if token.lemma_.lower() in _FUTURE_LEMMAS or any(
                child.lower_ in _FUTURE_AUXILIARIES and child.dep_ == "aux" for child in token.children):
            return True
        if token.dep_ not in ("xcomp", "ccomp", "advcl") or token.head.i == token.i:
            return False
        token = token.head
    return False


def _plausible(found: DateMatch, span: Span) -> bool:
    """A bare year or number-looking match must be a date in spaCy's eyes too."""
    if found.rule.name != "year":
        return True
    if any(token.ent_type_ == "DATE" for token in span):
        return True
    previous = span.doc[span.start - 1] if span.start > 0 else None
    return previous is not None and previous.lower_ in ("in", "since", "until", "by", "of", "from", "during", "early",
                                                        "late", "before", "after")


def _reference_of(doc: Doc) -> date | None:
    article = doc._.ec_article
    published = getattr(article, "published", None)
    if published is None or published.precision != "day" or published.earliest is None:
        return None
    return published.earliest


@Language.factory("eventcoder_dates")
def make_date_recognizer(nlp: Language, name: str) -> DateRecognizer:
    return DateRecognizer(nlp, name)


# ---------------------------------------------------------------------------
# Attaching a date to an event's clause
# ---------------------------------------------------------------------------

def governing_date(doc: Doc, token_i: int) -> DateMention | None:
    """The date expression of the trigger's clause: on the trigger itself, in its
    noun phrase, on its clause's verb, or on an earlier conjunct that the clause
    shares ("On June 25, X raided A and arrested B"). Never another clause's date."""
    mentions: list[DateMention] = doc._.ec_dates or []
    if not mentions:
        return None
    trigger = doc[token_i]
    verb = clause_head(trigger)
    scopes: list[set[int]] = [{trigger.i}, own_tokens(trigger, nominal_conjuncts=False),
                              {verb.i}, own_tokens(verb, nominal_conjuncts=False)]
    conjunct = verb
    shared_from: list[tuple[set[int], int]] = []
    while conjunct.dep_ == "conj" and conjunct.head.i != conjunct.i:
        # A conjunct with its own subject shares only dates at the left edge ("On
        # June 25, X raided A and police arrested B"), not "X did A then, and Y did B".
        own_subject = has_subject(conjunct)
        conjunct = conjunct.head
        shared_from.append(({conjunct.i}, subject_start(conjunct) if own_subject else doc_length(doc)))
    for scope in scopes:
        hits = [mention for mention in mentions if mention.head in scope]
        if hits:
            return _nearest(doc, hits, token_i)
    for scope, before in shared_from:
        hits = [mention for mention in mentions if mention.head in scope and mention.end <= before]
        if hits:
            return _nearest(doc, hits, token_i)
    return None


def _nearest(doc: Doc, mentions: list[DateMention], token_i: int) -> DateMention:
    """The resolved expression nearest the trigger; an unresolved anchor only when alone."""
    anchor = doc[token_i].idx
    return min(mentions, key=lambda mention: (mention.value.precision == "unknown",
                                              min(abs(mention.start - anchor), abs(mention.end - anchor))))

