"""Queues, items with their context, claims and decisions: what a moderator's review loop sends and gets."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from moderator_app.core.models.base import WireModel
from moderator_app.core.policy import TERRITORIES, Action, EscalationTarget, PolicyReason

# --- queues -----------------------------------------------------------------------------------------------


class DecisionOption(WireModel):
    """A decision key of a queue: slot 1..9 -> action and policy reason. Geo-restrictions get their countries, and
    escalations (a key of their own in the client) their target, when the moderator decides."""

    slot: Annotated[int, Field(ge=1, le=9)]
    action: Action
    reason: PolicyReason | None = None
    title: Annotated[str, Field(max_length=80)] = ""  # empty in a PUT: the server writes "Action · Reason"


class Queue(WireModel):
    id: int
    key: str  # stable short name, e.g. "child_safety"
    name: str
    description: str
    default_reason: PolicyReason
    priority: int  # higher first
    sla_seconds: int  # service level: time from flag to deadline
    pending: int  # waiting, including items whose lease expired
    claimed: int  # held under a live lease
    overdue: int  # open items past their deadline
    oldest_flagged_at: datetime | None  # of the open items
    next_deadline: datetime | None  # earliest deadline of the open items
    at_risk: int = 0  # open items not yet overdue with less than a fifth of their service level left
    assigned_to_me: int = 0  # open items a lead assigned to the caller (the caller's claims get them first)
    sensitive: bool = False  # post text masked until revealed (child_safety by default)
    decision_set: list[DecisionOption] = []  # the decision keys 1..9, by slot (defaults per queue key)
    own_decision_set: bool = False  # a lead set the keys; False: the defaults for the queue's key


# --- items ------------------------------------------------------------------------------------------------


class ItemKind(StrEnum):
    POST = "post"
    CHANNEL = "channel"


class ItemStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DECIDED = "decided"


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class ReportSource(StrEnum):
    USER = "user"
    TRUSTED_FLAGGER = "trusted_flagger"
    AUTHORITY = "authority"
    AUTOMATED = "automated"


class SignalKind(StrEnum):
    CLASSIFIER = "classifier"
    HASH_MATCH = "hash_match"


class MediaRef(WireModel):
    id: int
    kind: MediaKind
    mime_type: str
    width: int
    height: int
    size_bytes: int


class Channel(WireModel):
    id: int
    title: str
    handle: str
    description: str
    subscribers: int
    created_at: datetime
    verified: bool
    strikes: int
    language: str  # ISO 639-1, lower case


class Post(WireModel):
    id: int
    channel_id: int
    text: str
    language: str
    posted_at: datetime
    views: int
    forwarded_from: str | None
    media: list[MediaRef]


class Report(WireModel):
    id: int
    source: ReportSource
    reason: PolicyReason
    comment: str
    country: str  # ISO 3166-1 alpha-2
    created_at: datetime


class Signal(WireModel):
    kind: SignalKind
    label: str  # classifier label, or the hash list's name
    score: float | None  # classifier score in 0..1; None for hash matches
    detail: str  # e.g. the hash list's entry reference


class HistoryEntry(WireModel):
    at: datetime
    kind: str  # "decision", "revert", "note", "escalation"
    actor: str
    action: Action | None
    reason: PolicyReason | None
    note: str
    item_id: int | None


class RevertKind(StrEnum):
    MANUAL = "manual"  # a lead or admin reverted it (POST /decisions/{id}/revert)
    QA_OVERTURN = "qa_overturn"  # a lead overturned it after a QA disagreement
    APPEAL = "appeal"  # an appeal reversed it


class BanScope(StrEnum):
    CHANNEL = "channel"  # the channel only; its posts stay up
    CHANNEL_AND_POSTS = "channel_and_posts"  # the channel and every post in it


class Decision(WireModel):
    id: int
    item_id: int
    action: Action
    reason: PolicyReason | None
    note: str
    territorial_scope: list[str] | None
    escalation_target: EscalationTarget | None
    decided_by: str
    decided_at: datetime
    reverted_at: datetime | None
    revert_kind: RevertKind | None = None  # why it was reverted (None while in force)
    ban_scope: BanScope | None = None  # for ban_channel: what the ban covers (None: the channel only)


class Item(WireModel):
    id: int
    kind: ItemKind
    queue_id: int
    status: ItemStatus
    flagged_at: datetime
    deadline: datetime
    channel: Channel
    post: Post | None  # None for a flagged channel
    context_posts: list[Post]  # posts around a flagged post, or a flagged channel's recent posts, oldest first
    reports: list[Report]
    signals: list[Signal]
    history: list[HistoryEntry]  # earlier decisions and notes on this item and its channel, newest first
    decision: Decision | None  # the decision in force, if any
    at_risk: bool = False  # open, not yet overdue, less than a fifth of its service level left
    assigned_to: str | None = None  # username a lead assigned the item to (they get it first)


# --- claims -----------------------------------------------------------------------------------------------


class ClaimRequest(WireModel):
    count: Annotated[int, Field(ge=1, le=50)] = 1


class Claim(WireModel):
    item_id: int
    queue_id: int
    lease_expires_at: datetime


class ClaimedItem(WireModel):
    claim: Claim
    item: Item


class ClaimBatch(WireModel):
    items: list[ClaimedItem]  # earliest deadline first; fewer than asked when the queue runs dry


# --- decisions --------------------------------------------------------------------------------------------


def known_territories(value: list[str] | None) -> list[str] | None:
    """A territorial scope as stored: known country codes only (else ValueError, a 422), sorted, each once."""
    if value is None:
        return None
    unknown = sorted(set(value) - TERRITORIES)
    if unknown:
        raise ValueError(f"unknown territories: {', '.join(unknown)}")
    return sorted(set(value))


#: A geo-restriction's countries as a request carries them: known codes only (else a 422), stored sorted and once.
Territories = Annotated[list[str] | None, AfterValidator(known_territories)]


class DecisionRequest(WireModel):
    action: Action
    reason: PolicyReason | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
    territorial_scope: Territories = None
    escalation_target: EscalationTarget | None = None
    ban_scope: BanScope | None = None  # only with ban_channel; None: the channel only

    def problems(self) -> list[str]:
        """Combinations the types allow but the policy does not."""
        found: list[str] = []
        if self.action.needs_reason and self.reason is None:
            found.append(f"action {self.action.value} needs a policy reason")
        if self.action.is_geo_restriction and not self.territorial_scope:
            found.append(f"action {self.action.value} needs a territorial scope")
        if self.action is Action.ESCALATE and self.escalation_target is None:
            found.append("action escalate needs an escalation target")
        if self.action is not Action.ESCALATE and self.escalation_target is not None:
            found.append("only escalate takes an escalation target")
        if self.ban_scope is not None and self.action is not Action.BAN_CHANNEL:
            found.append("only ban_channel takes a ban scope")
        return found


class RevertRequest(WireModel):
    note: Annotated[str, Field(min_length=1, max_length=2000)]
