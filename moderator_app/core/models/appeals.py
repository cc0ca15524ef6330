"""Appeals against decisions (DSA Art. 20): filed by the platform, decided by another moderator."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field

from moderator_app.core.models.base import Id, WireModel
from moderator_app.core.models.review import Decision, Item

# --- appeals (DSA Art. 20) ---------------------------------------------------------------------------------


class AppealRequest(WireModel):
    decision_id: Id
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
