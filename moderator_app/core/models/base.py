"""The base of every wire model: unknown fields refused, values immutable."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Ids are 64-bit (BIGINT on PostgreSQL, INTEGER on SQLite): a larger number names no row, and the database would
# refuse it in a query.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Age filters ("flagged at least this long ago"): far beyond any queue's work, yet "now minus it" is still a date.
MAX_AGE_SECONDS = 10 * 366 * 86400


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
