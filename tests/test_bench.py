"""Smoke test of the benchmark on 5 documents: keys and sane values, no timing assertions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder.bench import load_articles, run_benchmark
from eventcoder.config import Settings
from eventcoder.errors import ConfigError

REPORTS = [
    "NAIROBI, March 3 - Kenyan police fired tear gas at protesters who marched on parliament on Tuesday.",
    "Ukraine's foreign minister met his Polish counterpart in Warsaw on Monday to discuss grain exports.",
    "Rebels attacked an army post near Goma overnight, killing three soldiers, the military said.",
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    lines = [json.dumps({"id": f"r{index}", "title": None, "published": "2022-03-0" + str(index + 1), "text": text})
             for index, text in enumerate(REPORTS)]
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_benchmark_reports_sane_figures(corpus: Path) -> None:
    result = run_benchmark(corpus, limit=5, workers=1, settings=Settings())
    assert set(result) >= {"docs", "words", "spacy_docs_per_s", "eventcoder_docs_per_s", "ratio",
                           "peak_rss_mb", "workers"}
    assert result["docs"] == 5  # three reports, cycled
    assert result["words"] == sum(len(article.text.split()) for article in load_articles(corpus, 5, Settings()))
    assert result["spacy_docs_per_s"] > 0 and result["eventcoder_docs_per_s"] > 0
    assert 0 < result["ratio"] < 10
    assert result["spacy_cpu_s"] > 0 and result["eventcoder_cpu_s"] > 0 and 0 < result["cpu_ratio"] < 10
    assert 50 < result["peak_rss_mb"] < 8192
    assert result["workers"] == 1 and "speedup_vs_1" not in result
    json.dumps(result)  # one JSON line


def test_cycled_copies_get_distinct_ids(corpus: Path) -> None:
    articles = load_articles(corpus, 7, Settings())
    assert len(articles) == 7
    assert len({article.id for article in articles}) == 7
    assert [article.text for article in articles[3:6]] == [article.text for article in articles[:3]]


def test_empty_corpus_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(ConfigError):
        run_benchmark(tmp_path, limit=5)
