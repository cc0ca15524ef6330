"""What the decision keys editor says before saving: which keys change and why a form cannot be saved as it is."""

from __future__ import annotations

from moderator_app.core.models import DecisionOption
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.workflow.decision_keys import (
    NO_KEYS,
    NOTHING_CHANGED,
    SLOT_ACTIONS,
    changed_slots,
    confirmation_text,
    describe_changes,
    reasons_for,
    saving_problem,
)

KEEP = DecisionOption(slot=4, action=Action.NO_VIOLATION, title="Keep (no violation)")
REMOVE_SPAM = DecisionOption(slot=1, action=Action.REMOVE_POST, reason=PolicyReason.SPAM, title="Remove post · Spam")


def test_slots_never_offer_escalate_and_enforcements_always_need_a_reason() -> None:
    assert Action.ESCALATE not in SLOT_ACTIONS and len(SLOT_ACTIONS) == len(Action) - 1
    assert reasons_for(Action.NO_VIOLATION) == (None,)
    assert None not in reasons_for(Action.BAN_CHANNEL) and len(reasons_for(Action.BAN_CHANNEL)) == len(PolicyReason)


def test_only_what_moderators_would_see_differently_counts_as_a_change() -> None:
    same_but_untitled = REMOVE_SPAM.model_copy(update={"title": ""})  # the server fills in the same title
    assert changed_slots([REMOVE_SPAM, KEEP], [same_but_untitled, KEEP]) == []
    retitled = KEEP.model_copy(update={"title": "Fine"})
    moved = REMOVE_SPAM.model_copy(update={"slot": 7})
    assert describe_changes([REMOVE_SPAM, KEEP], [retitled, moved]) == [
        "Key 1: Remove post · Spam → no key",
        "Key 4: Keep (no violation) → Keep (no violation) (“Fine”)",
        "Key 7: no key → Remove post · Spam",
    ]


def test_a_form_that_would_save_nothing_or_an_empty_set_says_why() -> None:
    before = [REMOVE_SPAM, KEEP]
    assert saving_problem(before, before, to_defaults=False, own_set=True) == NOTHING_CHANGED
    assert saving_problem(before, [], to_defaults=False, own_set=True) == NO_KEYS
    assert saving_problem(before, [], to_defaults=True, own_set=False) == (
        "Nothing to save: the queue already has its default keys."
    )
    assert saving_problem(before, [], to_defaults=True, own_set=True) is None
    text = confirmation_text("Spam", before, [KEEP], to_defaults=False)
    assert text.startswith("Spam: change 1 decision key?\nKey 1: Remove post · Spam → no key\n")
