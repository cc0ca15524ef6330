"""Wellness limits shared by the server (organisation defaults) and the client (the moderator's own settings).

Kept in core so both sides validate a setting the same way: the server refuses an organisation default the client
would refuse to apply.
"""

from __future__ import annotations

__all__ = ["BLUR_STRENGTHS", "SECONDS_RANGES"]

#: What a person may choose for each duration, in seconds (inclusive).
SECONDS_RANGES: dict[str, tuple[float, float]] = {
    "reveal_timeout_seconds": (1.0, 300.0),
    "idle_seconds": (10.0, 3600.0),
    "break_after_revealed_seconds": (60.0, 4 * 3600.0),
    "break_after_review_seconds": (300.0, 12 * 3600.0),
}

#: Blur strengths by their wire names, weakest first.
BLUR_STRENGTHS: tuple[str, ...] = ("light", "medium", "strong")
