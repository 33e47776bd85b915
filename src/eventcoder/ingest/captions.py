"""Photo captions as low-weight evidence with real offsets.

The cleaner moves captions out of the body so they do not break its
paragraphs. Here they come back *after* the body, credits stripped, one per
paragraph, so that what they say ("… captured by Iraqi security forces on
June 25, 2020") can be a mention with offsets like any other.
``Article.body_end`` marks where the body stops; the event stage gives
caption mentions low weight and never lets them set the story's time.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Article, TextSpan

PARAGRAPH_SEPARATOR = "\n\n"
# "(Reuters)", "(Baghdad Governorate)", "(AP Photo/Hadi Mizban)", "(Name/Twitter)", "(Agency, 2014)"
TRAILING_CREDIT = re.compile(r"\s*\((?:[^()]{2,80})\)\s*\.?\s*$")
LEADING_LABEL = re.compile(r"^(?:photo|image|picture|credit|caption)\s*:\s*", re.IGNORECASE)
MIN_CAPTION_WORDS = 3


def caption_text(caption: str) -> str:
    """The caption without its credit or label."""
    text = LEADING_LABEL.sub("", caption.strip())
    text = TRAILING_CREDIT.sub("", text).strip()
    return text


def attach_captions(article: Article) -> Article:
    """The article with its captions appended after the body, each with its span."""
    if article.caption_spans or not article.captions:
        return article
    text = article.text
    spans = []
    for caption in article.captions:
        cleaned = caption_text(caption)
        if len(cleaned.split()) < MIN_CAPTION_WORDS:
            continue
        start = len(text) + len(PARAGRAPH_SEPARATOR)
        text = text + PARAGRAPH_SEPARATOR + cleaned
        spans.append(TextSpan(start, start + len(cleaned), cleaned))
    if not spans:
        return article
    return replace(article, text=text, body_end=len(article.text), caption_spans=spans)
