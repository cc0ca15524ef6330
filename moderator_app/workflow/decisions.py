"""What a decision key means in a queue: the queue's decision set (slots 1..9 -> action + reason), and building the
request a decision sends, with the details some actions need (escalation target, countries, ban scope).

The server owns each queue's decision set (Queue.decision_set). A queue that has none (an older server, a queue
whose set was emptied) gets a set derived here from its default reason, so the keys 1..9 always mean something.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from moderator_app.core.models import BanScope, DecisionRequest, Item, ItemKind, Queue
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason, decision_title
from moderator_app.workflow.items import POST_ONLY_ACTIONS, build_request

SLOTS = range(1, 10)

BAN_SCOPE_TITLES = {
    BanScope.CHANNEL: "The channel only",
    BanScope.CHANNEL_AND_POSTS: "The channel and all its posts",
}

ESCALATION_TITLES = {
    EscalationTarget.LEAD: "Team lead",
    EscalationTarget.LEGAL: "Legal",
    EscalationTarget.CHILD_SAFETY_SPECIALIST: "Child-safety specialist",
    EscalationTarget.LAW_ENFORCEMENT_LIAISON: "Law-enforcement liaison",
}

# A second reason worth a key of its own next to the queue's default (the fallback set's slot 7).
_RELATED = {
    PolicyReason.CHILD_SAFETY: PolicyReason.ADULT_CONTENT,
    PolicyReason.TERRORISM: PolicyReason.VIOLENT_EXTREMISM,
    PolicyReason.VIOLENT_EXTREMISM: PolicyReason.TERRORISM,
    PolicyReason.ILLEGAL_DRUGS: PolicyReason.SCAM_FRAUD,
    PolicyReason.SCAM_FRAUD: PolicyReason.SPAM,
    PolicyReason.HATE_SPEECH: PolicyReason.INCITEMENT,
    PolicyReason.INCITEMENT: PolicyReason.HATE_SPEECH,
    PolicyReason.SPAM: PolicyReason.SCAM_FRAUD,
}


@dataclass(frozen=True)
class DecisionChoice:
    slot: int
    action: Action
    reason: PolicyReason | None
    title: str

    def applies_to(self, kind: ItemKind) -> bool:
        return not (kind is ItemKind.CHANNEL and self.action in POST_ONLY_ACTIONS)

    @property
    def needs_details(self) -> bool:
        """Geo-restrictions need countries and escalations a target: the key opens a small dialog first."""
        return self.action.is_geo_restriction or self.action is Action.ESCALATE


def fallback_choices(default_reason: PolicyReason) -> list[DecisionChoice]:
    related = _RELATED.get(default_reason, PolicyReason.OTHER)
    last = PolicyReason.OTHER if PolicyReason.OTHER not in (default_reason, related) else PolicyReason.SPAM
    plan: list[tuple[Action, PolicyReason | None]] = [
        (Action.REMOVE_POST, default_reason),
        (Action.BAN_CHANNEL, default_reason),
        (Action.NO_VIOLATION, None),
        (Action.LABEL_SENSITIVE, default_reason),
        (Action.RESTRICT_POST, default_reason),
        (Action.RESTRICT_CHANNEL, default_reason),
        (Action.REMOVE_POST, related),
        (Action.REMOVE_POST, last),
        (Action.ESCALATE, None),
    ]
    return [DecisionChoice(slot, a, r, decision_title(a, r)) for slot, (a, r) in zip(SLOTS, plan, strict=True)]


def decision_choices(queue: Queue | None) -> dict[int, DecisionChoice]:
    """Slot -> choice for a queue: its server-side decision set, else the fallback from its default reason."""
    if queue is None:
        return {}
    served = getattr(queue, "decision_set", None) or []
    choices = list(_from_server(served))
    if not choices:
        choices = fallback_choices(queue.default_reason)
    return {choice.slot: choice for choice in choices}


def _from_server(options: Iterable[object]) -> Iterable[DecisionChoice]:
    # Read by attribute: the wire model (DecisionOption) is the server helper's; only slot/action/reason/title matter.
    for option in options:
        slot = getattr(option, "slot", None)
        action = getattr(option, "action", None)
        if not isinstance(slot, int) or slot not in SLOTS or action is None:
            continue
        action = Action(action)
        reason_value = getattr(option, "reason", None)
        reason = PolicyReason(reason_value) if reason_value else None
        title = getattr(option, "title", None) or decision_title(action, reason)
        yield DecisionChoice(slot, action, reason, str(title))


def build_decision(
    item: Item,
    queue: Queue | None,
    action: Action,
    reason: PolicyReason | None = None,
    note: str = "",
    escalation_target: EscalationTarget | None = None,
    territorial_scope: list[str] | None = None,
    ban_scope: BanScope | None = None,
) -> DecisionRequest:
    """The request for a decision. Raises ValueError with a sentence when the policy does not allow it."""
    if ban_scope is not None and action is not Action.BAN_CHANNEL:
        raise ValueError("a ban scope only goes with ban_channel")
    request = build_request(item, queue, action, reason, note, escalation_target, territorial_scope)
    if ban_scope is not None:
        request = request.model_copy(update={"ban_scope": BanScope(ban_scope)})
    return request
