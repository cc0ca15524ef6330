"""Wire models: the JSON bodies of the API, shared by server and client.

Times are timezone-aware UTC datetimes on the wire (ISO 8601). Ids are integers.
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from moderator_app.core.policy import TERRITORIES, Action, EscalationTarget, PolicyReason
from moderator_app.core.roles import Role
from moderator_app.core.wellness import SECONDS_RANGES


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


class DecisionRequest(WireModel):
    action: Action
    reason: PolicyReason | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
    territorial_scope: list[str] | None = None
    escalation_target: EscalationTarget | None = None
    ban_scope: BanScope | None = None  # only with ban_channel; None: the channel only

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
        if self.ban_scope is not None and self.action is not Action.BAN_CHANNEL:
            found.append("only ban_channel takes a ban scope")
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


# --- team: workload, queue figures, reassignment, queue settings ------------------------------------------

MAX_BULK_ITEMS = 5000  # items one bulk operation may touch


class ModeratorStats(WireModel):
    id: int
    username: str
    display_name: str
    roles: list[Role]
    active_claims: int  # live leases now
    assigned_pending: int  # open items a lead assigned to them
    decisions_last_hour: int
    decisions_today: int  # since 00:00 UTC
    decisions_per_hour_today: float  # decisions_today over the hours elapsed since 00:00 UTC (at least one)
    median_handling_seconds: float | None  # claim to decision, over today's decisions made under a claim
    exposure_seconds_today: float | None  # revealed-media seconds the client reported today; None if none


class ExposureReport(WireModel):
    """Seconds of revealed (unblurred) media, reported by the client per item when the reveal ends."""

    item_id: Annotated[int, Field(ge=1)] | None = None
    media_id: Annotated[int, Field(ge=1)] | None = None
    seconds: Annotated[float, Field(gt=0, le=3600)]


class ExposureSummary(WireModel):
    seconds_today: float  # the caller's reported exposure since 00:00 UTC


class QueueBucket(WireModel):
    start: datetime
    end: datetime
    backlog: int  # open items at the end of the bucket (at now for the current bucket)
    inflow: int  # items that arrived: flagged, moved or escalated in, returned by a revert
    outflow: int  # items that left: decided, moved or escalated out
    decided: int  # final decisions (throughput)


class QueueStats(WireModel):
    queue_id: int
    key: str
    name: str
    priority: int
    sla_seconds: int
    pending: int
    claimed: int
    overdue: int
    at_risk: int
    oldest_flagged_at: datetime | None  # age = now - this
    oldest_deadline: datetime | None  # the deadline of that oldest open item
    next_deadline: datetime | None
    inflow_last_hour: int
    outflow_last_hour: int
    series: list[QueueBucket]  # oldest first; buckets aligned to multiples of bucket_seconds since the epoch


class TeamQueueStats(WireModel):
    hours: int
    bucket_seconds: int
    queues: list[QueueStats]  # priority desc, then key


class ItemScope(StrEnum):
    OPEN = "open"  # pending or claimed
    PENDING = "pending"  # waiting, including lapsed leases
    CLAIMED = "claimed"  # under a live lease


class ReassignOrder(StrEnum):
    OLDEST_FIRST = "oldest_first"  # flag time
    DEADLINE_FIRST = "deadline_first"


class ReassignFilter(WireModel):
    queue_id: Annotated[int, Field(ge=1)] | None = None
    older_than_seconds: Annotated[int, Field(ge=0)] | None = None  # flagged at least this long ago
    claimed_by: Annotated[str, Field(min_length=1, max_length=64)] | None = None  # username of a live claim
    claimed_longer_than_seconds: Annotated[int, Field(ge=0)] | None = None  # live claims taken this long ago
    report_source: ReportSource | None = None  # at least one report from this source
    at_risk: bool | None = None
    status: ItemScope = ItemScope.OPEN
    limit: Annotated[int, Field(ge=1, le=MAX_BULK_ITEMS)] = 500
    order: ReassignOrder = ReassignOrder.OLDEST_FIRST


class ReassignTarget(WireModel):
    queue_id: Annotated[int, Field(ge=1)] | None = None  # move here (the deadline follows the queue's level)
    assign_to: Annotated[str, Field(min_length=1, max_length=64)] | None = None  # username; gets them first
    unassign: bool = False  # drop any assignment
    release_claims: bool = False  # end live claims (the holder's client gets claim_not_held on renew)

    @model_validator(mode="after")
    def _does_something(self) -> Self:
        if self.queue_id is None and self.assign_to is None and not self.unassign and not self.release_claims:
            raise ValueError("the target must move, assign, unassign or release")
        if self.assign_to is not None and self.unassign:
            raise ValueError("assign_to and unassign exclude each other")
        return self


class ReassignRequest(WireModel):
    """Either item_ids or filter, never both."""

    item_ids: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1, max_length=MAX_BULK_ITEMS)] | None = None
    filter: ReassignFilter | None = None
    target: ReassignTarget
    note: Annotated[str, Field(max_length=2000)] = ""

    @model_validator(mode="after")
    def _one_selection(self) -> Self:
        if (self.item_ids is None) == (self.filter is None):
            raise ValueError("give either item_ids or filter")
        return self


class ReassignPreview(WireModel):
    count: int
    item_ids: list[int]  # in the order of the selection
    claimed: int  # of them under a live claim
    overdue: int
    at_risk: int
    skipped_ids: list[int]  # asked for by id but not open (decided) or unknown


class ReassignResult(WireModel):
    operation_id: str
    count: int
    item_ids: list[int]
    skipped_ids: list[int]
    undo_until: datetime


class ReassignUndoResult(WireModel):
    operation_id: str
    restored_ids: list[int]
    conflict_ids: list[int]  # changed by someone since the operation: left as they are


class ReleaseStaleRequest(WireModel):
    older_than_seconds: Annotated[int, Field(ge=0)]  # claims taken at least this long ago
    queue_id: Annotated[int, Field(ge=1)] | None = None
    claimed_by: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


class QueueUpdate(WireModel):
    priority: Annotated[int, Field(ge=-1000, le=1000)] | None = None
    sla_seconds: Annotated[int, Field(ge=60, le=90 * 86400)] | None = None  # open items get new deadlines
    sensitive: bool | None = None  # mask post text until revealed

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.priority is None and self.sla_seconds is None and self.sensitive is None:
            raise ValueError("give at least one of priority, sla_seconds and sensitive")
        return self


class DecisionSetUpdate(WireModel):
    """A queue's decision keys; an empty list puts back the defaults for the queue."""

    options: Annotated[list[DecisionOption], Field(max_length=9)]


