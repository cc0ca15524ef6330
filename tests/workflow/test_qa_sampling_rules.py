"""Rates typed as percentages and the overrides list the sampling editor keeps (no server, no widgets)."""

from __future__ import annotations

import pytest

from moderator_app.core.models import SamplingRule
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.workflow.qa_sampling import MAX_RULES, RateError, parse_percent, percent_text, put_rule


@pytest.mark.parametrize(("text", "rate"), [("5", 0.05), (" 2.5 % ", 0.025), ("2,5", 0.025), ("0", 0.0), ("100", 1.0)])
def test_percentages_become_rates(text: str, rate: float) -> None:
    assert parse_percent(text) == pytest.approx(rate)


@pytest.mark.parametrize(("text", "says"), [("", "Enter a rate"), ("lots", "not a number"), ("150", "0 to 100"),
                                            ("-1", "0 to 100"), ("nan", "0 to 100")])  # fmt: skip
def test_bad_rates_are_refused_with_a_sentence(text: str, says: str) -> None:
    with pytest.raises(RateError, match=says):
        parse_percent(text)


def test_percent_text_reads_back_what_was_typed() -> None:
    assert percent_text(parse_percent("12.5")) == "12.5 %" and percent_text(1.0) == "100 %"


def test_overrides_are_added_replaced_and_never_duplicated() -> None:
    child = SamplingRule(queue_id=3, action=Action.REMOVE_POST, rate=1.0)
    spam = SamplingRule(reason=PolicyReason.SPAM, rate=0.1)
    rules = put_rule(put_rule([], child), spam)
    assert rules == [child, spam]
    again = SamplingRule(queue_id=3, action=Action.REMOVE_POST, rate=0.5)
    assert put_rule(rules, again) == [again, spam]  # the same match: a new rate, not a second row
    assert put_rule(rules, SamplingRule(reason=PolicyReason.HATE_SPEECH, rate=0.2), replacing=1)[1].rate == 0.2
    with pytest.raises(RateError, match="Row 1"):
        put_rule(rules, again, replacing=1)  # editing row 2 into a copy of row 1
    with pytest.raises(RateError, match="needs a queue, an action or a reason"):
        put_rule(rules, SamplingRule(rate=0.3))
    full = [SamplingRule(queue_id=n, rate=0.1) for n in range(1, MAX_RULES + 1)]
    with pytest.raises(RateError, match="At most"):
        put_rule(full, spam)
