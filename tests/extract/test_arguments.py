"""Argument resolution (extract/arguments.py) on short texts of our own."""

from __future__ import annotations

import eventcoder


def test_rules_that_refer_to_one_another_do_not_go_round() -> None:
    # "plight of those": the owner rule reads the of-phrase, the generic pronoun
    # "those" reads the subject of its clause, which is "plight" again.
    result = eventcoder.extract("The plight of those who were detained prompted protests, the group said.",
                                published="2021-03-10")
    assert sorted(event.type for event in result.events) == ["COERCE", "PROTEST"]  # the detention, the protests
    for event in result.events:
        assert result.article.text[event.trigger.start:event.trigger.end] == event.trigger.text
