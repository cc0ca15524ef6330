from __future__ import annotations

from tests.server.conftest import Api


def _decided_item(api: Api) -> int:
    """An item alice decided; returns the decision id."""
    queue_id = api.get("/queues", as_="alice").json()[0]["id"]
    item_id = api.post(f"/queues/{queue_id}/claims", as_="alice", json={"count": 1}).json()["items"][0]["item"]["id"]
    decided = api.post(
        f"/items/{item_id}/decisions",
        as_="alice",
        json={"action": "no_violation"},
        headers={"Idempotency-Key": "roles-test-key-1"},
    )
    assert decided.status_code == 201
    return int(decided.json()["id"])


def test_a_moderator_may_not_read_the_audit_log(api: Api) -> None:
    response = api.get("/audit", as_="alice")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert error["message"] == "Your role (moderator) does not allow you to view the audit log."
    assert error["details"] == {"permission": "view_audit"}


def test_leads_qa_and_admins_may_read_the_audit_log(api: Api) -> None:
    for user in ("lena", "quinn", "ada"):
        assert api.get("/audit", as_=user).status_code == 200, user


def test_only_leads_and_admins_may_revert(api: Api) -> None:
    decision_id = _decided_item(api)
    body = {"note": "wrong call"}
    for user in ("alice", "bob", "quinn"):
        response = api.post(f"/decisions/{decision_id}/revert", as_=user, json=body)
        assert response.status_code == 403, user
        assert "revert decisions" in response.json()["error"]["message"]
    assert api.post(f"/decisions/{decision_id}/revert", as_="lena", json=body).status_code == 200


def test_an_admin_may_revert(api: Api) -> None:
    decision_id = _decided_item(api)
    response = api.post(f"/decisions/{decision_id}/revert", as_="ada", json={"note": "policy changed"})
    assert response.status_code == 200
    assert response.json()["reverted_at"] is not None


def test_authentication_comes_before_permission(api: Api) -> None:
    assert api.get("/audit").status_code == 401
