"""The moderator's own review preferences (undo window, prefetch depth): a small JSON file in the config folder.

Like the keymap, a bad file never stops the app: each bad value is reported and its default used.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path

FILE_NAME = "review.json"
UNDO_RANGE = (0.0, 60.0)  # seconds; 0 sends at once (no undo)
PREFETCH_RANGE = (0, 20)  # items prepared behind the shown one


@dataclass(frozen=True)
class ReviewPreferences:
    undo_seconds: float = 5.0
    prefetch: int = 5


def load_preferences(path: Path | None) -> tuple[ReviewPreferences, list[str]]:
    defaults = ReviewPreferences()
    if path is None:
        return defaults, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return defaults, []
    except (OSError, ValueError) as error:
        return defaults, [f"Your review settings ({path}) could not be read ({error}); using the defaults"]
    if not isinstance(data, dict):
        return defaults, [f"Your review settings ({path}) must be a JSON object; using the defaults"]
    problems: list[str] = []
    undo = data.get("undo_seconds", defaults.undo_seconds)
    if not _number_in(undo, UNDO_RANGE):
        problems.append(f"{path}: undo_seconds must be from {UNDO_RANGE[0]:g} to {UNDO_RANGE[1]:g}, not {undo!r}")
        undo = defaults.undo_seconds
    prefetch = data.get("prefetch", defaults.prefetch)
    if not isinstance(prefetch, int) or isinstance(prefetch, bool) or not _number_in(prefetch, PREFETCH_RANGE):
        problems.append(f"{path}: prefetch must be a whole number from 0 to {PREFETCH_RANGE[1]}, not {prefetch!r}")
        prefetch = defaults.prefetch
    unknown = sorted(set(data) - {"undo_seconds", "prefetch"})
    if unknown:
        problems.append(f"{path}: unknown settings {', '.join(unknown)} are ignored")
    return ReviewPreferences(float(undo), int(prefetch)), problems


def save_preferences(path: Path, preferences: ReviewPreferences) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(asdict(preferences), indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _number_in(value: object, bounds: tuple[float, float]) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return False
    return bounds[0] <= value <= bounds[1]
