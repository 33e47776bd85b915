"""From a ``RawDocument`` to a cleaned ``Article``: markup removed (HTML),
page furniture removed (all formats), title, source, categories, captions
and publication date read, text NFC-normalised. ``Article.text`` is what
every later offset refers to: body paragraphs joined by a blank line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from ..config import Settings
from ..errors import EmptyInputError, InputError, TooLargeInputError
from ..model import Article, DateValue, RawDocument, TextSpan
from ..resolve.dates import infer_published
from .dates import find_dateline, parse_metadata_date, parse_published_argument, search_absolute_date
from .html import extract_html
from .page import PageCues, clean_page, line_key
from .readers import InputFailure

PARAGRAPH_SEPARATOR = "\n\n"
ENGLISH_STOPWORDS = frozenset({
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "on", "with", "as", "was", "by", "at", "it",
    "from", "he", "said", "his", "be", "are", "has", "have", "an", "were", "not", "this", "but", "they",
    "which", "their", "its", "or", "had", "been", "who", "will", "would", "after", "also",
})
_WORD = re.compile(r"[^\W\d_]+")
_DATELINE_AGENCY = re.compile(r"^[^()\n]{0,80}\(([^()\n]{1,40})\)\s*[-–—:]")


@dataclass(frozen=True)
class _Page:
    """A document's text before line cleaning, with what its metadata already says."""

    text: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)


def clean_article(raw: RawDocument, *, published: str | None = None, settings: Settings | None = None) -> Article:
    """The cleaned article of ``raw``; raises an ``InputError`` subclass when nothing usable is left.

    ``published`` (``YYYY-MM-DD``, else ``ConfigError``) overrides any date the document carries.
    """
    settings = settings or Settings()
    given = parse_published_argument(published) if published is not None else None
    page = _page_of(raw)
    cleaned = clean_page(page.text, title=page.title)
    text = PARAGRAPH_SEPARATOR.join(cleaned.paragraphs)
    _check_text(text, raw.origin, settings)
    published_value, published_source = choose_published(given, page.published, cleaned.date_line, text)
    return Article(
        id=raw.doc_id,
        text=text,
        title=_nfc(page.title or cleaned.title),
        published=published_value,
        published_source=published_source,
        source=page.source or dateline_agency(text) or cleaned.site_name,
        url=page.url,
        categories=_unique([*page.categories, *cleaned.categories]),
        language=guess_language(text),
        input_id=raw.input_id,
        origin=raw.origin,
        captions=_unique([*page.captions, *cleaned.captions]),
    )


def iter_articles(
    items: Iterable[RawDocument | InputFailure], *, published: str | None = None, settings: Settings | None = None,
) -> Iterator[Article | InputFailure]:
    """``clean_article`` over a reader's output; a document that cleans to nothing becomes a failure."""
    for item in items:
        if isinstance(item, InputFailure):
            yield item
            continue
        try:
            yield clean_article(item, published=published, settings=settings)
        except InputError as error:
            yield InputFailure(origin=item.origin, error=error)


def _page_of(raw: RawDocument) -> _Page:
    content = _nfc(raw.content) or ""
    if raw.format != "html":
        return _Page(text=content, title=_nfc(raw.title), source=raw.source, published=raw.published, url=raw.url)
    html = extract_html(content)
    return _Page(
        text=html.text,
        title=_nfc(raw.title or html.title),
        source=raw.source or html.site_name,
        published=raw.published or html.published,
        url=raw.url or html.url,
        categories=[_nfc(item) or "" for item in html.categories],
        captions=[_nfc(item) or "" for item in html.captions],
    )


def _check_text(text: str, origin: str, settings: Settings) -> None:
    if not text.strip():
        raise EmptyInputError("no article text left after removing markup and page furniture", where=origin,
                              hint="check that the page holds the article itself, not only scripts or navigation")
    if len(text) > settings.max_text_chars:
        raise TooLargeInputError(
            f"cleaned text has {len(text):,} characters, over the limit of {settings.max_text_chars:,}",
            where=origin, hint="split the document, or raise EVENTCODER_MAX_TEXT_CHARS")


def choose_published(
    given: date | None, metadata: str | None, date_line: str | None, text: str,
) -> tuple[DateValue, str]:
    """The publication date and where it came from: argument, metadata, inferred (dateline) or unknown."""
    if given is not None:
        return _day(given, given.isoformat()), "argument"
    metadata_day = parse_metadata_date(metadata) if metadata else None
    if metadata_day is not None:
        return _day(metadata_day, metadata), "metadata"
    first_paragraph = text.split(PARAGRAPH_SEPARATOR, 1)[0]
    found = find_dateline(first_paragraph)
    if found is not None:
        return _day(found.day, found.text, TextSpan.of(text, found.start, found.end)), "inferred"
    line_date = search_absolute_date(date_line) if date_line else None
    if line_date is not None:
        return _day(line_date.day, line_date.text), "inferred"
    # no earlier than the latest date the text reports as past (low confidence, open-ended)
    reported = infer_published(text)
    if reported is not None:
        return reported, "inferred"
    return DateValue.unknown(), "unknown"


def _day(day: date, text: str | None, span: TextSpan | None = None) -> DateValue:
    return DateValue(day.isoformat(), "day", text=text, earliest=day, latest=day, span=span)


def dateline_agency(text: str) -> str | None:
    """The agency of a wire dateline ("BAGHDAD, June 30 (Reuters) -"), when it is a known one."""
    match = _DATELINE_AGENCY.match(text)
    if match and line_key(match.group(1)) in PageCues.default().agencies:
        return match.group(1).strip()
    return None


def guess_language(text: str) -> str:
    """ "en" unless the text is clearly something else ("und": undetermined); cheap, never fails."""
    words = _WORD.findall(text[:20000].lower())
    if len(words) < 20:
        return "en"
    ascii_share = sum(word.isascii() for word in words) / len(words)
    stopword_share = sum(word in ENGLISH_STOPWORDS for word in words) / len(words)
    return "en" if ascii_share >= 0.6 and stopword_share >= 0.08 else "und"


def _nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if value else value


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        if item and item.strip():
            seen.setdefault(item.strip().casefold(), item.strip())
    return list(seen.values())