# --- QA: sampling, blind second review, disputes, agreement ------------------------------------------------


class SamplingRule(WireModel):
    """Overrides the default rate for decisions it matches; the most specific match wins (ties: higher rate)."""

    queue_id: Annotated[int, Field(ge=1)] | None = None
    action: Action | None = None
    reason: PolicyReason | None = None
    rate: Annotated[float, Field(ge=0, le=1)]


class SamplingConfig(WireModel):
    default_rate: Annotated[float, Field(ge=0, le=1)] = 0.05
    rules: Annotated[list[SamplingRule], Field(max_length=100)] = []


class QaSampleStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    REVIEWED = "reviewed"  # the reviewer recorded their own decision
    DONE = "done"  # the reviewer gave a verdict


class QaBlindItem(WireModel):
    """A sampled decision's item as its moderator saw it: no decision, no history from the decision on."""

    sample_id: int
    claim_expires_at: datetime
    item: Item


class QaClaimBatch(WireModel):
    samples: list[QaBlindItem]  # oldest sample first; empty when nothing waits


class QaReviewRequest(WireModel):
    action: Action
    reason: PolicyReason | None = None
    note: Annotated[str, Field(max_length=2000)] = ""

    def problems(self) -> list[str]:
        found: list[str] = []
        if self.action is Action.ESCALATE:
            found.append("a QA review records a final action, not escalate")
        elif self.action.needs_reason and self.reason is None:
            found.append(f"action {self.action.value} needs a policy reason")
        return found


class QaReview(WireModel):
    action: Action
    reason: PolicyReason | None
    note: str
    reviewer: str
    reviewed_at: datetime


class QaReviewOutcome(WireModel):
    sample_id: int
    review: QaReview
    original: Decision
    same_action: bool
    same_reason: bool
    agree: bool  # same action, and the same reason where the action needs one (a suggestion for the verdict)


class QaVerdictRequest(WireModel):
    agree: bool
    reason: Annotated[str, Field(max_length=2000)] = ""  # required when disagreeing


