"""Alembic migrations of the server schema (a package so that installs include them)."""
