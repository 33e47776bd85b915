"""HTML pages: main text through trafilatura, metadata from the page's own
declarations (meta tags, JSON-LD), captions from ``<figcaption>``.

The publication date is read only from what the page declares
(``datePublished``, ``article:published_time`` …). trafilatura's own date
(htmldate) also guesses from ``<time>`` elements, URLs and page text — page
furniture such as "Updated" stamps or sidebar dates — so it is not used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

# Embedded content whose fallback text ("Please enable JavaScript", player captions) is not the article;
# trafilatura keeps <noscript> text, so these go before it runs.
EMBEDDED_TAGS = ("noscript", "iframe", "template", "object", "embed", "video", "audio", "canvas")
# Elements whose text is never article text (also dropped by trafilatura).
NON_TEXT_TAGS = ("script", "style", "noscript", "iframe", "template", "svg", "head", "nav", "header",
                 "footer", "form", "button", "aside", "figure", "object", "embed", "video", "audio")
BLOCK_TAGS = ("p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr",
              "blockquote", "pre", "dd", "dt", "main")
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "date",
                  "pubdate", "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued",
                  "dcterms.issued", "dcterms.date", "parsely-pub-date", "sailthru.date", "citation_publication_date")


@dataclass(frozen=True)
class HtmlPage:
    """What an HTML page yields before the line cleaner runs."""

    text: str  # one paragraph per line
    title: str | None = None
    site_name: str | None = None
    published: str | None = None  # as declared, not yet parsed
    url: str | None = None  # the canonical URL the page declares
    categories: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)


def extract_html(html: str) -> HtmlPage:
    """Main text and declared metadata of an HTML page (text may be empty)."""
    tree = parse_html(html)
    if tree is None:
        return HtmlPage(text="")
    declared_date = declared_published(tree)
    captions = figure_captions(tree)
    _drop_elements(tree, EMBEDDED_TAGS)
    document = trafilatura.bare_extraction(
        deepcopy(tree), with_metadata=True, include_comments=False, include_images=False, include_tables=True,
        include_formatting=False, deduplicate=False,
    )
    text = getattr(document, "text", None) or fallback_text(tree)
    site_name = _clean(getattr(document, "sitename", None))
    return HtmlPage(
        text=text,
        title=without_site_suffix(_clean(getattr(document, "title", None)), site_name),
        site_name=site_name,
        published=declared_date,
        url=_clean(getattr(document, "url", None)),
        categories=[*(getattr(document, "categories", None) or []), *(getattr(document, "tags", None) or [])],
        captions=captions,
    )


def parse_html(html: str) -> HtmlElement | None:
    """The page's tree; fragments ("<p>…</p>") that trafilatura's loader refuses are parsed as a document."""
    tree = load_html(html)
    if tree is not None:
        return tree
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None


def _drop_elements(root: HtmlElement, tags: tuple[str, ...]) -> None:
    for element in list(root.iter(*tags)):
        if element is not root and element.getparent() is not None:
            element.drop_tree()


def declared_published(tree: HtmlElement) -> str | None:
    """The page's declared publication date: JSON-LD ``datePublished``, else a meta tag."""
    for value in _json_ld_values(tree, "datePublished"):
        if isinstance(value, str) and value.strip():
            return value.strip()
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key in PUBLISHED_META and content:
            return content
    for element in tree.xpath('//*[@itemprop="datePublished"]'):  # microdata, e.g. <time itemprop=…>
        value = (element.get("datetime") or element.get("content") or "").strip()
        if value:
            return str(value)
    return None


def _json_ld_values(tree: HtmlElement, key: str) -> Iterator[Any]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # malformed JSON-LD is common; the page is still readable
        yield from _find_key(data, key)


def _find_key(data: Any, key: str) -> Iterator[Any]:
    if isinstance(data, dict):
        if key in data:
            yield data[key]
        for value in data.values():
            yield from _find_key(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from _find_key(item, key)


def figure_captions(tree: HtmlElement) -> list[str]:
    captions = (_clean(element.text_content()) for element in tree.iter("figcaption"))
    return [caption for caption in captions if caption]


def fallback_text(tree: HtmlElement) -> str:
    """Visible text, one block per line, for fragments trafilatura finds too short to extract."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    _drop_elements(root, NON_TEXT_TAGS)
    if root.tag in NON_TEXT_TAGS:
        return ""
    for element in root.iter(*BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


def without_site_suffix(title: str | None, site_name: str | None) -> str | None:
    """ "Talks collapse in Doha | Gulf Daily" -> "Talks collapse in Doha" when the site is Gulf Daily."""
    if not title or not site_name:
        return title
    for separator in (" | ", " - ", " – ", " — ", " :: ", " · "):
        head, found, tail = title.rpartition(separator)
        if found and head and tail.strip().casefold() == site_name.casefold():
            return head.strip()
    return title


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    return " ".join(value.split()) or None
