"""Deadlines from the queue's service level and the report source, "at risk", queue settings, assigned-first claims."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from moderator_app.server.services.deadlines import effective_sla_seconds
from moderator_app.server.tables import ItemRow, ReportRow
from tests.factories import add_queue_with_items
from tests.server.conftest import Api
from tests.server.flows import claim, fresh_queue

DAY = 86400


def test_the_service_level_follows_the_report_source_and_child_safety() -> None:
    assert effective_sla_seconds(DAY, ["user"], ["spam"]) == DAY
    assert effective_sla_seconds(DAY, ["automated", "user"], ["spam"]) == DAY
    assert effective_sla_seconds(DAY, ["user", "trusted_flagger"], ["hate_speech"]) == DAY // 2
    assert effective_sla_seconds(DAY, ["trusted_flagger", "authority"], ["terrorism"]) == DAY // 4
    # Child safety: never more than an hour, and an authority's notice shortens that again.
    assert effective_sla_seconds(DAY, ["user"], ["spam", "child_safety"]) == 3600
    assert effective_sla_seconds(DAY, ["authority"], ["child_safety"]) == 900
    assert effective_sla_seconds(1800, ["user"], ["child_safety"]) == 1800
    assert effective_sla_seconds(DAY, [], []) == DAY  # no report: the queue's own level
    assert effective_sla_seconds(100, ["authority"], ["child_safety"]) == 60  # never below a minute


def test_items_and_queues_mark_at_risk_and_overdue(api: Api) -> None:
    now = api.clock()
    # The factory flags each item an hour before its deadline: at risk in its last 12 minutes.
    deadlines = [now + timedelta(minutes=5), now + timedelta(minutes=30), now - timedelta(minutes=5)]
    queue_id, (risky, calm, late) = add_queue_with_items(api.engine, "risky", deadlines)
    queue = api.get(f"/queues/{queue_id}", as_="alice").json()
    assert (queue["at_risk"], queue["overdue"], queue["pending"]) == (1, 1, 3)
    flags = {i: api.get(f"/items/{i}", as_="alice").json()["at_risk"] for i in (risky, calm, late)}
    assert flags == {risky: True, calm: False, late: False}
    api.clock.advance(19 * 60)  # the calm one now has 11 minutes left; the risky one is overdue
    queue = api.get(f"/queues/{queue_id}", as_="alice").json()
    assert (queue["at_risk"], queue["overdue"]) == (1, 2)
    assert api.get(f"/items/{calm}", as_="alice").json()["at_risk"] is True


def test_a_lead_changes_priority_and_service_level_and_open_items_get_new_deadlines(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "tuned", 3)
    with Session(api.engine) as session:
        session.add(
            ReportRow(
                item_id=ids[0], source="authority", reason="spam", comment="", country="DE", created_at=api.clock()
            )
        )
        session.commit()
    answer = api.request("PATCH", f"/queues/{queue_id}", as_="lena", json={"sla_seconds": 7200, "priority": 500})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["sla_seconds"], answer.json()["priority"]) == (7200, 500)
    assert api.get("/queues", as_="alice").json()[0]["id"] == queue_id  # highest priority first now
    with Session(api.engine) as session:
        rows = {i: session.get(ItemRow, i) for i in ids}
        spans = {i: (row.deadline - row.flagged_at).total_seconds() for i, row in rows.items() if row}
        at_risk = {
            i: (row.deadline - row.at_risk_at).total_seconds() for i, row in rows.items() if row and row.at_risk_at
        }
    assert spans == {ids[0]: 1800, ids[1]: 7200, ids[2]: 7200}  # the authority's notice: a quarter
    assert at_risk == {ids[0]: 360, ids[1]: 1440, ids[2]: 1440}  # the last fifth
    entry = api.get("/audit", as_="lena", params={"action": "queue_updated", "queue_id": queue_id}).json()["entries"][0]
    assert entry["actor"] == "lena"
    assert entry["details"]["before"]["sla_seconds"] == 86400
    assert entry["details"]["after"] == {"priority": 500, "sla_seconds": 7200, "sensitive": False}
    assert entry["details"]["items_rescheduled"] == 3


def test_a_queue_update_must_change_something(api: Api) -> None:
    queue_id, _ids = fresh_queue(api, "untouched", 1)
    answer = api.request("PATCH", f"/queues/{queue_id}", as_="lena", json={})
    assert answer.status_code == 422
    assert "priority" in answer.json()["error"]["message"]
    assert api.request("PATCH", f"/queues/{queue_id}", as_="lena", json={"sla_seconds": 10}).status_code == 422


def test_assigned_items_go_to_their_moderator_first(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "assigned", 6)
    moved = api.post("/team/reassign", as_="lena", json={"item_ids": ids[4:], "target": {"assign_to": "bob"}}).json()
    assert moved["item_ids"] == ids[4:]
    queues = {q["id"]: q for q in api.get("/queues", as_="bob").json()}
    assert queues[queue_id]["assigned_to_me"] == 2
    assert api.get(f"/items/{ids[4]}", as_="alice").json()["assigned_to"] == "bob"
    # Alice gets the earliest unassigned items; Bob gets his two first, then the earliest left.
    assert claim(api, "alice", queue_id, 2) == ids[:2]
    assert claim(api, "bob", queue_id, 3) == [ids[4], ids[5], ids[2]]
    # Items assigned to someone else wait until nothing else is left.
    assert claim(api, "alice", queue_id, 5) == [ids[3]]


def test_queue_lists_answer_304_while_nothing_changed(api: Api) -> None:
    queue_id, _ids = fresh_queue(api, "polled", 2)
    first = api.get("/queues", as_="alice")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = api.get("/queues", as_="alice", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag
    claim(api, "bob", queue_id)
    changed = api.get("/queues", as_="alice", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.json() == api.get("/queues", as_="alice").json()
