"""The audit log, newest first, with cursor paging and filters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from moderator_app.core.models import AuditPage
from moderator_app.server.deps import AuditViewer, DbSession
from moderator_app.server.routes.common import AUTHED, FORBIDDEN, MAX_ID, as_utc
from moderator_app.server.services import audit, qa_blind

router = APIRouter(prefix="/audit", tags=["audit"], responses={**AUTHED, **FORBIDDEN})


@router.get("", response_model=AuditPage)
def audit_log(
    user: AuditViewer,
    session: DbSession,
    cursor: Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    actor: Annotated[str | None, Query(max_length=64, description="username")] = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    item_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    queue_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    start: Annotated[datetime | None, Query(alias="from", description="at or after (UTC if no zone)")] = None,
    end: Annotated[datetime | None, Query(alias="to", description="before (UTC if no zone)")] = None,
) -> AuditPage:
    """Newest first; each filter has an index ending in id, so pages stay fast through millions of rows. A QA
    reviewer does not see an item's entries from its sampled decision on while reviewing that decision blind."""
    filters = audit.AuditFilters(
        actor=actor,
        action=action,
        item_id=item_id,
        queue_id=queue_id,
        start=as_utc(start),
        end=as_utc(end),
        hidden=qa_blind.of(session, user).audit_hidden(),
    )
    return audit.page(session, filters, cursor, limit)
