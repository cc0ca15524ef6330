"""A QA reviewer stays blind to a sampled decision until they have recorded their own.

A reviewer holds a sample from their QA claim until they review it (status "claimed", claimed by them: the same test
the review itself applies, so a lapsed lease nobody else took is still theirs). While they hold it, every answer that
could show them the sampled decision shows the item as its moderator saw it instead:

- the sampled item itself (GET /items/{id}, the QA claim): no decision, and no posts, reports, decisions or notes
  from the moment of the decision on;
- any other item of the same channel (GET /items/{id}, claims, appeal claims): its history lists the decisions on
  every item of the channel, so it stops before the sampled decision too;
- the audit log: the sampled item's entries from the decision on are left out;
- appeals against the sampled decision: not listed, and neither readable, claimable, decidable (one the reviewer
  had claimed before taking the sample included) nor fileable;
- acting on the sampled decision, whose answers would show it: reverting it, and deciding its item while it is in
  force (the 409 already_decided names the decision) are refused with 409 review_first.

The lead's team endpoints (workload, queue figures, open items, moves and their previews) show no decision's action
or reason, and a sampled decision's item is no longer open, so they need no cut.

The QA claim never hands a reviewer a sample whose decision they have seen already (qa_seen), so a hold starts
blind; these guards keep it blind, including against work that raced the claim (an appeal claim committing at the same
time) or holds taken before that rule.

Once the reviewer records their own decision the sample is reviewed and everything shows in full again. Only users
who may do QA reviews pay for the check: one small query per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import Item, ItemStatus, QaSampleStatus
from moderator_app.core.roles import Permission
from moderator_app.server.errors import ApiError, not_found
from moderator_app.server.services import deadlines, items
from moderator_app.server.services.auth import AuthUser
from moderator_app.server.tables import DecisionRow, ItemRow, QaSampleRow


@dataclass(frozen=True, slots=True)
class Hold:
    """An unreviewed sample the reviewer holds: what must stay hidden, and from when."""

    sample_id: int
    item_id: int
    queue_id: int
    channel_id: int
    decision_id: int
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class Blind:
    """The holds of one user (none for anyone who cannot do QA reviews)."""

    holds: tuple[Hold, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.holds)

    def for_item(self, item_id: int) -> Hold | None:
        return next((hold for hold in self.holds if hold.item_id == item_id), None)

    def for_decision(self, decision_id: int) -> Hold | None:
        return next((hold for hold in self.holds if hold.decision_id == decision_id), None)

    def history_before(self, channel_id: int) -> datetime | None:
        """The channel's history shows only what happened before the earliest decision held on it."""
        moments = [hold.decided_at for hold in self.holds if hold.channel_id == channel_id]
        return min(moments) if moments else None

    def audit_hidden(self) -> tuple[tuple[int, datetime], ...]:
        """(item id, from): the audit rows of the held items from their decision on are left out."""
        return tuple((hold.item_id, hold.decided_at) for hold in self.holds)


NOT_BLIND = Blind()


def of(session: Session, user: AuthUser) -> Blind:
    """The user's holds; nobody without the QA permission can hold a sample, so they skip the query."""
    if Permission.QA_REVIEW not in user.permissions:
        return NOT_BLIND
    return of_actor(session, user.id)


def of_actor(session: Session, user_id: int) -> Blind:
    rows = session.execute(
        select(
            QaSampleRow.id,
            QaSampleRow.item_id,
            QaSampleRow.queue_id,
            ItemRow.channel_id,
            QaSampleRow.decision_id,
            DecisionRow.decided_at,
        )
        .join(DecisionRow, DecisionRow.id == QaSampleRow.decision_id)
        .join(ItemRow, ItemRow.id == QaSampleRow.item_id)
        .where(QaSampleRow.status == QaSampleStatus.CLAIMED.value, QaSampleRow.claimed_by == user_id)
    ).all()
    return Blind(tuple(Hold(*row) for row in rows)) if rows else NOT_BLIND


def blind_item(session: Session, hold: Hold, blind: Blind = NOT_BLIND) -> Item:
    """The held item as it stood when the moderator decided it, without that decision (nor any other held one)."""
    row = session.get(ItemRow, hold.item_id)
    if row is None:
        raise not_found("Item", hold.item_id)
    at = hold.decided_at
    full = items.build_item(session, row, at, as_of=at, history_before=blind.history_before(row.channel_id))
    return full.model_copy(
        update={
            "queue_id": hold.queue_id,
            "status": ItemStatus.CLAIMED,
            "decision": None,
            "at_risk": deadlines.is_at_risk(row.deadline, row.at_risk_at, at),
            "assigned_to": None,
        }
    )


def build_item(session: Session, blind: Blind, row: ItemRow, now: datetime) -> Item:
    """An item for this user: blind while they hold a sample of it, its channel history cut at their holds."""
    hold = blind.for_item(row.id)
    if hold is not None:
        return blind_item(session, hold, blind)
    return items.build_item(session, row, now, history_before=blind.history_before(row.channel_id))


def get_item(session: Session, user: AuthUser, item_id: int, now: datetime) -> Item:
    row = session.get(ItemRow, item_id)
    if row is None:
        raise not_found("Item", item_id)
    return build_item(session, of(session, user), row, now)


def build_items(session: Session, user: AuthUser, rows: Iterable[ItemRow], now: datetime) -> list[Item]:
    blind = of(session, user)
    return [build_item(session, blind, row, now) for row in rows]


def _review_first(hold: Hold, what: str) -> ApiError:
    return ApiError(
        409,
        ErrorCode.REVIEW_FIRST,
        f"{what} you are reviewing blind (QA sample {hold.sample_id}): record your own decision on it first.",
        {"sample_id": hold.sample_id},
    )


def check_appeal(blind: Blind, decision_id: int) -> None:
    """Refuses an appeal against a decision the user is reviewing blind: the appeal names the decision."""
    hold = blind.for_decision(decision_id)
    if hold is not None:
        raise _review_first(hold, "This appeal is against a decision")


def check_revert(blind: Blind, decision_id: int) -> None:
    """Refuses to revert a decision the user is reviewing blind: the answer is the decision."""
    hold = blind.for_decision(decision_id)
    if hold is not None:
        raise _review_first(hold, f"Decision {decision_id} is one")


def check_deciding(session: Session, blind: Blind, item_id: int) -> None:
    """Refuses a decision on an item whose decision in force the user is reviewing blind: the 409 that would say
    "already decided" names that decision."""
    hold = blind.for_item(item_id)
    if hold is None:
        return
    in_force = session.scalar(select(ItemRow.decision_id).where(ItemRow.id == item_id))
    if in_force == hold.decision_id:
        raise _review_first(hold, f"Item {item_id} has a decision")
