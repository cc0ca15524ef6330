"""A lead's bulk operation kept for its undo window: what was asked, each item's state before, and the newest audit
row at the time (undo compares against later rows to find what changed since)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderator_app.server.services.audit import Actor
from moderator_app.server.tables import AuditRow, ReassignOperationRow


def keep_for_undo(
    session: Session,
    actor: Actor,
    operation_id: str,
    kind: str,
    request: dict[str, Any],
    items: list[dict[str, Any]],
    now: datetime,
    undo_seconds: float,
) -> datetime:
    """Store the operation (after its audit rows, in the same transaction); answers when its undo window ends."""
    session.flush()
    undo_until = now + timedelta(seconds=undo_seconds)
    session.add(
        ReassignOperationRow(
            id=operation_id,
            actor_id=actor.id,
            kind=kind,
            created_at=now,
            undo_until=undo_until,
            request=request,
            items=items,
            last_audit_id=int(session.scalar(select(func.max(AuditRow.id))) or 0),
        )
    )
    return undo_until
