"""Ingest: read files, directories, stdin (text, HTML, JSONL) and clean scraped pages into ``Article``s.

    from eventcoder.ingest import iter_inputs, iter_articles
    for item in iter_articles(iter_inputs(["page.html", "batch.jsonl", "folder/"])):
        if isinstance(item, InputFailure):
            print(item.error)       # one line: code, where, what, what to do
        else:
            use(item)               # an Article; item.text is what every offset refers to
"""

from .clean import clean_article, guess_language, iter_articles
from .readers import InputFailure, decode_bytes, iter_inputs

__all__ = ["InputFailure", "clean_article", "decode_bytes", "guess_language", "iter_articles", "iter_inputs"]
