"""One router module per resource, all under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter

from moderator_app.server.routes import (
    appeals,
    audit,
    auth,
    claims,
    decisions,
    health,
    items,
    me,
    media,
    qa,
    queues,
    settings,
    team,
)

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for module in (health, auth, queues, claims, items, media, decisions, audit, me, team, qa, appeals, settings):
        router.include_router(module.router)
    return router
