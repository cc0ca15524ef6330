"""Emoji in post text: drawn from a colour emoji font when the computer has one, and said plainly when it has none.

Emoji carry meaning in flagged posts (coded drug offers, scam bait, slurs), so an empty box must never pass for
nothing. Qt's font fallback finds an installed emoji font on its own; ensure_emoji_fonts() also names the known
colour families as the application's emoji fonts (Qt 6.9+) so an emoji sequence never lands on a monochrome
look-alike. Where no font can draw emoji, emoji_note() gives the sentence the post text shows under the text.
On Debian and Ubuntu the font comes with `apt-get install fonts-noto-color-emoji`.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextLayout

log = logging.getLogger(__name__)

#: Colour emoji families of the common platforms, preferred in this order.
COLOUR_EMOJI_FAMILIES = ("Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Twemoji Mozilla", "JoyPixels")
# A face, a vehicle, a plant, a skin-tone sequence and a newer emoji (Unicode 11): text fonts draw a few emoticons
# (DejaVu Sans has the faces), never all of these.
PROBE = "\U0001f600\U0001f680\U0001f341\U0001f44d\U0001f3fd\U0001f9ea"
NOTE = (
    "emoji in this text cannot be drawn on this computer (no emoji font: on Debian or Ubuntu, "
    "apt-get install fonts-noto-color-emoji)"
)
# The pictograph planes (faces, objects, flags, skin tones) and the emoji presentation selector: what text fonts do
# not draw. Older symbols without the selector (✓, ❤) are in ordinary fonts and need no emoji font.
_EMOJI = re.compile("[\U0001f000-\U0001faff\ufe0f]")


def has_emoji(text: str) -> bool:
    return _EMOJI.search(text) is not None


@cache
def ensure_emoji_fonts() -> list[str]:
    """Name the installed colour emoji families as the application's emoji fonts; returns them (may be empty).
    Needs a QGuiApplication; once per process."""
    installed = set(QFontDatabase.families())
    found = [family for family in COLOUR_EMOJI_FAMILIES if family in installed]
    setter = getattr(QFontDatabase, "setApplicationEmojiFontFamilies", None)  # Qt 6.9+
    if found and setter is not None and not QFontDatabase.applicationEmojiFontFamilies():
        setter(found)
    family = emoji_font_family()
    if family is None:
        log.info("no font can draw emoji here; post texts with emoji say so")
    return found


@cache
def emoji_font_family() -> str | None:
    """The family the font fallback draws emoji with, or None when some of them would come out as empty boxes."""
    layout = QTextLayout(PROBE, QGuiApplication.font())
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    runs = line.glyphRuns()
    if not runs or not all(all(run.glyphIndexes()) for run in runs):
        return None  # glyph 0 is the font's "missing" box
    return max(runs, key=lambda run: len(run.glyphIndexes())).rawFont().familyName()


def emoji_note(text: str) -> str | None:
    """NOTE when text has emoji that this computer cannot draw, else None."""
    return NOTE if has_emoji(text) and emoji_font_family() is None else None
