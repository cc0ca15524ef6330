"""Roles and what each may do. The server enforces these; the client only hides what a role cannot do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    MODERATOR = "moderator"
    LEAD = "lead"
    QA = "qa"
    ADMIN = "admin"


class Permission(StrEnum):
    REVIEW = "review"  # claim items and decide them
    VIEW_AUDIT = "view_audit"
    REVERT_DECISION = "revert_decision"
    MANAGE_QUEUES = "manage_queues"
    MANAGE_USERS = "manage_users"
    QA_REVIEW = "qa_review"  # blind second reviews of sampled decisions
    # File a user's appeal against a decision (DSA Art. 20). Only admins hold it for now; the platform's user-facing
    # side would get a role of its own holding only this permission.
    FILE_APPEALS = "file_appeals"
    MANAGE_SETTINGS = "manage_settings"  # organisation-wide settings such as the wellness defaults (admins)


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MODERATOR: frozenset({Permission.REVIEW}),
    Role.LEAD: frozenset(
        {Permission.REVIEW, Permission.VIEW_AUDIT, Permission.REVERT_DECISION, Permission.MANAGE_QUEUES}
    ),
    Role.QA: frozenset({Permission.REVIEW, Permission.VIEW_AUDIT, Permission.QA_REVIEW}),
    Role.ADMIN: frozenset(Permission),
}


def permissions_for(roles: list[Role] | frozenset[Role] | set[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)
