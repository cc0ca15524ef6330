"""Shape the seeded server's data for long review sessions: gather open items into one queue, clone them.

The small demo dataset has about 40 open items over seven queues; sessions of dozens of decisions need more in one
queue. Clones copy every column of an open item (and its reports), so they look the same to the client.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text


def _columns(engine: Engine, table: str) -> list[str]:
    """The table's columns but its id, as the database has them (SQLite or PostgreSQL)."""
    return [column["name"] for column in inspect(engine).get_columns(table) if column["name"] != "id"]


def queue_id(engine: Engine, key: str) -> int:
    with engine.connect() as db:
        return int(db.execute(text("SELECT id FROM queues WHERE key = :k"), {"k": key}).scalar_one())


def gather_in_queue(engine: Engine, key: str = "spam") -> int:
    """Move every open item into the queue `key`; returns its id."""
    target = queue_id(engine, key)
    with engine.begin() as db:
        db.execute(text("UPDATE items SET queue_id = :q WHERE status != 'decided'"), {"q": target})
    return target


def clone_open_items(engine: Engine, key: str, copies: int) -> int:
    """Add `copies` clones of every open item of the queue; returns how many open items it has now."""
    target = queue_id(engine, key)
    item_columns = _columns(engine, "items")
    report_columns = [c for c in _columns(engine, "reports") if c != "item_id"]
    items_sql = ", ".join(item_columns)
    reports_sql = ", ".join(report_columns)
    with engine.begin() as db:
        originals = [
            row[0]
            for row in db.execute(
                text("SELECT id FROM items WHERE queue_id = :q AND status = 'pending'"), {"q": target}
            )
        ]
        for _ in range(copies):
            for original in originals:
                new_id = db.execute(
                    text(f"INSERT INTO items ({items_sql}) SELECT {items_sql} FROM items WHERE id = :i RETURNING id"),
                    {"i": original},
                ).scalar_one()
                db.execute(
                    text(
                        f"INSERT INTO reports (item_id, {reports_sql}) SELECT :n, {reports_sql} FROM reports "
                        "WHERE item_id = :i"
                    ),
                    {"n": new_id, "i": original},
                )
        return int(
            db.execute(
                text("SELECT COUNT(*) FROM items WHERE queue_id = :q AND status = 'pending'"), {"q": target}
            ).scalar_one()
        )


def decision_counts(engine: Engine, username: str) -> dict[int, int]:
    """Decisions per item made by one user (reverted ones included: each accepted request is a row)."""
    with engine.connect() as db:
        rows = db.execute(
            text(
                "SELECT d.item_id, COUNT(*) FROM decisions d JOIN users u ON u.id = d.user_id "
                "WHERE u.username = :u GROUP BY d.item_id"
            ),
            {"u": username},
        )
        return {int(item_id): int(count) for item_id, count in rows}
