"""Wire models: the JSON bodies of the API, shared by server and client.

Times are timezone-aware UTC datetimes on the wire (ISO 8601). Ids are integers.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from moderator_app.core.policy import TERRITORIES, Action, EscalationTarget, PolicyReason
from moderator_app.core.roles import Role


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- auth -------------------------------------------------------------------------------------------------


class LoginRequest(WireModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class User(WireModel):
    id: int
    username: str
    display_name: str
    roles: list[Role]


class LoginResponse(WireModel):
    token: str
    expires_at: datetime
    user: User


# --- queues -----------------------------------------------------------------------------------------------


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


class DecisionRequest(WireModel):
    action: Action
    reason: PolicyReason | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
    territorial_scope: list[str] | None = None
    escalation_target: EscalationTarget | None = None

    @field_validator("territorial_scope")
    @classmethod
    def _known_territories(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = sorted(set(value) - TERRITORIES)
        if unknown:
            raise ValueError(f"unknown territories: {', '.join(unknown)}")
        return sorted(set(value))

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
        return found


class RevertRequest(WireModel):
    note: Annotated[str, Field(min_length=1, max_length=2000)]


# --- audit ------------------------------------------------------------------------------------------------


class AuditEntry(WireModel):
    id: int
    at: datetime
    actor: str | None  # None for the system (lease expiry)
    action: str  # "login", "logout", "claim", "release", "lease_expired", "decision", "revert", ...
    item_id: int | None
    queue_id: int | None
    details: dict[str, Any]


class AuditPage(WireModel):
    entries: list[AuditEntry]  # newest first
    next_cursor: str | None  # pass as ?cursor= for the next (older) page; None at the end


# --- errors -----------------------------------------------------------------------------------------------


class ErrorBody(WireModel):
    code: str
    message: str
    details: dict[str, Any] | None = None


class ErrorResponse(WireModel):
    error: ErrorBody
