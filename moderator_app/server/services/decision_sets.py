"""Each queue's decision keys (slots 1..9 -> action + policy reason): defaults per queue key, a lead's own set
(changed and undone in decision_set_changes.py).

Keep ("no violation") is on key 4 in every default set, so the most frequent answer sits under the same finger in
every queue. Escalation is not in the sets: it needs a target, chosen with a key of its own in the client.
"""

from __future__ import annotations

from collections import Counter

from moderator_app.core.models import DecisionOption, DecisionRequest
from moderator_app.core.policy import Action, PolicyReason, decision_title
from moderator_app.server.tables import QueueRow

A, R = Action, PolicyReason
KEEP = (A.NO_VIOLATION, None)

# Queue key -> the actions of slots 1, 2, ... (None: no reason).
DEFAULT_SETS: dict[str, list[tuple[Action, PolicyReason | None]]] = {
    "child_safety": [
        (A.REMOVE_POST, R.CHILD_SAFETY),
        (A.BAN_CHANNEL, R.CHILD_SAFETY),
        (A.REMOVE_POST, R.ADULT_CONTENT),
        KEEP,
        (A.LABEL_SENSITIVE, R.ADULT_CONTENT),
    ],
    "terrorism": [
        (A.REMOVE_POST, R.TERRORISM),
        (A.BAN_CHANNEL, R.TERRORISM),
        (A.REMOVE_POST, R.VIOLENT_EXTREMISM),
        KEEP,
        (A.LABEL_SENSITIVE, R.VIOLENT_EXTREMISM),
        (A.RESTRICT_POST, R.TERRORISM),
        (A.BAN_CHANNEL, R.VIOLENT_EXTREMISM),
    ],
    "hate": [
        (A.REMOVE_POST, R.HATE_SPEECH),
        (A.BAN_CHANNEL, R.HATE_SPEECH),
        (A.REMOVE_POST, R.INCITEMENT),
        KEEP,
        (A.RESTRICT_POST, R.HATE_SPEECH),
        (A.LABEL_SENSITIVE, R.HATE_SPEECH),
        (A.BAN_CHANNEL, R.INCITEMENT),
    ],
    "drugs": [
        (A.REMOVE_POST, R.ILLEGAL_DRUGS),
        (A.BAN_CHANNEL, R.ILLEGAL_DRUGS),
        (A.RESTRICT_POST, R.ILLEGAL_DRUGS),
        KEEP,
        (A.RESTRICT_CHANNEL, R.ILLEGAL_DRUGS),
        (A.REMOVE_POST, R.SCAM_FRAUD),
    ],
    "scams": [
        (A.REMOVE_POST, R.SCAM_FRAUD),
        (A.BAN_CHANNEL, R.SCAM_FRAUD),
        (A.RESTRICT_POST, R.SCAM_FRAUD),
        KEEP,
        (A.REMOVE_POST, R.SPAM),
        (A.BAN_CHANNEL, R.SPAM),
        (A.LABEL_SENSITIVE, R.SCAM_FRAUD),
    ],
    "spam": [
        (A.REMOVE_POST, R.SPAM),
        (A.BAN_CHANNEL, R.SPAM),
        (A.LABEL_SENSITIVE, R.SPAM),
        KEEP,
        (A.REMOVE_POST, R.SCAM_FRAUD),
        (A.RESTRICT_CHANNEL, R.SPAM),
    ],
}


def _options(plan: list[tuple[Action, PolicyReason | None]]) -> list[DecisionOption]:
    return [
        DecisionOption(slot=slot, action=action, reason=reason, title=decision_title(action, reason))
        for slot, (action, reason) in enumerate(plan, start=1)
    ]


def default_set(key: str, default_reason: PolicyReason) -> list[DecisionOption]:
    """The defaults for a queue key; other queues (escalations, new ones) get a set from their default reason."""
    plan = DEFAULT_SETS.get(key)
    if plan is None:
        plan = [
            (A.REMOVE_POST, default_reason),
            (A.BAN_CHANNEL, default_reason),
            (A.LABEL_SENSITIVE, default_reason),
            KEEP,
            (A.RESTRICT_POST, default_reason),
            (A.RESTRICT_CHANNEL, default_reason),
        ]
        if default_reason is not R.OTHER:
            plan.append((A.REMOVE_POST, R.OTHER))
    return _options(plan)


def decision_set(row: QueueRow) -> list[DecisionOption]:
    """The queue's set: the lead's own, else the defaults for its key; by slot."""
    if row.decision_set:
        return sorted((DecisionOption.model_validate(o) for o in row.decision_set), key=lambda o: o.slot)
    return default_set(row.key, PolicyReason(row.default_reason))


def problems(options: list[DecisionOption]) -> list[str]:
    """What is wrong with a set a lead sent, one sentence each (empty: fine)."""
    found: list[str] = []
    for slot, count in sorted(Counter(o.slot for o in options).items()):
        if count > 1:
            found.append(f"key {slot} is used {count} times")
    for option in sorted(options, key=lambda o: o.slot):
        if option.action is Action.ESCALATE:
            found.append(f"key {option.slot}: escalate has a key of its own (it needs a target), not a slot")
            continue
        # Geo-restrictions get their countries when the moderator decides: any country stands in for them here.
        scope = ["DE"] if option.action.is_geo_restriction else None
        request = DecisionRequest(action=option.action, reason=option.reason, territorial_scope=scope)
        found.extend(f"key {option.slot}: {problem}" for problem in request.problems())
    return found
