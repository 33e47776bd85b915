"""Arbitrary input never escapes as anything but an Article or an InputError, and cleaning only removes."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcoder.errors import InputError
from eventcoder.ingest import InputFailure, clean_article, iter_inputs
from eventcoder.model import RawDocument

PAGE_PIECES = st.sampled_from([
    "\n", "\n\n", " ", "(", ")", "Photo: ", "(Reuters)", " - ", "• ", "Filed under: ", "Tags: a, b", "Menu",
    "By Jane Doe", "June 30, 2020", "BAGHDAD, ", "\u201c", "\u201d", "'", "e\u0301", "Share this", "/",
    "Officials said the talks would resume.", "Troops Withdraw From Town", "|", "Related posts",
])
PAGES = st.lists(st.one_of(PAGE_PIECES, st.text(max_size=30)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=PAGES)
def test_cleaning_returns_an_article_or_an_input_error(text: str) -> None:
    try:
        article = clean_article(RawDocument(content=text, origin="prop.txt", doc_id="0" * 64))
    except InputError:
        return
    assert article.text == unicodedata.normalize("NFC", article.text)
    paragraphs = article.text.split("\n\n")
    assert all(paragraph.strip() == paragraph and paragraph for paragraph in paragraphs)
    source_words = set(unicodedata.normalize("NFC", text).split())
    assert all(word in source_words or word.strip("•*-–—") in source_words or any(word in source for source in
               source_words) for word in article.text.split())  # nothing invented, only removed or rejoined
    assert article.published_source in ("metadata", "inferred", "unknown")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".jsonl", ""]))
def test_any_bytes_become_documents_or_failures(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"input{suffix}"
        path.write_bytes(data)
        items = list(iter_inputs([path]))
    assert items and all(isinstance(item, RawDocument | InputFailure) for item in items)
    if suffix != ".jsonl":
        assert len(items) == 1
