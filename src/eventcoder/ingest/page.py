"""The scraped-page cleaner: from a page's text (one paragraph per line) to
the article's paragraphs, title, site name, categories and photo captions.

Every line gets one ``kind``; only ``body`` lines become the article text.
The rules look at the shape of a line and its neighbours (length, final
punctuation, a credit in parentheses, a label such as "Filed under:") and at
the generic cues of ``data/ingest/page_cues.tsv``, never at a particular site.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

from ..data import data_path, read_tsv
from ..errors import DataFileError
from .dates import ABSOLUTE_DATE

Kind = Literal[
    "body", "chrome", "title", "header", "caption", "category", "byline", "dateline", "credit", "end", "duplicate",
]

CUE_KINDS = ("chrome", "chrome_prefix", "teaser_label", "end", "related", "category_label", "caption_prefix", "agency",
             "reporting_credit")
MAX_CHROME_PREFIX_WORDS = 15  # "Sign up for our daily briefing" yes, a paragraph that starts alike no
MAX_CAPTION_FRAGMENT_WORDS = 25  # an untitled caption phrase ("Protesters outside the embassy")
MAX_HEADING_WORDS = 20
MIN_DUPLICATE_WORDS = 6  # shorter repeats ("Read more", a refrain) are not echoes
SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "de", "for", "in", "of", "on", "the", "to", "via", "von", "al"})

_KEY_DROP = re.compile(r"[^\w\s&'’-]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BULLET = re.compile(r"^(?:[•·▪▫●○◦‣∙►▶■□➢➤✓✔*]|[-–—](?=\s))\s*")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_NOT_HEADING_END = re.compile(r"[.,;:]$")
_CREDIT_PAREN = re.compile(r"\(([^()]{1,80})\)\s*$")
# "… June 29, 2020. REUTERS/Name", "… in Kabul. AP Photo/Name/File": after a sentence, no final full stop
_AGENCY_SLASH_CREDIT = re.compile(r"(?:^|[.!?\"”]\s+)[A-Z]{2,}(?:\s[A-Z][A-Za-z]+)?/[A-Z][\w'’ /-]{1,60}$")
# "Image source, Reuters" / "Image caption," / "Photo credit: X"
_CAPTION_LABEL = re.compile(r"^(?:image|photo|picture|media|video)\s+(?:source|caption|credit)s?\s*[,:]", re.IGNORECASE)
# "… in Baghdad. Photograph: Name/Agency", "… in Baghdad. © Agency"
_TRAILING_CREDIT = re.compile(
    r"[.!?]\s+(?:(?:photo(?:graph)?|image|picture|credit)s?(?:\s+credit)?\s*:\s*\S.{0,80}|©\s*\S.{0,60})$",
    re.IGNORECASE,
)
_TRAILING_NAME = re.compile(r"[.!?]\s+([A-Z][^.!?()]{1,50})$")
_BAR_CREDIT = re.compile(r"\s\|\s*([^|]{2,60})$")
_PICTURE_BY = re.compile(r"^(?:photo|image|picture|photograph|video)s?\s+(?:by|via|courtesy)\b", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<label>[^\W\d][\w ]{0,24}?)\s*[:：|]\s*(?P<rest>\S.*)?$")
_CATEGORY_SEPARATORS = re.compile(r"\s*[,;|•·]\s*")
_NAV_SEPARATORS = re.compile(r"\s+[|•·»›]\s+")
_BYLINE = re.compile(r"^(?:by|written by|words by|story by|author)\s*:?\s+(?P<names>[A-Z].*)$", re.IGNORECASE)
_BYLINE_ROLE = re.compile(  # "Middle East Desk staff", "News Staff and Agencies": capitalised words, then the role
    r"^(?:[A-Z][\w'’.-]*\s+(?:and\s+|&\s+)?){1,5}"
    r"(?i:staff|correspondents?|reporters?|contributors?|writers?|agencies|newsroom|desk)$")
_NAME_WORD = re.compile(r"^[A-Z][a-zà-ÿ'’.-]*(?:-[A-Z][a-zà-ÿ'’.]*)?$")
_DATE_FURNITURE = re.compile(
    r"^(?:[^\W\d][\w ]{0,30}\s[|·•]\s*)?"  # a section label before it: "Analysis | 14 June 2022"
    r"(?:(?P<label>posted|published|updated|last updated|last modified|date|first published)(?:\s+on)?\s*:?\s*)?"
    rf"(?P<date>{ABSOLUTE_DATE})"
    r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)?"
    r"(?:\s*[|·•,-]?\s*by\s+\S.{0,60})?$",
    re.IGNORECASE,
)
_RELATIVE_STAMP = re.compile(
    r"^(?:(?:updated|posted|published)\b.{0,40}\bago|\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?)\s+ago"
    r"|(?:today|yesterday)(?:,|\s+at)?\s+\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?)$",
    re.IGNORECASE,
)
# "— Jane Doe (@janedoe) June 30, 2020" and "pic.twitter.com/…": the frame of an embedded post
_EMBED_SIGNATURE = re.compile(r"^(?:[—–-]\s*)?[^()]{1,80}\(@\w{1,30}\)\s+.{0,30}\d{4}$|pic\.twitter\.com/|^https?://\S+$")
_READING_TIME = re.compile(r"^\d+\s*-?\s*min(?:ute)?s?\s+read$", re.IGNORECASE)
_COMMENT_COUNT = re.compile(r"^\d+\s+(?:comments?|responses?|replies|thoughts on .*)$", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\s*(?:©|\(c\)|\d{4}))|all rights reserved", re.IGNORECASE)
_FOLLOW_ON = re.compile(r"^follow\b.{0,60}\bon (?:twitter|x|facebook|instagram|telegram|linkedin|bluesky)\b",
                        re.IGNORECASE)
# a cookie notice speaks to the reader; a news sentence about cookies does not
_COOKIE_WORDS = ("we use", "site uses", "website uses", "our use of", "you agree", "you accept", "you consent",
                 "by continuing", "cookie policy", "cookie settings", "accept all")


def _starts_with_any(phrases: Iterable[str], then: str) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives}){then}" if alternatives else r"(?!)")


@dataclass(frozen=True)
class PageCues:
    """Generic page-furniture wording, from ``data/ingest/page_cues.tsv``."""

    chrome: frozenset[str]
    chrome_prefixes: tuple[str, ...]
    teaser_labels: frozenset[str]
    end: frozenset[str]
    related: frozenset[str]
    category_labels: frozenset[str]
    caption_prefixes: frozenset[str]
    agencies: frozenset[str]
    reporting_credits: tuple[str, ...]

    @cached_property
    def chrome_prefix_pattern(self) -> re.Pattern[str]:
        """Matches a line key that starts with a chrome prefix."""
        return _starts_with_any(self.chrome_prefixes, r"\s")

    @cached_property
    def bare_category_label_pattern(self) -> re.Pattern[str]:
        """ "Filed under Iran, Iraq" / "Tagged Iran": labels that need no colon (multi-word or past tense)."""
        labels = [label for label in self.category_labels if " " in label or label.endswith("ed")]
        ordered = sorted(labels, key=len, reverse=True)  # longest first: "tagged with" before "tagged"
        alternatives = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in ordered)
        return re.compile(rf"^(?P<label>{alternatives})\s+(?P<rest>\S.*)$", re.IGNORECASE)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> PageCues:
        path = data_path("ingest", "page_cues.tsv")
        by_kind: dict[str, set[str]] = {kind: set() for kind in CUE_KINDS}
        for number, row in enumerate(read_tsv(path), 2):
            if row.get("kind") not in by_kind:
                raise DataFileError(f"{path}: row {number}: unknown kind {row.get('kind')!r}",
                                    hint=f"use one of {', '.join(CUE_KINDS)}")
            by_kind[row["kind"]].add(line_key(row["phrase"]))
        return cls(
            chrome=frozenset(by_kind["chrome"]), chrome_prefixes=tuple(sorted(by_kind["chrome_prefix"])),
            teaser_labels=frozenset(by_kind["teaser_label"]), end=frozenset(by_kind["end"]),
            related=frozenset(by_kind["related"]),
            category_labels=frozenset(by_kind["category_label"]),
            caption_prefixes=frozenset(by_kind["caption_prefix"]), agencies=frozenset(by_kind["agency"]),
            reporting_credits=tuple(sorted(by_kind["reporting_credit"])),
        )


@dataclass
class Line:
    text: str
    block: int  # lines of one block are not separated by a blank line
    bullet: bool = False
    kind: Kind = "body"


@dataclass(frozen=True)
class CleanedPage:
    paragraphs: list[str]
    title: str | None
    site_name: str | None
    categories: list[str]
    captions: list[str]
    date_line: str | None  # a "Posted on June 30, 2020" line near the top, if any


def clean_page(text: str, *, title: str | None = None, cues: PageCues | None = None) -> CleanedPage:
    """Split a scraped page into article paragraphs and the furniture around them."""
    cues = cues or PageCues.default()
    lines = split_lines(text)
    for line in lines:
        line.kind = classify_line(line, cues)
    title_index = find_title(lines, title)
    title_text = lines[title_index].text if title_index is not None else None
    for repeated in {title_text, title} - {None}:
        _mark_title_repeats(lines, str(repeated))
    absorb_adjacent_captions(lines)
    site_name = mark_header(lines, title_index)
    cut_after_end_marker(lines, cues)
    mark_duplicates(lines)
    if not any(line.kind == "body" for line in lines):
        _restore_titles(lines)  # a page that is only a heading is still a document
    return CleanedPage(
        paragraphs=[line.text for line in lines if line.kind == "body"],
        title=title or title_text,
        site_name=site_name,
        categories=_unique(item for line in lines if line.kind == "category" for item in category_items(line.text)),
        captions=[line.text for line in lines if line.kind == "caption"],
        date_line=_first_date_line(lines),
    )


# --- lines ---------------------------------------------------------------------------------------

def split_lines(text: str) -> list[Line]:
    """Non-blank lines with whitespace collapsed, bullets stripped and hard-wrapped lines rejoined."""
    lines: list[Line] = []
    block = 0
    for raw in text.splitlines():  # \r\n, \r, \u2028 … all end a line
        stripped = _SPACES.sub(" ", raw).strip()
        if not stripped:
            block += 1
            continue
        content = _MARKDOWN_HEADING.sub("", stripped)
        bullet = _BULLET.match(content)
        content = content[bullet.end():] if bullet else content
        if not content:
            continue
        previous = lines[-1] if lines and lines[-1].block == block else None
        if previous is not None and not bullet and _continues(previous.text, content):
            previous.text += " " + content
        else:
            lines.append(Line(content, block, bullet=bool(bullet)))
    return _rejoin_wrapped_blocks(lines)


def _continues(previous: str, current: str) -> bool:
    """A line that starts in lower case after one that did not end a sentence is its continuation."""
    return current[0].islower() and not _TERMINAL.search(previous) and not previous.endswith(":")


def _rejoin_wrapped_blocks(lines: list[Line]) -> list[Line]:
    joined: list[Line] = []
    for block in _blocks(lines):
        if _looks_hard_wrapped(block):
            joined.append(Line(" ".join(line.text for line in block), block[0].block))
        else:
            joined.extend(block)
    return joined


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks and blocks[-1][0].block == line.block:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def _looks_hard_wrapped(block: list[Line]) -> bool:
    """Three or more lines cut at one width, mid-sentence: a paragraph wrapped by its writer's editor."""
    if len(block) < 3 or any(line.bullet for line in block):
        return False
    widths = [len(line.text) for line in block[:-1]]
    widest = max(widths)
    mid_sentence = any(not _TERMINAL.search(line.text) for line in block[:-1])
    return widest <= 100 and min(widths) >= 0.6 * widest and mid_sentence and len(block[-1].text) <= widest


