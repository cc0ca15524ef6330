"""Small steps the server tests repeat: fresh queues with known items, claims and decisions through the API."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tests.factories import add_queue, add_queue_with_items
from tests.server.conftest import Api

_keys = itertools.count(1)


def fresh_queue(api: Api, key: str, count: int, *, first_in_minutes: int = 30) -> tuple[int, list[int]]:
    """A new queue (24 h service level) whose items are due a minute apart, oldest flagged first."""
    now: datetime = api.clock()
    deadlines = [now + timedelta(minutes=first_in_minutes + n) for n in range(count)]
    return add_queue_with_items(api.engine, key, deadlines)


def empty_queue(api: Api, key: str, *, sla_hours: int = 24) -> int:
    with Session(api.engine) as session:
        queue_id = add_queue(session, key, sla_hours=sla_hours)
        session.commit()
    return queue_id


def claim(api: Api, user: str, queue_id: int, count: int = 1) -> list[int]:
    response = api.post(f"/queues/{queue_id}/claims", as_=user, json={"count": count})
    assert response.status_code == 200, response.text
    return [entry["item"]["id"] for entry in response.json()["items"]]


def decide(api: Api, user: str, item_id: int, action: str = "remove_post", reason: str | None = "spam") -> Any:
    body: dict[str, Any] = {"action": action}
    if reason is not None:
        body["reason"] = reason
    response = api.post(
        f"/items/{item_id}/decisions", as_=user, json=body, headers={"Idempotency-Key": f"test-key-{next(_keys):06d}"}
    )
    assert response.status_code == 201, response.text
    return response.json()


def set_sampling(api: Api, default_rate: float, rules: list[dict[str, Any]] | None = None) -> None:
    response = api.request("PUT", "/qa/sampling", as_="lena", json={"default_rate": default_rate, "rules": rules or []})
    assert response.status_code == 200, response.text
