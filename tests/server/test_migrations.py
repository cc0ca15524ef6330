from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import moderator_app
from moderator_app.server.db import make_engine
from moderator_app.server.migrate import (
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
    upgrade_to_head,
)
from moderator_app.server.tables import Base


@pytest.mark.sqlite_only  # a new SQLite file; test_postgres.py compares the migrated schema on PostgreSQL
def test_an_empty_database_is_upgraded_to_head_matching_the_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert current_revision(url) is None
    upgrade_to_head(url)
    upgrade_to_head(url)  # idempotent
    assert current_revision(url) == head_revision()
    engine = make_engine(url)
    try:
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []  # the migrations build exactly tables.py
    finally:
        engine.dispose()


def test_there_is_one_head_and_the_chain_starts_at_the_first_table() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [head_revision()]
    chain = list(script.walk_revisions())  # head first
    revisions = {r.revision for r in chain}
    assert chain[-1].revision == "0001" and chain[-1].down_revision is None
    assert all(r.down_revision in revisions for r in chain[:-1])


def test_the_migrations_ship_inside_the_package() -> None:
    package = Path(moderator_app.__file__).resolve().parent
    assert MIGRATIONS_DIR.is_relative_to(package)
    for name in ("env.py", "script.py.mako", "alembic.ini", "__init__.py", "versions/__init__.py"):
        assert (MIGRATIONS_DIR / name).is_file(), name
