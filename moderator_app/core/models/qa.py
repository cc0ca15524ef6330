"""QA: sampling, blind second review, disputes a lead settles, agreement figures."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from moderator_app.core.models.base import Id, WireModel
from moderator_app.core.models.review import BanScope, Decision, Item, Territories
from moderator_app.core.policy import Action, PolicyReason

# --- QA: sampling, blind second review, disputes, agreement ------------------------------------------------


class SamplingRule(WireModel):
    """Overrides the default rate for decisions it matches; the most specific match wins (ties: higher rate)."""

    queue_id: Id | None = None
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
    # When the moderator decided (the item is shown as it stood then, its deadline included); not what, nor who.
    decided_at: datetime


class QaClaimBatch(WireModel):
    samples: list[QaBlindItem]  # oldest sample first; empty when nothing waits


class QaReviewRequest(WireModel):
    """The reviewer's own decision, with what a moderator's decision would carry: countries, ban scope."""

    action: Action
    reason: PolicyReason | None = None
    note: Annotated[str, Field(max_length=2000)] = ""
    territorial_scope: Territories = None  # a geo-restriction's countries (required with one)
    ban_scope: BanScope | None = None  # only with ban_channel; None: the channel only

    def problems(self) -> list[str]:
        found: list[str] = []
        if self.action is Action.ESCALATE:
            found.append("a QA review records a final action, not escalate")
        elif self.action.needs_reason and self.reason is None:
            found.append(f"action {self.action.value} needs a policy reason")
        if self.action.is_geo_restriction and not self.territorial_scope:
            found.append(f"action {self.action.value} needs a territorial scope")
        if self.territorial_scope is not None and not self.action.is_geo_restriction:
            found.append("only a geo-restriction takes a territorial scope")
        if self.ban_scope is not None and self.action is not Action.BAN_CHANNEL:
            found.append("only ban_channel takes a ban scope")
        return found


class QaReview(WireModel):
    action: Action
    reason: PolicyReason | None
    note: str
    reviewer: str
    reviewed_at: datetime
    territorial_scope: list[str] | None = None
    ban_scope: BanScope | None = None


class QaReviewOutcome(WireModel):
    sample_id: int
    review: QaReview
    original: Decision
    same_action: bool
    same_reason: bool
    agree: bool  # a suggestion for the verdict: same action, same reason where it needs one, same scope
    # The same countries (a geo-restriction) and ban scope (a ban), compared only when the action is the same: a
    # different reach is a disagreement (core/qa_compare.py says it in words).
    same_scope: bool = True


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
    agreed: int  # the reviewer chose the same action, with the same countries or ban scope where it has them
    percent_agreement: float | None  # 100 * agreed / reviewed; None when nothing was reviewed
    # Cohen's kappa over decision categories (the action, with a geo-restriction's countries or a ban's scope);
    # None when undefined.
    kappa: float | None
    disagreements: int  # verdicts "disagree"
    overturned: int  # decisions a lead overturned after a dispute
    scope_differences: int = 0  # the same action with other countries or another ban scope (not counted as agreed)


class AgreementReport(WireModel):
    group_by: AgreementGroupBy
    start: datetime | None  # reviews at or after
    end: datetime | None  # reviews before
    rows: list[AgreementRow]
    overall: AgreementRow
