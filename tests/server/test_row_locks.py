"""Row locks on PostgreSQL: lead operations, decisions, claims and notes do not wait for each other in a circle.

A settings change locks the queue row, then the queue's open items. A decision locks its item, then writes rows
that refer to the queue (a QA sample); a move writes the item's new queue. A plain FOR UPDATE on the queue blocks
those foreign-key checks, so the two wait for each other: a deadlock, a 500 for one side. The services lock rows
FOR NO KEY UPDATE (they never change a key), which foreign-key checks pass, and bulk operations lock items in id
order. SQLite has no row locks (writers queue at BEGIN IMMEDIATE), so these run on PostgreSQL only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from moderator_app.server.services.queues import locked_queue
from moderator_app.server.tables import ItemNoteRow, ItemRow, QaSampleRow, UserRow
from tests.factories import add_queue_with_items
from tests.server.conftest import Api

WAIT_SECONDS = 10  # far longer than the request needs; only a lock wait takes that long


def _finishes_while_locked(call: Callable[[], Any], release: Callable[[], None]) -> Any:
    answers: list[Any] = []
    worker = threading.Thread(target=lambda: answers.append(call()), daemon=True)
    worker.start()
    worker.join(WAIT_SECONDS)
    waited = worker.is_alive()
    release()  # lets a waiting request finish, so the test ends either way
    worker.join(WAIT_SECONDS)
    assert not waited, "the request waited for the lead's lock on the queue"
    return answers[0]


def test_a_sampled_decision_and_a_move_pass_a_queue_locked_by_a_settings_change(api: Api, db_backend: str) -> None:
    if db_backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers")
    now = api.clock()
    queue_id, ids = add_queue_with_items(api.engine, "locked", [now + timedelta(minutes=1)])
    _elsewhere, others = add_queue_with_items(api.engine, "elsewhere", [now + timedelta(minutes=3)])
    assert api.request("PUT", "/qa/sampling", as_="lena", json={"default_rate": 1.0}).status_code == 200
    claimed = api.post(f"/queues/{queue_id}/claims", as_="alice", json={"count": 1}).json()["items"]
    assert [entry["item"]["id"] for entry in claimed] == ids

    with Session(api.engine) as lead:
        locked_queue(lead, queue_id)  # what a settings change holds while it reschedules
        body, key = {"action": "remove_post", "reason": "spam"}, {"Idempotency-Key": "lock-0001"}
        decided = _finishes_while_locked(
            lambda: api.post(f"/items/{ids[0]}/decisions", as_="alice", json=body, headers=key), lead.rollback
        )
        assert decided.status_code == 201, decided.text

        locked_queue(lead, queue_id)
        move = {"item_ids": others, "target": {"queue_id": queue_id}}
        moved = _finishes_while_locked(lambda: api.post("/team/reassign", as_="lena", json=move), lead.rollback)
        assert moved.status_code == 200, moved.text
        assert moved.json()["item_ids"] == others
    with Session(api.engine) as session:
        sample = session.scalars(select(QaSampleRow).where(QaSampleRow.decision_id == decided.json()["id"])).one()
        assert sample.queue_id == queue_id  # the row whose foreign key met the lead's lock
        assert session.get(ItemRow, others[0]).queue_id == queue_id  # type: ignore[union-attr]


def _waiting_for_a_lock(api: Api) -> bool:
    with api.engine.connect() as connection:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        return bool(connection.execute(text(query)).scalar())


def test_a_bulk_move_locks_its_items_in_id_order(api: Api, db_backend: str) -> None:
    """Another bulk operation holding the lower id, then taking the higher one, never meets the move in a circle."""
    if db_backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers")
    now = api.clock()
    # The higher id has the earlier deadline, so the move's own order would lock it first.
    queue_id, (low, high) = add_queue_with_items(
        api.engine, "lock_order", [now + timedelta(minutes=30), now + timedelta(minutes=5)]
    )
    target, _ = add_queue_with_items(api.engine, "lock_order_target", [now + timedelta(hours=5)])
    move = {"filter": {"queue_id": queue_id, "order": "deadline_first", "limit": 2}, "target": {"queue_id": target}}
    with Session(api.engine) as other:
        lock = select(ItemRow).where(ItemRow.id == low).with_for_update(key_share=True)
        other.scalars(lock).one()
        answers: list[Any] = []
        worker = threading.Thread(target=lambda: answers.append(api.post("/team/reassign", as_="lena", json=move)))
        worker.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while not _waiting_for_a_lock(api) and time.monotonic() < deadline:
            time.sleep(0.02)
        # The move waits for the lower id and holds nothing yet, so the other operation gets the higher one at once.
        other.execute(text("SET LOCAL lock_timeout = '3s'"))
        other.scalars(select(ItemRow).where(ItemRow.id == high).with_for_update(key_share=True)).one()
        other.rollback()
        worker.join(WAIT_SECONDS)
    assert not worker.is_alive() and answers[0].status_code == 200, answers and answers[0].text
    assert answers[0].json()["item_ids"] == [high, low]  # still answered in the filter's order


def test_an_item_being_noted_can_still_be_claimed(api: Api, db_backend: str) -> None:
    """A note being written refers to the item (a foreign-key share lock): a claim must not skip the item for it."""
    if db_backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers")
    queue_id, ids = add_queue_with_items(api.engine, "noted", [api.clock() + timedelta(minutes=5)])
    with Session(api.engine) as writer:
        lena = writer.scalars(select(UserRow).where(UserRow.username == "lena")).one()
        writer.add(ItemNoteRow(item_id=ids[0], user_id=lena.id, text="look at the channel", created_at=api.clock()))
        writer.flush()  # inserted, not committed: the item's row is share-locked for the foreign key
        claimed = api.post(f"/queues/{queue_id}/claims", as_="alice", json={"count": 1}).json()["items"]
        writer.rollback()
    assert [entry["item"]["id"] for entry in claimed] == ids
