"""Quotations and their speakers.

A quotation is text between matching quote marks (typographic or straight),
at least a few words long; nested single quotes stay inside it. Its speaker is
the subject of the speech verb next to it in the same sentence (“…,” said X /
X said: “…” / X called for “…”), resolved to an actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .syntax import is_kind, subject_of

OPENERS = {"\u201c": "\u201d", '"': '"', "\u00ab": "\u00bb"}
MIN_QUOTE_WORDS = 3


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # first character inside the marks
    end: int
    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Double-quoted stretches of at least MIN_QUOTE_WORDS words. A quote
    that never closes before the paragraph ends is not a quotation."""
    spans = []
    position = 0
    while position < len(text):
        char = text[position]
        closer = OPENERS.get(char)
        if closer is None:
            position += 1
            continue
        close_at = _find_closer(text, position + 1, closer)
        if close_at is None:
            position += 1
            continue
        inner = text[position + 1:close_at]
        start = position + 1 + (len(inner) - len(inner.lstrip()))
        end = close_at - (len(inner) - len(inner.rstrip()))
        if len(inner.split()) >= MIN_QUOTE_WORDS and end > start:
            spans.append(QuoteSpan(start, end, position, close_at))
        position = close_at + 1
    return spans


def _find_closer(text: str, start: int, closer: str) -> int | None:
    paragraph_end = text.find("\n\n", start)
    limit = len(text) if paragraph_end == -1 else paragraph_end
    found = text.find(closer, start, limit)
    return None if found == -1 else found


def speech_verb(doc: Doc, quote: QuoteSpan) -> Token | None:
    """The verb outside the quote that introduces it: its sentence's verb
    whose subtree holds the quote, or a verb of the sentence that closes it."""
    outside = [token for token in _sentence_tokens(doc, quote)
               if not (quote.open_at <= token.idx <= quote.close_at)]
    verbs = [token for token in outside if token.pos_ in ("VERB", "AUX") and subject_of(token)[0] is not None]
    speech = [verb for verb in verbs if is_kind(verb, "speech")]
    verbs = speech or verbs  # "warned that Tehran would respond “…”": the speaker warned
    if not verbs:
        return None
    after = [verb for verb in verbs if verb.idx > quote.close_at]
    before = [verb for verb in verbs if verb.idx < quote.open_at]
    # “…,” said X  beats  X said: “…”  when both exist: the closer one wins.
    candidates = sorted(after, key=lambda verb: verb.idx - quote.close_at)[:1] + \
        sorted(before, key=lambda verb: quote.open_at - verb.idx)[:1]
    return min(candidates, key=lambda verb: _distance(verb, quote)) if candidates else None


def _distance(verb: Token, quote: QuoteSpan) -> int:
    return verb.idx - quote.close_at if verb.idx > quote.close_at else quote.open_at - verb.idx


def _sentence_tokens(doc: Doc, quote: QuoteSpan) -> list[Token]:
    """Tokens of the sentences that touch the quote's opening and closing marks."""
    first = doc.char_span(quote.open_at, quote.open_at + 1, alignment_mode="expand")
    last = doc.char_span(quote.close_at, quote.close_at + 1, alignment_mode="expand")
    if first is None or last is None:
        return []
    start = first[0].sent.start
    end = last[-1].sent.end
    # the speech verb may sit in the sentence right after a closing mark (“…” \n said X.)
    return list(doc[start:end])


def inside(quotes: list[QuoteSpan], offset: int) -> QuoteSpan | None:
    for quote in quotes:
        if quote.start <= offset < quote.end:
            return quote
    return None
