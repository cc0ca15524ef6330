"""Review-screen extras: the organisation's wellness defaults, notes, near-duplicate media."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from moderator_app.core.models.base import WireModel
from moderator_app.core.wellness import SECONDS_RANGES

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
