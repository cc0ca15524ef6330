"""Bulk reassignment by leads: preview, execute in one transaction, undo within the window; stale claims."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from moderator_app.server.tables import ItemRow, ReportRow
from tests.factories import add_queue_with_items
from tests.server.conftest import Api
from tests.server.flows import claim, decide, empty_queue, fresh_queue


def _reassign(api: Api, body: dict[str, Any], *, preview: bool = False, status: int = 200) -> Any:
    response = api.post("/team/reassign/preview" if preview else "/team/reassign", as_="lena", json=body)
    assert response.status_code == status, response.text
    return response.json()


def _item(api: Api, item_id: int) -> ItemRow:
    with Session(api.engine) as session:
        row = session.get(ItemRow, item_id)
        assert row is not None
        return row


def test_preview_counts_what_a_filter_selects_and_changes_nothing(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "previewed", 10)
    claim(api, "alice", queue_id, 2)
    pending = _reassign(
        api,
        {"filter": {"queue_id": queue_id, "status": "pending", "limit": 5}, "target": {"assign_to": "bob"}},
        preview=True,
    )
    assert pending == {
        "count": 5,
        "item_ids": ids[2:7],
        "claimed": 0,
        "overdue": 0,
        "at_risk": 0,
        "skipped_ids": [],
    }
    everything = _reassign(
        api, {"filter": {"queue_id": queue_id, "limit": 4}, "target": {"release_claims": True}}, preview=True
    )
    assert (everything["item_ids"], everything["claimed"]) == (ids[:4], 2)
    assert _item(api, ids[2]).assigned_to is None
    assert api.get("/audit", as_="lena", params={"action": "reassign"}).json()["entries"] == []


def test_a_move_is_undone_exactly(api: Api) -> None:
    source, ids = fresh_queue(api, "crowded", 6)
    target = empty_queue(api, "fast", sla_hours=1)
    before = {i: (_item(api, i).deadline, _item(api, i).at_risk_at) for i in ids[:3]}
    result = _reassign(
        api,
        {
            "filter": {"queue_id": source, "older_than_seconds": 0, "limit": 3},
            "target": {"queue_id": target, "assign_to": "bob"},
            "note": "night shift",
        },
    )
    assert result["item_ids"] == ids[:3] and result["count"] == 3 and result["skipped_ids"] == []
    operation = result["operation_id"]
    for item_id in ids[:3]:
        row = _item(api, item_id)
        assert (row.queue_id, row.status) == (target, "pending")
        assert row.deadline - row.flagged_at == timedelta(hours=1)  # the new queue's service level
        assert api.get(f"/items/{item_id}", as_="alice").json()["assigned_to"] == "bob"
    audit = api.get("/audit", as_="lena", params={"action": "reassign", "queue_id": target}).json()["entries"]
    assert sorted(e["item_id"] for e in audit) == ids[:3]
    assert {e["details"]["operation_id"] for e in audit} == {operation}
    assert {(e["details"]["from_queue_id"], e["details"]["to_queue_id"]) for e in audit} == {(source, target)}
    summary = api.get("/audit", as_="lena", params={"action": "reassign_operation"}).json()["entries"][0]
    assert summary["details"]["request"]["note"] == "night shift" and summary["details"]["count"] == 3

    undone = api.post(f"/team/reassign/{operation}/undo", as_="lena")
    assert undone.status_code == 200, undone.text
    assert undone.json() == {"operation_id": operation, "restored_ids": ids[:3], "conflict_ids": []}
    for item_id in ids[:3]:
        row = _item(api, item_id)
        assert (row.queue_id, row.assigned_to) == (source, None)
        assert (row.deadline, row.at_risk_at) == before[item_id]
    again = api.post(f"/team/reassign/{operation}/undo", as_="lena")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_undone"
    assert len(api.get("/audit", as_="lena", params={"action": "reassign_undo"}).json()["entries"]) == 3


def test_undo_leaves_items_someone_touched_since(api: Api) -> None:
    _source, ids = fresh_queue(api, "touched", 3)
    target = empty_queue(api, "touched_target")
    operation = _reassign(api, {"item_ids": ids, "target": {"queue_id": target}})["operation_id"]
    assert claim(api, "bob", target, 1) == [ids[0]]
    undone = api.post(f"/team/reassign/{operation}/undo", as_="ada").json()
    assert (undone["restored_ids"], undone["conflict_ids"]) == (ids[1:], [ids[0]])
    row = _item(api, ids[0])
    assert (row.queue_id, row.status) == (target, "claimed")


def test_undo_has_a_window(api: Api) -> None:
    _source, ids = fresh_queue(api, "windowed", 2)
    operation = _reassign(api, {"item_ids": ids, "target": {"assign_to": "alice"}})["operation_id"]
    api.clock.advance(31)
    late = api.post(f"/team/reassign/{operation}/undo", as_="lena")
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "undo_expired"
    assert _item(api, ids[0]).assigned_to is not None
    assert api.post(f"/team/reassign/{'f' * 32}/undo", as_="lena").status_code == 404


def test_ids_that_are_not_open_are_skipped(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "mixed", 3)
    claim(api, "alice", queue_id, 1)
    decide(api, "alice", ids[0])
    result = _reassign(api, {"item_ids": [ids[0], ids[1], 999999], "target": {"assign_to": "bob"}})
    assert (result["item_ids"], result["skipped_ids"]) == ([ids[1]], [ids[0], 999999])


def test_releasing_claims_and_undoing_it_gives_the_claim_back(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "held", 2)
    claim(api, "alice", queue_id, 2)
    result = _reassign(api, {"item_ids": ids, "target": {"release_claims": True}})
    assert api.post(f"/items/{ids[0]}/claim/renew", as_="alice").json()["error"]["code"] == "claim_not_held"
    released = api.get("/audit", as_="lena", params={"action": "reassign", "item_id": ids[0]}).json()["entries"]
    assert released[0]["details"]["released_from"] == "alice"
    api.post(f"/team/reassign/{result['operation_id']}/undo", as_="lena")
    assert api.post(f"/items/{ids[1]}/claim/renew", as_="alice").status_code == 200


def test_stale_claims_are_released(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "stale", 3)
    assert claim(api, "alice", queue_id, 2) == ids[:2]
    api.clock.advance(120)
    api.post(f"/items/{ids[0]}/claim/renew", as_="alice")  # renewing keeps the claim's age
    assert claim(api, "bob", queue_id, 1) == [ids[2]]
    response = api.post("/team/claims/release-stale", as_="lena", json={"older_than_seconds": 60, "queue_id": queue_id})
    assert response.status_code == 200, response.text
    assert response.json()["item_ids"] == ids[:2]
    assert [_item(api, i).status for i in ids] == ["pending", "pending", "claimed"]
    summary = api.get("/audit", as_="lena", params={"action": "release_stale_operation"}).json()["entries"][0]
    assert summary["actor"] == "lena" and summary["details"]["count"] == 2


def test_filters_by_report_source_and_at_risk(api: Api) -> None:
    now = api.clock()
    queue_id, ids = add_queue_with_items(
        api.engine, "sourced", [now + timedelta(minutes=5), now + timedelta(minutes=40), now + timedelta(minutes=50)]
    )
    with Session(api.engine) as session:
        session.add(
            ReportRow(item_id=ids[2], source="trusted_flagger", reason="spam", comment="", country="FR", created_at=now)
        )
        session.commit()
    by_source = {"queue_id": queue_id, "report_source": "trusted_flagger"}
    by_risk = {"queue_id": queue_id, "at_risk": True}
    not_risky = {"queue_id": queue_id, "at_risk": False}
    target = {"unassign": True}
    assert _reassign(api, {"filter": by_source, "target": target}, preview=True)["item_ids"] == [ids[2]]
    assert _reassign(api, {"filter": by_risk, "target": target}, preview=True)["item_ids"] == [ids[0]]
    assert _reassign(api, {"filter": not_risky, "target": target}, preview=True)["item_ids"] == ids[1:]
    by_holder = {"queue_id": queue_id, "claimed_by": "alice"}
    claim(api, "alice", queue_id, 1)
    assert _reassign(api, {"filter": by_holder, "target": target}, preview=True)["item_ids"] == [ids[0]]


def test_bad_requests_are_refused_with_reasons(api: Api) -> None:
    _queue_id, ids = fresh_queue(api, "refused", 1)
    both = {"item_ids": ids, "filter": {}, "target": {"unassign": True}}
    assert "either item_ids or filter" in _reassign(api, both, status=422)["error"]["message"]
    assert _reassign(api, {"target": {"unassign": True}}, status=422)["error"]["code"] == "invalid_request"
    nothing = _reassign(api, {"item_ids": ids, "target": {}}, status=422)
    assert "move, assign, unassign or release" in nothing["error"]["message"]
    nobody = _reassign(api, {"item_ids": ids, "target": {"assign_to": "nobody"}}, status=422)
    assert "nobody" in nobody["error"]["message"]
    assert _reassign(api, {"item_ids": ids, "target": {"queue_id": 999999}}, status=404)["error"]["code"] == "not_found"
    too_many = {"item_ids": list(range(1, 5002)), "target": {"unassign": True}}
    assert _reassign(api, too_many, status=422)["error"]["code"] == "invalid_request"
