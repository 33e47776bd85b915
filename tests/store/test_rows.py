from datetime import date

import pytest

from eventcoder.errors import StoreError
from eventcoder.store.rows import date_bounds, flatten_result, global_event_id, precision_of

from .conftest import make_result


@pytest.mark.parametrize(("value", "precision", "expected"), [
    ("2020-06-25", "day", (date(2020, 6, 25), date(2020, 6, 25))),
    ("2020-06", "month", (date(2020, 6, 1), date(2020, 6, 30))),
    ("2020-02", "month", (date(2020, 2, 1), date(2020, 2, 29))),
    ("2019", "year", (date(2019, 1, 1), date(2019, 12, 31))),
    ("2020-06-01/2020-06-10", "range", (date(2020, 6, 1), date(2020, 6, 10))),
    (None, "unknown", (None, None)),
    ("2020-06", "unknown", (None, None)),
    ("next week", "day", (None, None)),
    ("2020-06-25T14:00:00+00:00", "day", (date(2020, 6, 25), date(2020, 6, 25))),
    ("2020-13", "month", (None, None)),
])
def test_date_bounds(value, precision, expected):
    assert date_bounds(value, precision) == expected


def test_precision_of_reads_the_shape():
    assert [precision_of(v) for v in ("2020", "2020-06", "2020-06-01", None)] == ["year", "month", "day", "unknown"]


def test_global_event_id_is_prefix_and_key():
    assert global_event_id("a" * 64, "e3") == "aaaaaaaaaaaaaaaa:e3"


def test_malformed_result_names_the_document():
    result = make_result("broken", "Some text.", [])
    result["events"] = [{"type": "AGREE"}]  # no id
    with pytest.raises(StoreError, match="malformed result") as caught:
        flatten_result(result, ingested_at=None)  # type: ignore[arg-type]
    assert result["document"]["id"] in str(caught.value)


def test_result_without_document_is_refused():
    with pytest.raises(StoreError, match="no document id"):
        flatten_result({"events": []}, ingested_at=None)  # type: ignore[arg-type]
