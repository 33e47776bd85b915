"""The pipeline's own behaviour: batches, isolation of failing documents, time limits."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from eventcoder.config import Settings
from eventcoder.errors import ProcessingTimeoutError
from eventcoder.model import Article
from eventcoder.pipeline import STAGES, DocumentFailure, Pipeline, build_nlp, model_name, time_limit


def article(number: int, text: str = "Police arrested two protesters in Nairobi on Monday.") -> Article:
    return Article(id=f"doc{number}", text=text, origin=f"test:{number}")


def test_stages_are_registered_components_in_order() -> None:
    nlp = build_nlp(model_name(Settings()))
    names = nlp.pipe_names
    assert [name for name in names if name in STAGES] == list(STAGES)


def test_results_come_back_in_input_order_with_failures_passed_through() -> None:
    pipeline = Pipeline(Settings(batch_size=2))
    items = [article(1), "a reader failure", article(2), article(3)]
    out = list(pipeline.process(items))
    assert out[0] == "a reader failure"
    assert [result.article.id for result in out[1:]] == ["doc1", "doc2", "doc3"]  # type: ignore[union-attr]


def test_a_long_document_is_parsed_in_a_small_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    # spaCy's memory for a batch grows with its longest document times its size.
    pipeline = Pipeline(Settings(batch_size=8, batch_chars=2_000))
    batches: list[list[str]] = []
    run_batch = pipeline._run_batch

    def spy(batch: list[Article]):  # type: ignore[no-untyped-def]
        batches.append([item.id for item in batch])
        return run_batch(batch)

    monkeypatch.setattr(pipeline, "_run_batch", spy)
    long_text = "Police arrested two protesters in Nairobi on Monday. " * 60  # about 3,200 characters
    items = [article(1), article(2), article(3, long_text), article(4), article(5)]
    out = list(pipeline.process(items))
    assert [result.article.id for result in out] == ["doc1", "doc2", "doc3", "doc4", "doc5"]  # type: ignore[union-attr]
    assert batches == [["doc1", "doc2"], ["doc3"], ["doc4", "doc5"]]


def test_a_document_over_the_time_limit_fails_alone() -> None:
    pipeline = Pipeline(Settings(doc_timeout_s=0.05))
    slow = replace(article(9), text="Police arrested two men. " * 2000)
    out = list(pipeline.process([slow]))
    assert isinstance(out[0], DocumentFailure)
    assert isinstance(out[0].error, ProcessingTimeoutError)
    assert "EVENTCODER_DOC_TIMEOUT_S" in str(out[0].error)


def test_time_limit_interrupts_and_restores() -> None:
    with pytest.raises(Exception) as caught, time_limit(0.05):
        time.sleep(1)
    assert type(caught.value).__name__ == "_TimeLimit"
    with time_limit(0.5):
        time.sleep(0.01)  # finishes well within: nothing raised
