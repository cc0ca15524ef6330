"""A QA review against the moderator's decision: what differs, said in words, and whether to suggest agreeing."""

from __future__ import annotations

from moderator_app.core.models import BanScope
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.core.qa_compare import Side, compare


def test_a_different_action_is_named_first() -> None:
    comparison = compare(Side.of("remove_post", "spam"), Side.of("no_violation", None))
    assert comparison.words() == "Different action: remove_post (yours) vs no_violation (the moderator's)."
    assert not comparison.agree and comparison.same_scope  # reach is compared between equal actions only
    assert comparison.pair() == ("no_violation", "remove_post")


def test_a_different_reason_and_ban_scope_are_both_named() -> None:
    comparison = compare(
        Side.of(Action.BAN_CHANNEL, PolicyReason.SPAM, None, BanScope.CHANNEL_AND_POSTS),
        Side.of(Action.BAN_CHANNEL, PolicyReason.SCAM_FRAUD, None, None),
    )
    assert comparison.words() == (
        "Same action, different reason: spam (yours) vs scam_fraud (the moderator's); "
        "different ban scope: the channel and all its posts (yours) vs the channel only (the moderator's)."
    )
    assert (comparison.same_action, comparison.same_reason, comparison.same_scope, comparison.agree) == (
        True,
        False,
        False,
        False,
    )
    assert comparison.pair() == ("ban_channel (channel)", "ban_channel (channel_and_posts)")


def test_keeping_agrees_without_a_reason() -> None:
    comparison = compare(Side.of("no_violation", None), Side.of("no_violation", None))
    assert (comparison.words(), comparison.agree) == ("Same action.", True)


def test_countries_count_only_for_a_geo_restriction_and_only_when_both_were_recorded() -> None:
    # A removal that came with countries (the decision request allows it): the countries are not its reach.
    removal = compare(Side.of("remove_post", "spam"), Side.of("remove_post", "spam", ["FR"]))
    assert (removal.words(), removal.agree) == ("Same action and reason.", True)
    # A review from before reviews recorded countries: the action and reason decide; the figures use the decision's.
    legacy = compare(Side.of("restrict_post", "spam", None), Side.of("restrict_post", "spam", ["fr", "DE"]))
    assert (legacy.words(), legacy.agree) == ("Same action and reason.", True)
    assert legacy.pair() == ("restrict_post in DE,FR", "restrict_post in DE,FR")
