"""The client's methods for the review screen against the real server: the answers fit what the client reads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from moderator_app.client.api import ApiClient
from moderator_app.core.models import BanScope, DecisionRequest
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.embedded import EmbeddedServer
from moderator_app.workflow.wellness import WellnessSettings
from tests.conftest import password_of


@pytest.fixture
def alice(seeded_server: EmbeddedServer) -> Iterator[ApiClient]:
    client = ApiClient(seeded_server.url)
    client.login("alice", password_of("alice"))
    yield client
    client.close()


def test_wellness_notes_duplicates_decision_keys_and_ban_scope_through_the_client(alice: ApiClient) -> None:
    assert WellnessSettings.merge(alice.wellness_defaults()) == WellnessSettings()

    queues = {queue.key: queue for queue in alice.queues()}
    assert queues["child_safety"].sensitive and not queues["spam"].sensitive
    assert [option.slot for option in queues["spam"].decision_set][:4] == [1, 2, 3, 4]

    batch = alice.claim(queues["spam"].id, count=1).items
    assert batch, "the seeded spam queue has no open item"
    item = batch[0].item
    note = alice.add_note(item.id, "Same template as yesterday's batch.")
    assert note.kind == "note" and note.actor == "alice"
    assert alice.item(item.id).history[0] == note

    duplicates = alice.duplicates(item.id)
    assert item.id not in duplicates and all(isinstance(i, int) for i in duplicates)

    request = DecisionRequest(action=Action.BAN_CHANNEL, reason=PolicyReason.SPAM, ban_scope=BanScope.CHANNEL_AND_POSTS)
    decision = alice.decide(item.id, request, "client-ban-scope-0001")
    assert decision.ban_scope is BanScope.CHANNEL_AND_POSTS
