"""The order of the lead dashboard's moderators table: the people doing the review work first, the busiest on top.

Accounts that review (the moderator role) come before those that only lead, audit or administer; among them, who
holds most live claims now, then who decided most in the last hour, then today. Ties and everyone else go by name,
so rows stay put between refreshes while nothing changes.
"""

from __future__ import annotations

from moderator_app.core.models import ModeratorStats
from moderator_app.core.roles import Role


def by_workload(moderators: list[ModeratorStats]) -> list[ModeratorStats]:
    def key(m: ModeratorStats) -> tuple[bool, int, int, int, str]:
        name = m.display_name or m.username
        if Role.MODERATOR not in m.roles:
            return (True, 0, 0, 0, name)
        return (False, -m.active_claims, -m.decisions_last_hour, -m.decisions_today, name)

    return sorted(moderators, key=key)