# --- one line on its own ---------------------------------------------------------------------------

def classify_line(line: Line, cues: PageCues) -> Kind:
    """What a line is by itself (its neighbours are looked at later)."""
    text = line.text
    if is_chrome(text, cues):
        return "chrome"
    if category_items(text, cues):
        return "category"
    if _is_reporting_credit(text, cues):
        return "credit"
    if _DATE_FURNITURE.match(text) and len(text.split()) <= 16:
        return "dateline"
    if _is_byline(text):
        return "byline"
    if is_caption(text, cues):
        return "caption"
    return "body"


def line_key(text: str) -> str:
    """A line reduced for comparison: case-folded words, punctuation dropped."""
    return " ".join(_KEY_DROP.sub(" ", text).casefold().split())


def is_chrome(text: str, cues: PageCues | None = None) -> bool:
    cues = cues or PageCues.default()
    key = line_key(text)
    words = len(text.split())
    if key in cues.chrome or not key:
        return True
    if words <= MAX_CHROME_PREFIX_WORDS and cues.chrome_prefix_pattern.match(key):
        return True
    label = _LABEL.match(text)
    if label and line_key(label["label"]) in cues.teaser_labels:
        return True  # "Read more: <another article's headline>"
    if _READING_TIME.match(key) or _RELATIVE_STAMP.match(text) or (words <= 15 and _FOLLOW_ON.match(text)):
        return True
    if words <= 25 and _EMBED_SIGNATURE.search(text):
        return True
    if words <= 25 and _COPYRIGHT.search(text):
        return True
    if "cookie" in key and words <= 80 and any(word in key for word in _COOKIE_WORDS):
        return True
    parts = _NAV_SEPARATORS.split(text)
    return len(parts) >= 3 and all(len(part.split()) <= 4 for part in parts)


