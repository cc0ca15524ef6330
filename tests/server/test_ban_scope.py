"""DecisionRequest.ban_scope: only with ban_channel, stored on the decision, said in the audit log."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from moderator_app.core.models import BanScope, Decision, DecisionRequest
from moderator_app.server.services.decisions import request_hash
from tests.server.conftest import Api
from tests.server.flows import claim, fresh_queue


def _decide(api: Api, item_id: int, body: dict[str, Any], key: str) -> Any:
    return api.post(f"/items/{item_id}/decisions", as_="alice", json=body, headers={"Idempotency-Key": key})


def test_a_ban_of_the_channel_and_its_posts_is_stored_and_audited(api: Api) -> None:
    queue_id, _ = fresh_queue(api, "bans", 3)
    first, second, third = claim(api, "alice", queue_id, count=3)
    body = {"action": "ban_channel", "reason": "scam_fraud", "ban_scope": "channel_and_posts"}
    response = _decide(api, first, body, "ban-scope-key-1")
    assert response.status_code == 201, response.text
    decision = Decision.model_validate(response.json())
    assert decision.ban_scope is BanScope.CHANNEL_AND_POSTS
    assert Decision.model_validate(api.get(f"/items/{first}", as_="bob").json()["decision"]) == decision
    assert _decide(api, first, body, "ban-scope-key-1").json() == response.json()  # the retry gets the same answer
    details = api.get("/audit", as_="lena", params={"action": "decision", "item_id": first}).json()["entries"][0][
        "details"
    ]
    assert details["ban_scope"] == "channel_and_posts"
    assert details["enforcement"] == "channel banned and all its posts removed"

    only_channel = _decide(api, second, {**body, "ban_scope": "channel"}, "ban-scope-key-2")
    assert only_channel.json()["ban_scope"] == "channel"
    unspecified = _decide(api, third, {"action": "ban_channel", "reason": "spam"}, "ban-scope-key-3")
    assert unspecified.json()["ban_scope"] is None
    for item_id in (second, third):
        entry = api.get("/audit", as_="lena", params={"action": "decision", "item_id": item_id}).json()["entries"][0]
        assert "enforcement" not in entry["details"]


def test_a_ban_scope_goes_only_with_ban_channel(api: Api) -> None:
    queue_id, _ = fresh_queue(api, "bans_bad", 1)
    [item_id] = claim(api, "alice", queue_id)
    response = _decide(
        api, item_id, {"action": "remove_post", "reason": "spam", "ban_scope": "channel"}, "ban-scope-bad-1"
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"] == "The decision is incomplete: only ban_channel takes a ban scope."
    assert error["details"] == {"problems": ["only ban_channel takes a ban scope"]}
    unknown = _decide(
        api, item_id, {"action": "ban_channel", "reason": "spam", "ban_scope": "planet"}, "ban-scope-bad-2"
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"].startswith("Invalid ban_scope: Input should be 'channel' or ")
    assert api.get(f"/items/{item_id}", as_="alice").json()["decision"] is None


def test_requests_without_a_ban_scope_hash_as_before_the_field_existed() -> None:
    """A client's retry of a decision sent before the upgrade is recognised as the same decision."""
    request = DecisionRequest(action="remove_post", reason="spam", note="x")  # type: ignore[arg-type]
    before = {k: v for k, v in request.model_dump(mode="json").items() if k != "ban_scope"}
    old = hashlib.sha256(json.dumps({"item_id": 7, "request": before}, sort_keys=True).encode("utf-8")).hexdigest()
    assert request_hash(7, request) == old
    banned = DecisionRequest(action="ban_channel", reason="spam", ban_scope="channel")  # type: ignore[arg-type]
    assert request_hash(7, banned) != request_hash(7, banned.model_copy(update={"ban_scope": None}))
