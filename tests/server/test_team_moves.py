"""Lead moves beyond reassignment: releasing stale claims with a preview, and queue settings that can be undone."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from moderator_app.server.tables import ItemRow
from tests.server.conftest import Api
from tests.server.flows import claim, decide, empty_queue, fresh_queue


def _times(api: Api, ids: list[int]) -> dict[int, tuple[Any, Any]]:
    with Session(api.engine) as session:
        rows = {i: session.get(ItemRow, i) for i in ids}
        return {i: (row.deadline, row.at_risk_at) for i, row in rows.items() if row is not None}


def _status(api: Api, item_id: int) -> tuple[str, int | None]:
    with Session(api.engine) as session:
        row = session.get(ItemRow, item_id)
        assert row is not None
        return row.status, row.claimed_by


def _holder(item_id: int, ids: list[int]) -> str:
    return "bob" if item_id == ids[2] else "alice"


def test_release_stale_preview_names_the_claims_and_their_holders_and_changes_nothing(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "stale_preview", 5)
    assert claim(api, "alice", queue_id, 2) == ids[:2]
    for step in range(3):  # 12 minutes of work: leases are renewed, claims keep their age
        if step == 2:
            assert claim(api, "bob", queue_id, 1) == [ids[2]]
        api.clock.advance(240)
        for item_id in ids[: 2 if step < 2 else 3]:
            assert api.post(f"/items/{item_id}/claim/renew", as_=_holder(item_id, ids)).status_code == 200
    body = {"older_than_seconds": 600, "queue_id": queue_id}
    preview = api.post("/team/claims/release-stale/preview", as_="lena", json=body)
    assert preview.status_code == 200, preview.text
    answer = preview.json()
    assert (answer["count"], answer["item_ids"], answer["holders"]) == (2, ids[:2], {"alice": 2})
    assert answer["oldest_claimed_at"] is not None
    wider = api.post("/team/claims/release-stale/preview", as_="lena", json={**body, "older_than_seconds": 60}).json()
    assert (wider["count"], wider["holders"]) == (3, {"alice": 2, "bob": 1})
    only_bob = {**body, "older_than_seconds": 0, "claimed_by": "bob"}
    assert api.post("/team/claims/release-stale/preview", as_="lena", json=only_bob).json()["item_ids"] == [ids[2]]
    assert _status(api, ids[0])[0] == "claimed"  # a preview changes nothing
    assert api.get("/audit", as_="lena", params={"action": "release_stale_operation"}).json()["entries"] == []

    # The release takes exactly what the preview showed, in one operation, and can be undone.
    released = api.post("/team/claims/release-stale", as_="lena", json=body).json()
    assert released["item_ids"] == answer["item_ids"]
    assert [_status(api, i)[0] for i in ids[:3]] == ["pending", "pending", "claimed"]
    per_item = api.get("/audit", as_="lena", params={"action": "reassign", "queue_id": queue_id}).json()["entries"]
    assert sorted(e["item_id"] for e in per_item) == ids[:2]
    assert {e["details"]["released_from"] for e in per_item} == {"alice"}
    undone = api.post(f"/team/reassign/{released['operation_id']}/undo", as_="lena").json()
    assert undone["restored_ids"] == ids[:2]
    assert _status(api, ids[0])[0] == "claimed"
    assert api.post(f"/items/{ids[0]}/claim/renew", as_="alice").status_code == 200  # alice holds it again


def test_a_queue_settings_change_is_undone_with_its_deadlines(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "tuned_undo", 4)
    claim(api, "alice", queue_id, 1)
    before = _times(api, ids)
    queue_before = api.get(f"/queues/{queue_id}", as_="lena").json()
    changed = api.post(f"/team/queues/{queue_id}/settings", as_="lena", json={"priority": 321, "sla_seconds": 7200})
    assert changed.status_code == 200, changed.text
    result = changed.json()
    assert (result["queue"]["priority"], result["queue"]["sla_seconds"]) == (321, 7200)
    assert result["items_rescheduled"] == 4
    assert all(_times(api, ids)[i] != before[i] for i in ids)
    audit = api.get("/audit", as_="lena", params={"action": "queue_updated", "queue_id": queue_id}).json()["entries"]
    assert audit[0]["details"]["operation_id"] == result["operation_id"] and audit[0]["actor"] == "lena"

    # Someone decides one item meanwhile: it keeps what it has; the claimed one still gets its old deadline back.
    decide(api, "alice", ids[0])
    undone = api.post(f"/team/reassign/{result['operation_id']}/undo", as_="ada")
    assert undone.status_code == 200, undone.text
    assert (undone.json()["restored_ids"], undone.json()["conflict_ids"]) == (ids[1:], [ids[0]])
    queue_after = api.get(f"/queues/{queue_id}", as_="lena").json()
    assert (queue_after["priority"], queue_after["sla_seconds"]) == (
        queue_before["priority"],
        queue_before["sla_seconds"],
    )
    after = _times(api, ids)
    assert all(after[i] == before[i] for i in ids[1:])
    entry = api.get("/audit", as_="lena", params={"action": "queue_update_undo"}).json()["entries"][0]
    assert entry["actor"] == "ada" and entry["details"]["items_restored"] == 3
    assert entry["details"]["after"]["priority"] == queue_before["priority"]
    again = api.post(f"/team/reassign/{result['operation_id']}/undo", as_="lena")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_undone"


def test_a_queue_settings_undo_refuses_when_the_settings_changed_again_or_the_window_ended(api: Api) -> None:
    queue_id = empty_queue(api, "tuned_twice")
    first = api.post(f"/team/queues/{queue_id}/settings", as_="lena", json={"priority": 5}).json()
    second = api.request("PATCH", f"/queues/{queue_id}", as_="ada", json={"priority": 6})
    assert second.status_code == 200 and second.json()["priority"] == 6
    refused = api.post(f"/team/reassign/{first['operation_id']}/undo", as_="lena")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "changed_since"
    assert api.get(f"/queues/{queue_id}", as_="lena").json()["priority"] == 6
    # The PATCH was an undoable operation too (its id is in the audit entry), until the window ends.
    entry = api.get("/audit", as_="lena", params={"action": "queue_updated", "queue_id": queue_id}).json()["entries"][0]
    api.clock.advance(31)
    late = api.post(f"/team/reassign/{entry['details']['operation_id']}/undo", as_="lena")
    assert late.status_code == 409 and late.json()["error"]["code"] == "undo_expired"
    assert api.post("/team/queues/999999/settings", as_="lena", json={"priority": 1}).status_code == 404
    assert api.post(f"/team/queues/{queue_id}/settings", as_="alice", json={"priority": 1}).status_code == 403


def test_moderators_answer_304_while_nothing_changed(api: Api) -> None:
    first = api.get("/team/moderators", as_="lena")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and {m["username"] for m in first.json()} >= {"alice", "bob"}
    again = api.get("/team/moderators", as_="lena", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    queue_id, _ids = fresh_queue(api, "moderators_etag", 1)
    claim(api, "alice", queue_id, 1)
    changed = api.get("/team/moderators", as_="lena", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