def category_items(text: str, cues: PageCues | None = None) -> list[str]:
    """The items of a "Filed under: A, B" line, or [] when the line is not one."""
    cues = cues or PageCues.default()
    match = _LABEL.match(text)
    if match is None or line_key(match["label"]) not in cues.category_labels:
        match = cues.bare_category_label_pattern.match(text)
    if match is None or not match["rest"] or len(text.split()) > 40:
        return []
    items = [item.strip().lstrip("#").strip() for item in _CATEGORY_SEPARATORS.split(match["rest"])]
    items = [item for item in items if item]
    if not items or any(len(item.split()) > 6 or _TERMINAL.search(item) for item in items):
        return []
    return items


def _is_reporting_credit(text: str, cues: PageCues) -> bool:
    """ "(Reporting by A; Editing by B)", or the same without parentheses."""
    key = line_key(text)
    if not any(key.startswith(credit + " ") for credit in cues.reporting_credits):
        return False
    bracketed = text.startswith("(") and text.endswith(")")
    return bracketed or ";" in text or len(text.split()) <= 12


def _is_byline(text: str) -> bool:
    words = len(text.split())
    if _BYLINE_ROLE.match(text):
        return words <= 8
    match = _BYLINE.match(text)
    return match is not None and match["names"][0].isupper() and words <= 12 and not text.endswith(".")


