"""How times, counts and deadlines read on screen (plain functions, so they are tested without widgets)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def duration_text(span: timedelta) -> str:
    """A compact duration: "45 s", "12 min", "3 h 12 min", "2 d 4 h"."""
    seconds = max(0, int(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def age_text(since: datetime | None, now: datetime | None = None) -> str:
    if since is None:
        return "—"
    return duration_text((now or datetime.now(UTC)) - since)


def deadline_text(deadline: datetime | None, now: datetime | None = None) -> tuple[str, bool]:
    """("due in 2 h", False) or ("overdue by 20 min", True)."""
    if deadline is None:
        return "no deadline", False
    left = deadline - (now or datetime.now(UTC))
    if left.total_seconds() < 0:
        return f"overdue by {duration_text(-left)}", True
    return f"due in {duration_text(left)}", False


SHORT_TIME_SAMPLE = "28 May 23:59"  # as wide as short_time_text() usually is (digits are one width; "May" is wide)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def local_time_text(moment: datetime | None) -> str:
    """A moment in the moderator's own time zone, to the minute."""
    if moment is None:
        return "—"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def short_time_text(moment: datetime | None, now: datetime | None = None) -> str:
    """A moment for a narrow column, in the moderator's own time zone: "3 Nov 14:05" this year, "2025-11-03" before
    (the day is enough that long ago). Month names are English whatever the locale, like the rest of the app. Show
    local_time_text() as the cell's tooltip: the full moment is one hover away."""
    if moment is None:
        return "—"
    local = moment.astimezone()
    if local.year != (now or datetime.now(UTC)).astimezone().year:
        return local.strftime("%Y-%m-%d")
    return f"{local.day} {_MONTHS[local.month - 1]} {local:%H:%M}"


def count_text(value: int) -> str:
    """Subscriber and view counts: "950", "12.3k", "4.1M"."""
    if value < 1000:
        return str(value)
    if value < 1_000_000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value / 1_000_000:.1f}M".replace(".0M", "M")


def label_text(value: str) -> str:
    """An enum value for people: "trusted_flagger" -> "Trusted flagger"."""
    words = value.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def one_line(text: str, limit: int = 140) -> str:
    """A post's text squeezed into one list row."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
