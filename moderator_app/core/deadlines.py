"""The deadline states everyone shares: on time, at risk (less than a fifth of the service level left), overdue.

Pure rules, so the server (which stores when an item becomes at risk) and the client (which keeps a prefetched
item's mark current while it is on screen) never disagree about what "at risk" means.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

AT_RISK_PARTS = 5  # at risk: less than a fifth of the service level (flag to deadline) is left
AT_RISK_SHARE = 1 / AT_RISK_PARTS


class DeadlineState(StrEnum):
    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


def at_risk_from(flagged_at: datetime, deadline: datetime) -> datetime:
    """When an item becomes at risk: a fifth of its service level (flag to deadline) is left."""
    return deadline - (deadline - flagged_at) / AT_RISK_PARTS  # the server stores exactly this


def deadline_state(flagged_at: datetime, deadline: datetime, now: datetime) -> DeadlineState:
    if now > deadline:
        return DeadlineState.OVERDUE
    if now >= at_risk_from(flagged_at, deadline):
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TIME
