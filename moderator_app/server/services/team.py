"""What a lead sees of the team: each reviewer's claims, pace, handling time and revealed-media exposure."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.core.models import ExposureReport, ExposureSummary, ItemStatus, ModeratorStats
from moderator_app.core.roles import Permission, permissions_for
from moderator_app.server.services.auth import parse_roles
from moderator_app.server.services.queues import OPEN_STATUSES
from moderator_app.server.tables import DecisionRow, ExposureRow, ItemRow, UserRow


def day_start(now: datetime) -> datetime:
    """00:00 UTC of the day `now` is in: "today" for every team figure."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _grouped_counts(session: Session, column: Any, *conditions: Any) -> dict[int, int]:
    query = select(column, func.count()).where(*conditions).group_by(column)
    return {int(key): int(count) for key, count in session.execute(query) if key is not None}


def moderators(session: Session, now: datetime) -> list[ModeratorStats]:
    """Every active account that may review, with today's figures; sorted by username."""
    since = day_start(now)
    hour_ago = now - timedelta(hours=1)
    users = [
        row
        for row in session.scalars(select(UserRow).where(UserRow.active.is_(True)).order_by(UserRow.username))
        if Permission.REVIEW in permissions_for(parse_roles(row.roles))
    ]
    claims = _grouped_counts(
        session,
        ItemRow.claimed_by,
        ItemRow.status == ItemStatus.CLAIMED.value,
        ItemRow.lease_expires_at > now,
    )
    assigned = _grouped_counts(session, ItemRow.assigned_to, ItemRow.status.in_(OPEN_STATUSES))
    decided = session.execute(
        select(DecisionRow.user_id, DecisionRow.decided_at, DecisionRow.claimed_at).where(
            DecisionRow.decided_at >= min(since, hour_ago)
        )
    ).all()
    exposure = {
        int(user_id): float(total)
        for user_id, total in session.execute(
            select(ExposureRow.user_id, func.sum(ExposureRow.seconds))
            .where(ExposureRow.reported_at >= since)
            .group_by(ExposureRow.user_id)
        )
    }
    hours_today = max(1.0, (now - since).total_seconds() / 3600)
    result: list[ModeratorStats] = []
    for user in users:
        mine = [(at, claimed_at) for user_id, at, claimed_at in decided if user_id == user.id]
        today = [(at, claimed_at) for at, claimed_at in mine if at >= since]
        handling = [(at - claimed_at).total_seconds() for at, claimed_at in today if claimed_at is not None]
        result.append(
            ModeratorStats(
                id=user.id,
                username=user.username,
                display_name=user.display_name,
                roles=parse_roles(user.roles),
                active_claims=claims.get(user.id, 0),
                assigned_pending=assigned.get(user.id, 0),
                decisions_last_hour=sum(1 for at, _ in mine if at >= hour_ago),
                decisions_today=len(today),
                decisions_per_hour_today=round(len(today) / hours_today, 2),
                median_handling_seconds=statistics.median(handling) if handling else None,
                exposure_seconds_today=round(exposure[user.id], 1) if user.id in exposure else None,
            )
        )
    return result


def report_exposure(session: Session, user_id: int, report: ExposureReport, now: datetime) -> ExposureSummary:
    """Keep one report (commits) and answer the caller's total for today.

    Not written to the audit log: it is wellness telemetry sent every few seconds of viewing, not a state change of
    the moderation record, and it would drown the log.
    """
    session.add(
        ExposureRow(
            user_id=user_id,
            item_id=report.item_id,
            media_id=report.media_id,
            seconds=report.seconds,
            reported_at=now,
        )
    )
    session.flush()
    total = session.scalar(
        select(func.sum(ExposureRow.seconds)).where(
            ExposureRow.user_id == user_id, ExposureRow.reported_at >= day_start(now)
        )
    )
    session.commit()
    return ExposureSummary(seconds_today=round(float(total or 0.0), 1))
