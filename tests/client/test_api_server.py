"""ApiClient against the real reference server on a temporary database."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    MediaTooLarge,
    NotFound,
    Unauthenticated,
)
from moderator_app.core.models import ClaimedItem, DecisionRequest, MediaKind, Queue
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.core.roles import Role

KEEP = DecisionRequest(action=Action.NO_VIOLATION, note="fine")
REMOVE = DecisionRequest(action=Action.REMOVE_POST, reason=PolicyReason.SPAM)

SignIn = Callable[[str], ApiClient]


@pytest.fixture
def sign_in(seeded_server: Any) -> Iterator[SignIn]:
    clients: list[ApiClient] = []

    def make(username: str) -> ApiClient:
        api = ApiClient(seeded_server.url)
        api.login(username, f"pw-{username}")
        clients.append(api)
        return api

    yield make
    for api in clients:
        api.close()


def busiest_queue(api: ApiClient) -> Queue:
    return max(api.queues(), key=lambda queue: queue.pending)


def claim_one(api: ApiClient) -> ClaimedItem:
    batch = api.claim(busiest_queue(api).id, 1)
    assert len(batch.items) == 1
    return batch.items[0]


def test_login_me_and_logout(seeded_server: Any) -> None:
    with ApiClient(seeded_server.url) as api:
        assert api.health()["status"] == "ok"
        answer = api.login("lena", "pw-lena")
        assert answer.user.username == "lena" and Role.LEAD in answer.user.roles
        assert api.token == answer.token
        assert api.me() == answer.user
        api.logout()
        assert api.token is None
        api.token = answer.token  # a revoked token is refused
        with pytest.raises(Unauthenticated):
            api.me()


def test_wrong_password_carries_the_servers_message(seeded_server: Any) -> None:
    raw = requests.post(
        f"{seeded_server.url}/api/v1/auth/login", json={"username": "alice", "password": "wrong"}, timeout=10
    )
    expected = raw.json()["error"]["message"]
    with ApiClient(seeded_server.url) as api, pytest.raises(Unauthenticated) as caught:
        api.login("alice", "wrong")
    assert (caught.value.status, caught.value.code) == (401, "bad_credentials")
    assert str(caught.value) == expected
    assert api.token is None


def test_queues_claims_renew_release(sign_in: SignIn) -> None:
    alice = sign_in("alice")
    queues = alice.queues()
    assert queues == sorted(queues, key=lambda queue: (-queue.priority, queue.key))
    queue = busiest_queue(alice)
    assert alice.queue(queue.id).key == queue.key

    batch = alice.claim(queue.id, 3)
    held = [claimed.item.id for claimed in batch.items]
    assert 1 <= len(held) <= 3
    deadlines = [claimed.item.deadline for claimed in batch.items]
    assert deadlines == sorted(deadlines)
    assert {claim.item_id for claim in alice.my_claims()} == set(held)

    first = batch.items[0]
    renewed = alice.renew(first.item.id)
    assert renewed.item_id == first.item.id and renewed.lease_expires_at >= first.claim.lease_expires_at
    alice.release(first.item.id)
    assert first.item.id not in {claim.item_id for claim in alice.my_claims()}
    with pytest.raises(Conflict) as caught:
        alice.renew(first.item.id)
    assert caught.value.code == "claim_not_held" and caught.value.decision is None

    item = alice.item(held[-1])
    assert item.id == held[-1] and item.queue_id == queue.id
    with pytest.raises(NotFound):
        alice.item(10**9)


def test_media_bytes_match_their_reference(sign_in: SignIn) -> None:
    alice = sign_in("alice")
    refs = []
    for queue in alice.queues():
        for claimed in alice.claim(queue.id, 50).items:
            post = claimed.item.post
            refs += [ref for ref in (post.media if post else []) if ref.kind is MediaKind.IMAGE]
        if refs:
            break
    assert refs, "the seeded data set has no images"
    ref = refs[0]
    media = alice.media(ref.id)
    assert (media.mime_type, media.width, media.height) == (ref.mime_type, ref.width, ref.height)
    assert len(media.data) == ref.size_bytes
    assert media.data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xdb")
    with pytest.raises(MediaTooLarge):
        alice.media(ref.id, max_bytes=ref.size_bytes - 1)
    with pytest.raises(NotFound):
        alice.media(10**9)


def test_decide_is_idempotent_per_key(sign_in: SignIn) -> None:
    alice = sign_in("alice")
    item_id = claim_one(alice).item.id
    key = uuid.uuid4().hex
    first = alice.decide(item_id, REMOVE, key)
    again = alice.decide(item_id, REMOVE, key)
    assert first == again
    assert (first.item_id, first.action, first.decided_by) == (item_id, Action.REMOVE_POST, "alice")
    assert alice.item(item_id).decision == first
    with pytest.raises(InvalidRequest) as caught:
        alice.decide(item_id, KEEP, key)  # same key, another decision
    assert caught.value.code == "idempotency_key_reused"


def test_deciding_an_item_someone_else_decided_names_their_decision(sign_in: SignIn) -> None:
    alice, bob = sign_in("alice"), sign_in("bob")
    item_id = claim_one(alice).item.id
    alices = alice.decide(item_id, REMOVE, uuid.uuid4().hex)
    with pytest.raises(Conflict) as caught:
        bob.decide(item_id, KEEP, uuid.uuid4().hex)
    assert caught.value.status == 409 and caught.value.code == "already_decided"
    assert caught.value.decision == alices
    assert str(caught.value)  # the server's sentence, shown to bob


def test_roles_are_enforced_and_a_lead_can_revert_and_audit(sign_in: SignIn) -> None:
    alice, lena = sign_in("alice"), sign_in("lena")
    item_id = claim_one(alice).item.id
    decision = alice.decide(item_id, REMOVE, uuid.uuid4().hex)
    with pytest.raises(Forbidden):
        alice.audit()
    with pytest.raises(Forbidden):
        alice.revert(decision.id, "not mine to revert")
    reverted = lena.revert(decision.id, "wrong reason")
    assert reverted.id == decision.id and reverted.reverted_at is not None
    page = lena.audit(limit=5, item_id=item_id)
    assert {entry.action for entry in page.entries} >= {"decision", "revert"}
    assert all(entry.item_id == item_id for entry in page.entries)
