"""What a lead sees and does: workload, queue figures, exposure reports, reassignment and queue settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from moderator_app.core.deadlines import DeadlineState
from moderator_app.core.models.base import MAX_AGE_SECONDS, Id, WireModel
from moderator_app.core.models.review import DecisionOption, ItemKind, Queue, ReportSource
from moderator_app.core.roles import Role

# --- team: workload, queue figures, reassignment, queue settings ------------------------------------------

MAX_BULK_ITEMS = 5000  # items one bulk operation may touch
MAX_LISTED_ITEMS = 500  # items one GET /team/items answers with


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

    item_id: Id | None = None
    media_id: Id | None = None
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
    queue_id: Id | None = None
    older_than_seconds: Annotated[int, Field(ge=0, le=MAX_AGE_SECONDS)] | None = None  # flagged at least this long ago
    claimed_by: Annotated[str, Field(min_length=1, max_length=64)] | None = None  # username of a live claim
    # Live claims taken at least this long ago.
    claimed_longer_than_seconds: Annotated[int, Field(ge=0, le=MAX_AGE_SECONDS)] | None = None
    report_source: ReportSource | None = None  # at least one report from this source
    at_risk: bool | None = None
    status: ItemScope = ItemScope.OPEN
    limit: Annotated[int, Field(ge=1, le=MAX_BULK_ITEMS)] = 500
    order: ReassignOrder = ReassignOrder.OLDEST_FIRST


class TeamItemQuery(ReassignFilter):
    """GET /team/items (query parameters): the open items a move's filter selects, for a lead to pick from."""

    limit: Annotated[int, Field(ge=1, le=MAX_LISTED_ITEMS)] = 200
    order: ReassignOrder = ReassignOrder.DEADLINE_FIRST


class TeamItem(WireModel):
    """An open item as a lead picks it for a move: where it is, how late, who has it. Never its content (no post
    text, no media): moving work needs none, and every look at flagged content is exposure."""

    id: int
    kind: ItemKind
    queue_id: int
    channel_id: int
    channel_title: str  # plain text, as the channel's owner wrote it
    flagged_at: datetime
    deadline: datetime
    deadline_state: DeadlineState
    claimed_by: str | None  # username holding a live claim
    assigned_to: str | None  # username a lead assigned it to


class TeamItemPage(WireModel):
    items: list[TeamItem]  # in the query's order
    more: bool  # more items match than the limit: narrow the filter to see them


class ReassignTarget(WireModel):
    queue_id: Id | None = None  # move here (the deadline follows the queue's level)
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

    item_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_BULK_ITEMS)] | None = None
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
    older_than_seconds: Annotated[int, Field(ge=0, le=MAX_AGE_SECONDS)]  # claims taken at least this long ago
    queue_id: Id | None = None
    claimed_by: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


class ReleaseStalePreview(WireModel):
    """What the same request to /team/claims/release-stale would end now; changes nothing."""

    count: int
    item_ids: list[int]  # oldest flag first, as the release takes them
    holders: dict[str, int]  # username -> how many of their claims would end
    oldest_claimed_at: datetime | None  # the longest-held of those claims


class QueueUpdate(WireModel):
    priority: Annotated[int, Field(ge=-1000, le=1000)] | None = None
    sla_seconds: Annotated[int, Field(ge=60, le=90 * 86400)] | None = None  # open items get new deadlines
    sensitive: bool | None = None  # mask post text until revealed

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.priority is None and self.sla_seconds is None and self.sensitive is None:
            raise ValueError("give at least one of priority, sla_seconds and sensitive")
        return self


class QueueSettingsResult(WireModel):
    """A lead's change of a queue's settings: undoable until undo_until through /team/reassign/{operation_id}/undo."""

    queue: Queue
    operation_id: str
    undo_until: datetime
    items_rescheduled: int  # open items that got a new deadline from the new service level


class DecisionSetResult(WireModel):
    """A lead's change of a queue's decision keys: undoable until undo_until through /team/reassign/{operation_id}/undo
    (the undo puts back the exact keys before, the queue's defaults included)."""

    queue: Queue
    operation_id: str
    undo_until: datetime


class DecisionSetUpdate(WireModel):
    """A queue's decision keys; an empty list puts back the defaults for the queue."""

    options: Annotated[list[DecisionOption], Field(max_length=9)]
