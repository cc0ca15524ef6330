"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moderator_app import __version__
from moderator_app.server.config import ServerSettings
from moderator_app.server.db import Sessions, make_engine
from moderator_app.server.deps import Clock, ServerState
from moderator_app.server.errors import install_error_handlers
from moderator_app.server.middleware import GuardMiddleware
from moderator_app.server.migrate import upgrade_to_head
from moderator_app.server.routes import api_router
from moderator_app.server.services import sampling
from moderator_app.server.services.auth import AuthService
from moderator_app.server.tables import QueueRow, utcnow

log = logging.getLogger(__name__)


def create_app(settings: ServerSettings, *, engine: Engine | None = None, clock: Clock | None = None) -> FastAPI:
    """Upgrade the schema, seed the demo when asked, and build the app. Pass `engine` to keep ownership of it."""
    owned = engine is None
    engine = engine if engine is not None else make_engine(settings.db_url)
    upgrade_to_head(engine)
    sampling.ensure_secret(engine, (clock or utcnow)())
    if settings.demo:
        _seed_demo_if_empty(engine, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            engine.dispose()

    app = FastAPI(
        title="Moderator review server",
        version=__version__,
        summary="Queues, claims, items, media, decisions and the audit log for content moderators.",
        lifespan=lifespan,
        # Operation ids are the route functions' names ("decide", "claim_next"): stable names for generated clients.
        generate_unique_id_function=lambda route: route.name,
    )
    app.state.server = ServerState(settings, Sessions(engine), AuthService(settings), clock or utcnow)
    install_error_handlers(app)
    app.add_middleware(GuardMiddleware, max_body_bytes=settings.max_body_bytes)
    app.include_router(api_router())
    return app


def _seed_demo_if_empty(engine: Engine, settings: ServerSettings) -> None:
    with Session(engine) as session:
        if session.scalar(select(QueueRow.id).limit(1)) is not None:
            return
    # Imported here: the demo draws its pictures with QtGui, which a server without the demo never needs.
    from moderator_app.server.demo import create_demo_users, seed_demo
    from moderator_app.server.demo.qa import seed_demo_qa
    from moderator_app.server.demo.shift import seed_demo_shift

    log.info("Seeding the demo dataset into an empty database")
    seed_demo(engine)
    create_demo_users(engine, kdf=settings.password_kdf)
    # Sampled decisions, reviews, a dispute and an appeal, reviewed by the demo accounts made just above.
    seed_demo_qa(engine)
    # The last hours' decisions by the demo moderator and colleagues (after the QA rows: those use earlier ones).
    seed_demo_shift(engine, lease_seconds=settings.lease_seconds)
