"""clean_article on realistic scraped pages of different kinds, and the published-date rules."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from eventcoder.config import Settings
from eventcoder.errors import ConfigError, EmptyInputError, TooLargeInputError
from eventcoder.ingest import InputFailure, clean_article, iter_articles, iter_inputs
from eventcoder.model import Article, RawDocument

from .conftest import REFERENCE


def article_of(path: Path, published: str | None = None) -> Article:
    [raw] = list(iter_inputs([path]))
    assert isinstance(raw, RawDocument)
    return clean_article(raw, published=published)


def text_document(text: str, **fields: str) -> RawDocument:
    return RawDocument(content=text, origin="test.txt", doc_id="x" * 64, **fields)  # type: ignore[arg-type]


def assert_paragraphs_intact(article: Article) -> None:
    paragraphs = article.text.split("\n\n")
    assert all(paragraph and paragraph == paragraph.strip() and "\n" not in paragraph for paragraph in paragraphs)


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/corpus is absent")
def test_reference_page() -> None:
    article = article_of(REFERENCE)
    assert article.title == "The Capitulation of the Iraqi Prime Minister to Iran"
    assert article.categories == ["Iran", "Iraq"]
    assert article.source == "Jerusalem Center for Public Affairs"
    for furniture in ("Skip to content", "(Iraqitweet/Twitter)", "(Baghdad Governorate)", "Filed under",
                      "Pro-Iranian militiamen burning the U.S. and Israeli flags", "Strategic Alliances"):
        assert furniture not in article.text
    assert article.title not in article.text
    assert any("(Iraqitweet/Twitter)" in caption for caption in article.captions)
    assert any("captured by Iraqi security forces on June 25, 2020" in caption for caption in article.captions)
    assert "On June 25, 2020, Iraqi forces raided the Baghdad headquarters of the Hizbullah Brigades" in article.text
    assert article.text.startswith("Iraqi Prime Minister Mustafa al-Kadhimi has caved")
    assert "Did Kadhimi Capitulate or Was There a Deal?" in article.text
    assert_paragraphs_intact(article)


def test_wire_story_with_dateline(fixtures: Path) -> None:
    article = article_of(fixtures / "wire_dateline.txt")
    assert article.title == "Iraq frees men held over rocket attacks on U.S. targets"
    assert article.text.startswith("BAGHDAD, June 30, 2020 (Reuters) - Iraq released on Tuesday")
    assert (article.published.value, article.published.precision, article.published_source) == (
        "2020-06-30", "day", "inferred")
    span = article.published.span
    assert span is not None and article.text[span.start:span.end] == "June 30, 2020"
    assert article.source == "Reuters"
    for furniture in ("By Samir Haddad", "3 Min Read", "REUTERS/", "Reporting by", "stands guard at a checkpoint"):
        assert furniture not in article.text
    assert article.captions == [
        "A member of Iraq's security forces stands guard at a checkpoint in Baghdad, Iraq June 29, 2020. "
        "REUTERS/Khalid al-Mousily"]
    assert "\"They were handed over to the judiciary" in article.text  # straight quotes kept as they are
    assert_paragraphs_intact(article)


def test_blog_page_with_navigation_tags_and_comments(fixtures: Path) -> None:
    article = article_of(fixtures / "blog_tags.txt")
    assert article.title == "Estonia expels two Russian diplomats over espionage claims"
    assert article.source == "The Baltic Ledger"
    assert article.categories == ["Estonia", "Russia", "espionage", "diplomacy"]
    assert (article.published.value, article.published_source) == ("2021-03-03", "inferred")
    for furniture in ("Skip to", "Menu", "Home |", "Independent reporting", "Posted on", "Share this", "Twitter",
                      "Like Loading", "Tags:", "Related posts", "Latvia tightens", "Leave a Reply", "email address",
                      "Photo:", "(Baltic Ledger)", "Protesters outside the Russian embassy", "Pikk street"):
        assert furniture not in article.text, furniture
    assert "Photo: Baltic Ledger/Kadri Mets" in article.captions
    assert "The Russian embassy on Pikk street in Tallinn on a winter morning." in article.captions
    assert "Protesters outside the Russian embassy" in article.captions
    assert "\n\nthey tried to obtain non-public documents, and\n\n" in article.text  # bullet glyph gone, item kept
    assert article.text.endswith("Latvia and Lithuania said they supported the decision.")
    assert_paragraphs_intact(article)


def test_html_page_with_scripts_iframes_and_json_ld(fixtures: Path) -> None:
    article = article_of(fixtures / "page_scripts.html")
    assert article.title == "Ministers agree grain corridor after talks in Ankara"
    assert article.source == "Harbor Times"
    assert article.url == "https://harbor.example.org/world/grain-corridor"
    assert (article.published.value, article.published_source) == ("2022-07-22", "metadata")
    for furniture in ("dataLayer", "trackRead", "Sponsored offer", "signing ceremony", "cookies", "font-family",
                      "By Maria Ortega", "January", "Share this article", "Harbor Times", "Photo:"):
        assert furniture not in article.text, furniture
    assert article.captions == ["Cargo ships wait near the Bosphorus. (Photo: Harbor Times/File)"]
    assert article.text.startswith("ANKARA — Defence ministers")
    assert "\n\nShips will be inspected by joint teams in Istanbul.\n\n" in article.text
    assert_paragraphs_intact(article)


def test_jsonl_metadata_wins_and_html_records_are_cleaned(fixtures: Path) -> None:
    articles = list(iter_articles(iter_inputs([fixtures / "records.jsonl"])))
    first, second, third = articles
    assert isinstance(first, Article) and isinstance(second, Article) and isinstance(third, Article)
    assert (first.title, first.source, first.url, first.input_id) == (
        "Troops withdraw from border town", "Example Wire", "https://news.example.org/wire-001", "wire-001")
    assert (first.published.value, first.published_source) == ("2021-05-10", "metadata")
    assert second.title == "Talks resume in Geneva" and second.published.value == "2021-06-03"
    assert second.text.count("Delegations from both parties") == 1  # extraction echoes removed
    assert (third.published_source, third.title) == ("unknown", None)


def test_published_argument_overrides_and_is_validated(fixtures: Path) -> None:
    article = article_of(fixtures / "wire_dateline.txt", published="2020-07-01")
    assert (article.published.value, article.published.earliest, article.published_source) == (
        "2020-07-01", date(2020, 7, 1), "argument")
    for bad in ("2020-7-1", "01/07/2020", "2020-02-30", "yesterday"):
        with pytest.raises(ConfigError, match="YYYY-MM-DD"):
            article_of(fixtures / "wire_dateline.txt", published=bad)


def test_dateline_without_a_year_gives_no_date() -> None:
    article = clean_article(text_document("GENEVA, June 30 (Reuters) - Talks resumed on Tuesday between the parties."))
    assert (article.published.value, article.published_source) == (None, "unknown")
    assert article.source == "Reuters"


def test_metadata_date_that_cannot_be_read_falls_through() -> None:
    raw = text_document("MADRID, 4 May 2023 — Spain's government approved a housing law on Thursday.",
                        published="sometime last spring")
    article = clean_article(raw)
    assert (article.published.value, article.published_source) == ("2023-05-04", "inferred")


def test_unicode_is_nfc_and_quotes_are_untouched() -> None:
    text = "Cafe\u0301 owners in Bogota\u0301 said \u201cwe\u2019re closing\u201d and 'we're done' on Monday."
    article = clean_article(text_document(text))
    assert article.text == unicodedata.normalize("NFC", text)
    assert "\u201cwe\u2019re closing\u201d" in article.text and "'we're done'" in article.text


def test_text_over_the_limit_is_refused() -> None:
    with pytest.raises(TooLargeInputError, match="over the limit of 50"):
        clean_article(text_document("Word " * 40), settings=Settings(max_text_chars=50))


def test_nothing_but_furniture_is_an_empty_failure() -> None:
    raw = text_document("Skip to content\nMenu\nSearch\nSubscribe\n\nShare this\n")
    with pytest.raises(EmptyInputError, match="no article text"):
        clean_article(raw)
    [failure] = list(iter_articles([raw]))
    assert isinstance(failure, InputFailure) and failure.origin == "test.txt"


def test_a_short_document_keeps_its_only_line() -> None:
    assert clean_article(text_document("Ceasefire holds")).text == "Ceasefire holds"


def test_page_without_blank_lines_between_paragraphs(fixtures: Path) -> None:
    article = article_of(fixtures / "analysis_no_blank_lines.txt")
    assert article.title == "Why the governing coalition walked out of parliament"
    assert (article.published.value, article.published_source) == ("2022-06-14", "inferred")
    assert article.text.split("\n\n") == [
        "The party's leader ordered its 73 lawmakers to resign on Sunday, a move that upended months of talks on "
        "forming a government.",
        "The resignation leaves the rival bloc, an alliance of five parties, as the largest group in the chamber.",
        "What happens now?",
        "Under the constitution, the vacant seats pass to the runners-up in each district.",
    ]
    assert article.captions == [
        "Supporters rally in the capital",
        "Supporters of the party rally in the main square of the capital, June 10, 2022. Photo: Omar Said"]


def test_html_title_loses_the_site_suffix_and_microdata_date_counts() -> None:
    html = ("<html><head><title>Port strike ends after pay deal | Coast Herald</title>"
            '<meta property="og:site_name" content="Coast Herald"></head><body><article>'
            '<time itemprop="datePublished" datetime="2023-09-14T07:00:00Z">Sept. 14</time>'
            "<p>Dock workers at the country's largest port returned to work on Thursday after unions accepted a "
            "new pay offer, ending a strike that had lasted nine days and stranded dozens of ships.</p>"
            "<p>The agreement raises wages by eight percent over two years, the port authority said.</p>"
            "</article></body></html>")
    raw = RawDocument(content=html, origin="page.html", format="html", doc_id="0" * 64)
    article = clean_article(raw)
    assert article.title == "Port strike ends after pay deal" and article.source == "Coast Herald"
    assert (article.published.value, article.published_source) == ("2023-09-14", "metadata")
    assert article.text.startswith("Dock workers")


def test_old_mac_and_windows_line_endings() -> None:
    text = "Title Of The Story\r\rBy Ann Lee\r\n\r\nTroops left the town on Monday after the ceasefire, officials said."
    article = clean_article(text_document(text))
    assert article.title == "Title Of The Story"
    assert article.text == "Troops left the town on Monday after the ceasefire, officials said."
