"""The moderators table's order: reviewers first, the busiest on top, then by name."""

from __future__ import annotations

from moderator_app.core.models import ModeratorStats
from moderator_app.core.roles import Role
from moderator_app.core.workload import by_workload


def person(name: str, roles: list[Role], claims: int = 0, last_hour: int = 0, today: int = 0) -> ModeratorStats:
    return ModeratorStats(
        id=len(name),
        username=name.lower(),
        display_name=name,
        roles=roles,
        active_claims=claims,
        assigned_pending=0,
        decisions_last_hour=last_hour,
        decisions_today=today,
        decisions_per_hour_today=today / 10,
        median_handling_seconds=None,
        exposure_seconds_today=None,
    )


def test_reviewers_first_busiest_on_top_then_by_name() -> None:
    admin = person("Ada Admin", [Role.ADMIN])
    lead = person("Lena Lead", [Role.LEAD], today=40)  # a lead's own decisions do not lift them over the reviewers
    idle = person("Bob", [Role.MODERATOR])
    idle_too = person("Amira", [Role.MODERATOR])
    claiming = person("Jonas", [Role.MODERATOR], claims=3)
    deciding = person("Lucia", [Role.MODERATOR], last_hour=12, today=30)
    earlier = person("Carl", [Role.MODERATOR], today=50)
    ordered = by_workload([admin, lead, idle, idle_too, claiming, deciding, earlier])
    assert [m.display_name for m in ordered] == [
        "Jonas",
        "Lucia",
        "Carl",
        "Amira",
        "Bob",
        "Ada Admin",
        "Lena Lead",
    ]
