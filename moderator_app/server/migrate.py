"""Alembic, driven from code: the migrations ship inside the package, so an installed copy can upgrade itself."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from moderator_app.server.db import immediate, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads; merge them")
    return heads[0]


def current_revision(target: str | Engine) -> str | None:
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if isinstance(target, str):
            engine.dispose()


def upgrade_to_head(target: str | Engine) -> None:
    """Create or upgrade the schema (idempotent). Takes a database URL or an engine made by db.make_engine."""
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        if current_revision(engine) == head_revision():
            return
        config = alembic_config()
        # On SQLite the write lock is taken up front, so two processes starting together upgrade one after the other.
        with immediate(engine).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if isinstance(target, str):
            engine.dispose()