def is_name_like(text: str) -> bool:
    """Two to four capitalised words and nothing else: how an author's name stands under a headline."""
    words = text.split()
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(word) for word in words)


def is_caption(text: str, cues: PageCues | None = None) -> bool:
    """A photo caption or credit by its own shape: "Photo: …", "… (Reuters)", "… REUTERS/Name"."""
    cues = cues or PageCues.default()
    if len(text.split()) > 80:
        return False
    if _has_caption_label(text, cues) or _PICTURE_BY.match(text):
        return True
    if _AGENCY_SLASH_CREDIT.search(text) or _CAPTION_LABEL.match(text) or _TRAILING_CREDIT.search(text):
        return True
    if len(text.split()) <= 4 and line_key(text.lstrip("©")) in cues.agencies:
        return True  # a bare credit line: "Getty Images"
    trailing = _TRAILING_NAME.search(text)
    if trailing and _ends_with_agency(line_key(trailing.group(1)), cues):
        return True  # "… on Sunday. AFP via Getty Images"
    bar = _BAR_CREDIT.search(text)
    if bar and _is_named_credit(bar.group(1), cues):
        return True  # "Protesters in Baghdad | Getty Images"
    paren = _CREDIT_PAREN.search(text)
    return paren is not None and is_credit(paren.group(1), text[: paren.start()].rstrip(), cues)


def is_credit(content: str, before: str, cues: PageCues | None = None) -> bool:
    """Whether ``(content)`` ending a line credits a photo (agency, photographer, account, owner)."""
    cues = cues or PageCues.default()
    key = line_key(content)
    if not key:
        return False
    if _is_named_credit(content, cues):  # "(Reuters)", "(AP Photo/Name)", "(Account/Twitter)"
        return True
    words = content.replace(",", " ").split()
    if not 1 <= len(words) <= 8 or _is_acronym(words):
        return False
    title_case = all(word[0].isupper() or word[0].isdigit() or word.lower() in SMALL_WORDS for word in words)
    title_case = title_case and any(word[0].isalpha() for word in words)  # "(1980-1988)" dates, credits nobody
    has_year = re.search(r"\b(?:19|20)\d{2}$", content) is not None
    return title_case and (bool(_TERMINAL.search(before)) or has_year)


