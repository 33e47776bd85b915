from eventcoder.extract.quotes import find_quote_spans, inside


def texts(text: str) -> list[str]:
    return [text[span.start:span.end] for span in find_quote_spans(text)]


def test_typographic_quotes_with_nested_single_quotes() -> None:
    text = "“We will not give up, not to ‘anyone,’ ever,” the protesters chanted."
    assert texts(text) == ["We will not give up, not to ‘anyone,’ ever,"]


def test_straight_quotes_and_short_scare_quotes() -> None:
    text = 'The so-called "deal" collapsed. "It is over for now," he said.'
    assert texts(text) == ["It is over for now,"]


def test_unclosed_quote_within_paragraph_is_not_a_quotation() -> None:
    text = "“This never closes in this paragraph.\n\nA new paragraph” starts here."
    assert texts(text) == []


def test_inside_finds_the_quote_holding_an_offset() -> None:
    text = 'Before. "One two three four." After.'
    spans = find_quote_spans(text)
    assert inside(spans, text.index("two")) == spans[0]
    assert inside(spans, text.index("After")) is None
