"""Publication dates of whole articles: the ``--published`` argument, a
metadata value, or an absolute dateline at the start of the body.

Only absolute dates with day, month and year count: "June 30 (Reuters)"
says nothing about the year, so it is not a publication date. Nothing is
resolved against today's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import ConfigError

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
#: An absolute date with a year: "June 30, 2020", "30 June 2020", "2020-06-30" (weekday optional).
ABSOLUTE_DATE = (
    rf"{_WEEKDAY}(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))"
)
_ABSOLUTE_DATE = re.compile(ABSOLUTE_DATE, re.IGNORECASE)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
# "BAGHDAD, June 30, 2020 (Reuters) -", "Tallinn, 3 March 2021 —", "June 30, 2020 —"
_DATELINE = re.compile(
    rf"^(?:[A-Z][\w.'’\- ]{{1,40}}(?:,\s*[A-Z][\w.'’\- ]{{1,30}})?,?\s+)?(?P<date>{ABSOLUTE_DATE})"
    r"\s*(?:\([^()\n]{1,40}\)\s*)?[-–—:]",  # case-sensitive: a dateline's place and month are capitalised
)


@dataclass(frozen=True)
class FoundDate:
    """A date and where in the text it was said."""

    day: date
    text: str
    start: int
    end: int


def parse_published_argument(value: str) -> date:
    """The ``--published`` value as a date; a ``ConfigError`` unless it is ``YYYY-MM-DD``."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    day = _make_date(*match.groups()) if match else None
    if day is None:
        raise ConfigError(f"invalid --published {value!r}: expected a calendar date as YYYY-MM-DD",
                          hint="e.g. --published 2020-07-01")
    return day


def parse_metadata_date(value: str) -> date | None:
    """A metadata date ("2020-07-01", "2020-07-01T09:30:00Z", "July 1, 2020"), or None."""
    value = value.strip()
    match = _ISO_DAY.match(value)
    if match:
        return _make_date(*match.groups())
    found = _ABSOLUTE_DATE.fullmatch(value)
    return _date_of(found) if found else None


def find_dateline(paragraph: str) -> FoundDate | None:
    """The absolute date of a dateline that opens ``paragraph``, with its offsets."""
    match = _DATELINE.match(paragraph[:160])
    if not match:
        return None
    day = _date_of(match)
    if day is None:
        return None
    return FoundDate(day, match.group("date"), match.start("date"), match.end("date"))


def search_absolute_date(text: str) -> FoundDate | None:
    """The first absolute date anywhere in ``text``."""
    for match in _ABSOLUTE_DATE.finditer(text):
        day = _date_of(match)
        if day is not None:
            return FoundDate(day, match.group(0), match.start(), match.end())
    return None


def _date_of(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    for suffix in ("1", "2", "3"):
        if groups.get("y" + suffix):
            return _make_date(groups["y" + suffix], groups["m" + suffix], groups["d" + suffix])
    return None


def _make_date(year: str, month: str, day: str) -> date | None:
    month_number = int(month) if month.isdigit() else MONTHS.get(month.lower()[:3])
    if month_number is None:
        return None
    try:
        return date(int(year), month_number, int(day))
    except ValueError:
        return None
