"""Reference moderation server: FastAPI app, SQLAlchemy tables, Alembic migrations, demo data."""