class QaSample(WireModel):
    id: int
    item_id: int
    queue_id: int
    moderator: str
    decision: Decision
    status: QaSampleStatus
    sampled_at: datetime
    review: QaReview | None
    agree: bool | None
    verdict_reason: str | None
    verdict_at: datetime | None
    dispute_id: int | None


class DisputeStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class DisputeOutcome(StrEnum):
    UPHOLD = "uphold"  # the original decision stands
    OVERTURN = "overturn"  # reverted; the item returns to pending in its queue


class QaDispute(WireModel):
    id: int
    sample_id: int
    item_id: int
    queue_id: int
    moderator: str
    reviewer: str
    decision: Decision
    review: QaReview
    verdict_reason: str
    created_at: datetime
    status: DisputeStatus
    outcome: DisputeOutcome | None
    note: str | None
    resolved_by: str | None
    resolved_at: datetime | None


class DisputeResolution(WireModel):
    outcome: DisputeOutcome
    note: Annotated[str, Field(min_length=1, max_length=2000)]


class AgreementGroupBy(StrEnum):
    MODERATOR = "moderator"
    QUEUE = "queue"
    REASON = "reason"  # the original decision's policy reason


class AgreementRow(WireModel):
    key: str  # username, queue key or reason value ("none" for decisions without a reason)
    label: str
    reviewed: int
    agreed: int  # the reviewer chose the same action
    percent_agreement: float | None  # 100 * agreed / reviewed; None when nothing was reviewed
    kappa: float | None  # Cohen's kappa over action categories; None when undefined
    disagreements: int  # verdicts "disagree"
    overturned: int  # decisions a lead overturned after a dispute


class AgreementReport(WireModel):
    group_by: AgreementGroupBy
    start: datetime | None  # reviews at or after
    end: datetime | None  # reviews before
    rows: list[AgreementRow]
    overall: AgreementRow


# --- appeals (DSA Art. 20) ---------------------------------------------------------------------------------


class AppealRequest(WireModel):
    decision_id: Annotated[int, Field(ge=1)]
    statement: Annotated[str, Field(min_length=1, max_length=5000)]  # the user's own words
    contact_ref: Annotated[str, Field(min_length=1, max_length=200)]  # opaque reference to reach the user


class AppealStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DECIDED = "decided"


class AppealOutcome(StrEnum):
    UPHOLD = "uphold"
    REVERSE = "reverse"  # the decision is reverted: content or channel restored


class Appeal(WireModel):
    id: int
    decision: Decision  # the decision appealed against, with its reason and note
    item_id: int
    queue_id: int
    statement: str
    contact_ref: str
    filed_by: str
    filed_at: datetime
    deadline: datetime
    status: AppealStatus
    claimed_by: str | None
    claim_expires_at: datetime | None
    outcome: AppealOutcome | None
    note: str | None
    decided_by: str | None
    decided_at: datetime | None


class AppealClaim(WireModel):
    appeal: Appeal
    item: Item


class AppealDecisionRequest(WireModel):
    outcome: AppealOutcome
    note: Annotated[str, Field(min_length=1, max_length=2000)]


# --- review screen: organisation wellness defaults, notes, near-duplicate media ------------------------------


class WellnessDefaults(WireModel):
    """The organisation's wellness defaults (GET/PUT /settings/wellness); the moderator's own settings win.

    Strict types: `"yes"` is not true and `"10"` is not ten seconds. The ranges are core.wellness.SECONDS_RANGES,
    the ones the client enforces.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    blur_strength: Literal["light", "medium", "strong"] = "strong"
    grayscale: bool = True
    mute: bool = True  # video plays muted (and only when revealed)
    reveal_timeout_seconds: float = 10.0
    idle_seconds: float = 60.0
    break_after_revealed_seconds: float = 15 * 60.0
    break_after_review_seconds: float = 90 * 60.0

    @field_validator(*SECONDS_RANGES)
    @classmethod
    def _in_range(cls, value: float, info: ValidationInfo) -> float:
        low, high = SECONDS_RANGES[str(info.field_name)]
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"must be a number of seconds from {low:g} to {high:g}")
        return float(value)


class NoteRequest(WireModel):
    text: Annotated[str, Field(min_length=1, max_length=2000)]

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a note needs some text, not only spaces")
        return value


class DuplicateItems(WireModel):
    """Open items whose media is a near-duplicate of an item's media (perceptual hash), for a batch decision."""

    item_ids: list[int]  # earliest deadline first
    basis: Literal["media"] = "media"
