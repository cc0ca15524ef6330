"""A lead's edit of a queue's decision keys, in words: which actions and reasons a key may carry, what a change does
to each key, and what to say before sending it. No widgets (ui/lead/decision_keys.py is the editor)."""

from __future__ import annotations

from collections.abc import Iterable

from moderator_app.core.models import DecisionOption
from moderator_app.core.policy import Action, PolicyReason, decision_title
from moderator_app.workflow.decisions import SLOTS

# Escalate is not a slot: it needs a target and has a key of its own (E) on the review screen.
SLOT_ACTIONS: tuple[Action, ...] = tuple(action for action in Action if action is not Action.ESCALATE)

NO_KEY_TEXT = "no key"
NO_KEYS = "Give the queue at least one key, or press Alt+D to go back to its default keys."
NOTHING_CHANGED = "Nothing to save: the keys are as they were."


def reasons_for(action: Action) -> tuple[PolicyReason | None, ...]:
    """The reasons a key with this action may carry: every policy reason for an enforcement, none for "keep"."""
    return tuple(PolicyReason) if action.needs_reason else (None,)


def shown_title(option: DecisionOption) -> str:
    """The title moderators see on the key: the lead's own, else "Action · Reason" (as the server fills it in)."""
    return option.title.strip() or decision_title(option.action, option.reason)


def key_text(option: DecisionOption | None) -> str:
    """ "Ban channel · Spam", with a title of its own in quotes: 'Ban channel · Spam ("Ban the spammer")'."""
    if option is None:
        return NO_KEY_TEXT
    automatic = decision_title(option.action, option.reason)
    title = shown_title(option)
    return automatic if title == automatic else f"{automatic} (“{title}”)"


def _by_slot(options: Iterable[DecisionOption]) -> dict[int, DecisionOption]:
    return {option.slot: option for option in options}


def same_key(a: DecisionOption | None, b: DecisionOption | None) -> bool:
    """Whether moderators would see no difference: same action, reason and shown title (None: no key)."""
    if a is None or b is None:
        return a is b
    return (a.action, a.reason if a.action.needs_reason else None, shown_title(a)) == (
        b.action,
        b.reason if b.action.needs_reason else None,
        shown_title(b),
    )


def changed_slots(before: Iterable[DecisionOption], after: Iterable[DecisionOption]) -> list[int]:
    old, new = _by_slot(before), _by_slot(after)
    return [slot for slot in SLOTS if not same_key(old.get(slot), new.get(slot))]


def describe_changes(before: Iterable[DecisionOption], after: Iterable[DecisionOption]) -> list[str]:
    """One line per key that changes: "Key 3: Label sensitive · Spam → Ban channel · Scam or fraud"."""
    old, new = _by_slot(before), _by_slot(after)
    return [
        f"Key {slot}: {key_text(old.get(slot))} → {key_text(new.get(slot))}"
        for slot in changed_slots(old.values(), new.values())
    ]


def confirmation_text(
    queue_name: str, before: list[DecisionOption], after: list[DecisionOption], *, to_defaults: bool
) -> str:
    """What the confirmation page says; the caller made sure something changes."""
    if to_defaults:
        own = "\n".join(f"Key {o.slot}: {key_text(o)}" for o in sorted(before, key=lambda o: o.slot))
        head = f"{queue_name}: back to the default decision keys? Its own keys are dropped:\n{own}"
    else:
        lines = describe_changes(before, after)
        count = f"{len(lines)} decision key{'s' if len(lines) != 1 else ''}"
        head = f"{queue_name}: change {count}?\n" + "\n".join(lines)
    return (
        f"{head}\nModerators get the new keys when they next open the queue. You can undo this for a few seconds"
        " (Ctrl+Z on the dashboard)."
    )


def saving_problem(
    before: list[DecisionOption], after: list[DecisionOption], *, to_defaults: bool, own_set: bool
) -> str | None:
    """Why the form cannot be saved as it is (a sentence), or None. The server checks the set again."""
    if to_defaults:
        return None if own_set else "Nothing to save: the queue already has its default keys."
    if not after:
        return NO_KEYS  # an empty set would mean "the defaults": say so instead of doing it by surprise
    if not changed_slots(before, after):
        return NOTHING_CHANGED
    return None
