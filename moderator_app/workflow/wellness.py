"""Wellness settings: how media is covered, how long a reveal lasts, when idle covers everything, when to suggest
a break.

Three layers, later ones win: our defaults (protective: strong blur, grayscale, muted), the organisation's defaults
(served by the server), the moderator's own overrides (a local settings file). merge() validates the two outer
layers, which come from JSON, and says exactly what is wrong and where.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from moderator_app.core.wellness import SECONDS_RANGES
from moderator_app.media.blur import BlurStrength

__all__ = ["SECONDS_RANGES", "WellnessSettings"]

# SECONDS_RANGES (core, shared with the server's organisation defaults): what a person may choose for each duration.
# The dataclass itself only requires a positive number, so tests can use tiny intervals.
_BOOLEANS = ("grayscale", "mute")
_STRENGTHS = ", ".join(f'"{s.name.lower()}"' for s in BlurStrength)


@dataclass(frozen=True)
class WellnessSettings:
    blur_strength: BlurStrength = BlurStrength.STRONG
    grayscale: bool = True
    mute: bool = True  # video plays muted (only when revealed)
    reveal_timeout_seconds: float = 10.0
    idle_seconds: float = 60.0
    break_after_revealed_seconds: float = 15 * 60.0
    break_after_review_seconds: float = 90 * 60.0

    def __post_init__(self) -> None:
        if not isinstance(self.blur_strength, BlurStrength):
            raise ValueError(f"blur_strength must be a BlurStrength, not {self.blur_strength!r}")
        for name in _BOOLEANS:
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false, not {getattr(self, name)!r}")
        for name in SECONDS_RANGES:
            value = getattr(self, name)
            if not _is_number(value) or not math.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
            object.__setattr__(self, name, float(value))

    @classmethod
    def merge(
        cls, org_defaults: Mapping[str, Any] | None = None, user_overrides: Mapping[str, Any] | None = None
    ) -> WellnessSettings:
        """Our defaults, then the organisation's, then the user's. Raises ValueError naming the bad setting, its
        source and what is allowed. Keys are the field names; blur_strength is "light", "medium" or "strong"."""
        settings = cls()
        for source, layer in (("organisation defaults", org_defaults), ("user settings", user_overrides)):
            if layer is None:
                continue
            if not isinstance(layer, Mapping):
                raise ValueError(f"{source}: expected a mapping of setting names to values, not {type(layer).__name__}")
            changes = {str(key): _parse(source, str(key), value) for key, value in layer.items()}
            settings = replace(settings, **changes)
        return settings

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready values in the form merge() accepts (for the local settings file)."""
        values = asdict(self)
        values["blur_strength"] = self.blur_strength.name.lower()
        return values


def _is_number(value: object) -> bool:
    # bool is an int subclass, but `true` as a number of seconds is a mistake, not 1 second.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse(source: str, key: str, value: object) -> object:
    known = [f.name for f in fields(WellnessSettings)]
    if key not in known:
        raise ValueError(f"{source}: unknown wellness setting {key!r} (known: {', '.join(known)})")
    if key == "blur_strength":
        if isinstance(value, BlurStrength):
            return value
        if isinstance(value, str) and value.strip().upper() in BlurStrength.__members__:
            return BlurStrength[value.strip().upper()]
        raise ValueError(f"{source}: blur_strength must be one of {_STRENGTHS}, not {value!r}")
    if key in _BOOLEANS:
        if not isinstance(value, bool):
            raise ValueError(f"{source}: {key} must be true or false, not {value!r}")
        return value
    low, high = SECONDS_RANGES[key]
    if isinstance(value, int | float) and _is_number(value) and math.isfinite(value) and low <= value <= high:
        return float(value)
    raise ValueError(f"{source}: {key} must be a number of seconds from {low:g} to {high:g}, not {value!r}")