def _is_named_credit(content: str, cues: PageCues) -> bool:
    """An agency, "Agency/Photographer", or "Photo: …" — credits that need no context to be told."""
    key = line_key(content)
    return (key in cues.agencies or any(key.startswith(prefix + " ") for prefix in cues.caption_prefixes)
            or re.match(r"^[A-Z][^/\s]*(?: [^/\s]+){0,3}/\S", content) is not None)


def _ends_with_agency(key: str, cues: PageCues) -> bool:
    words = key.split()
    return any(" ".join(words[start:]) in cues.agencies for start in range(len(words)))


def _is_acronym(words: list[str]) -> bool:
    """ "(PMF)" after a name defines an abbreviation; it credits nothing."""
    return len(words) == 1 and words[0].isupper() and len(words[0]) <= 6


def is_heading_like(text: str) -> bool:
    """Short, capitalised, not ending like a sentence or a label: a title or a site name."""
    words = text.split()
    return (
        1 <= len(words) <= MAX_HEADING_WORDS and len(text) <= 200 and not _NOT_HEADING_END.search(text)
        and (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘") and "://" not in text
    )


def is_body_like(line: Line) -> bool:
    """A paragraph of article prose: a sentence of some length."""
    words = len(line.text.split())
    return line.kind == "body" and (words >= 20 or (words >= 8 and bool(_TERMINAL.search(line.text))))


# --- lines in context ----------------------------------------------------------------------------

def body_start(lines: list[Line]) -> int | None:
    return next((index for index, line in enumerate(lines) if is_body_like(line)), None)


def find_title(lines: list[Line], known_title: str | None) -> int | None:
    """Index of the title line: the known title, else a repeated or last heading before the body."""
    if known_title:
        return _find_known_title(lines, known_title)
    start = body_start(lines)
    if start is None:
        return None
    candidates = [index for index in range(start) if lines[index].kind == "body" and is_heading_like(lines[index].text)]
    keys = [line_key(lines[index].text) for index in candidates]
    counts = Counter(keys)
    repeated = [index for index, key in zip(candidates, keys, strict=True) if counts[key] > 1]
    if repeated:
        return repeated[0]
    before_metadata = [index for index in candidates if _precedes_article_metadata(lines, index, start)]
    if before_metadata:
        return _headline_above(lines, before_metadata[0], set(candidates))
    caption_blocks = {line.block for line in lines if line.kind == "caption"}
    away_from_captions = [index for index in candidates if lines[index].block not in caption_blocks]
    pool = away_from_captions or candidates
    return pool[-1] if pool else None


def _precedes_article_metadata(lines: list[Line], index: int, limit: int) -> bool:
    """Whether the next non-chrome line is a byline, a date line or a category line, as under a headline."""
    following = (line for line in lines[index + 1:limit] if line.kind != "chrome")
    return next((line.kind for line in following), None) in ("byline", "dateline", "category")


def _headline_above(lines: list[Line], index: int, candidates: set[int]) -> int:
    """The headline when the line above the byline is an author's name or a long standfirst under it."""
    above = index - 1
    if above not in candidates:
        return index
    if is_name_like(lines[index].text):
        lines[index].kind = "byline"
        return above
    longer = len(lines[index].text.split()) >= 12 and len(lines[above].text) < len(lines[index].text)
    return above if longer else index


def _find_known_title(lines: list[Line], known_title: str) -> int | None:
    wanted = line_key(known_title)
    for index, line in enumerate(lines):
        if line.kind != "body":
            continue
        key = line_key(line.text)
        shorter = min(key, wanted, key=len)
        if key == wanted or (len(shorter.split()) >= 4 and (key.startswith(wanted) or wanted.startswith(key))):
            return index
    return None


def _mark_title_repeats(lines: list[Line], title_text: str) -> None:
    wanted = line_key(title_text)
    for line in lines:
        if line.kind == "body" and line_key(line.text) == wanted:
            line.kind = "title"


def absorb_adjacent_captions(lines: list[Line]) -> None:
    """Short unpunctuated lines touching a caption are part of it (alt text, a description line)."""
    changed = True
    while changed:
        changed = False
        # a sweep each way absorbs a run of fragments above or below a caption in one pass
        for index in [*range(len(lines)), *reversed(range(len(lines)))]:
            line = lines[index]
            if line.kind == "body" and _touches_caption(lines, index) and _caption_fragment(lines, index):
                line.kind = "caption"
                changed = True


def _touches_caption(lines: list[Line], index: int) -> bool:
    block = lines[index].block
    return any(
        0 <= other < len(lines) and lines[other].block == block and lines[other].kind == "caption"
        for other in (index - 1, index + 1)
    )


def _caption_fragment(lines: list[Line], index: int) -> bool:
    line = lines[index]
    words = len(line.text.split())
    if line.bullet or words > MAX_CAPTION_FRAGMENT_WORDS + 5:
        return False
    if not _TERMINAL.search(line.text) and words <= MAX_CAPTION_FRAGMENT_WORDS:
        return True
    # "Photo: Agency" then the sentence describing the picture, the two set apart from the text by blank lines
    # (where paragraphs are not set apart, a sentence after a credit may be the article's own)
    previous = lines[index - 1] if index > 0 else None
    ends_block = index + 1 == len(lines) or lines[index + 1].block != line.block
    return (ends_block and previous is not None and previous.block == line.block and previous.kind == "caption"
            and _has_caption_label(previous.text))


def _has_caption_label(text: str, cues: PageCues | None = None) -> bool:
    cues = cues or PageCues.default()
    label = _LABEL.match(text)
    return (label is not None and line_key(label["label"]) in cues.caption_prefixes) or bool(_CAPTION_LABEL.match(text))


def mark_header(lines: list[Line], title_index: int | None) -> str | None:
    """Lines above the title (site name, tagline) leave the text; the first heading-like one is the site."""
    if title_index is None:
        return None
    start = body_start(lines)
    limit = title_index if start is None else min(title_index, start)
    header = [line for line in lines[:limit] if line.kind == "body"]
    for line in header:
        line.kind = "header"
    return next((line.text for line in header if is_heading_like(line.text) and len(line.text.split()) <= 8), None)


def cut_after_end_marker(lines: list[Line], cues: PageCues) -> None:
    """After "Leave a reply" the article is over; under "Related posts" come links until prose resumes.

    Category lines are still read in what is dropped.
    """
    start = body_start(lines)
    if start is None:
        return
    index = start + 1
    while index < len(lines):
        key = line_key(lines[index].text)
        if lines[index].kind in ("body", "chrome") and (key in cues.end or _COMMENT_COUNT.match(key)):
            for line in lines[index:]:
                if line.kind != "category":
                    line.kind = "end"
            return
        if lines[index].kind in ("body", "chrome") and key in cues.related:
            index = _drop_link_list(lines, index)
        index += 1


def _drop_link_list(lines: list[Line], heading: int) -> int:
    """Drop a "Related" heading and the link titles under it; the index of the last line dropped."""
    lines[heading].kind = "end"
    index = heading
    while index + 1 < len(lines) and not is_body_like(lines[index + 1]):
        index += 1
        if lines[index].kind == "body":
            lines[index].kind = "end"
    return index


def mark_duplicates(lines: list[Line]) -> None:
    """A paragraph said twice word for word is an extraction echo or a pull quote: keep the first."""
    seen: set[str] = set()
    for line in lines:
        if line.kind != "body" or len(line.text.split()) < MIN_DUPLICATE_WORDS:
            continue
        key = line_key(line.text)
        if key in seen:
            line.kind = "duplicate"
        seen.add(key)


def _restore_titles(lines: list[Line]) -> None:
    for line in lines:
        if line.kind in ("title", "header"):
            line.kind = "body"


def _first_date_line(lines: list[Line]) -> str | None:
    for line in lines:
        match = _DATE_FURNITURE.match(line.text)
        if line.kind == "dateline" and match and not (match["label"] or "").lower().endswith(("updated", "modified")):
            return match["date"]
    return None


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())
