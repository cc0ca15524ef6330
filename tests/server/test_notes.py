"""POST /items/{id}/notes: colleagues' notes, shown in the history of the item and of its channel; audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.models import HistoryEntry, Item
from moderator_app.server.tables import ItemRow
from tests.server.conftest import Api


def _two_items_of_one_channel(api: Api) -> tuple[int, int]:
    with Session(api.engine) as session:
        rows = session.execute(select(ItemRow.id, ItemRow.channel_id).order_by(ItemRow.id)).all()
    by_channel: dict[int, list[int]] = {}
    for item_id, channel_id in rows:
        by_channel.setdefault(channel_id, []).append(item_id)
    first, second = next(ids for ids in by_channel.values() if len(ids) >= 2)[:2]
    return first, second


def test_a_note_shows_in_the_history_of_the_item_and_of_its_channel(api: Api) -> None:
    item_id, neighbour = _two_items_of_one_channel(api)
    api.clock.advance(5)  # after any seeded history
    response = api.post(f"/items/{item_id}/notes", as_="alice", json={"text": "Same wallet as last week's scam."})
    assert response.status_code == 201, response.text
    note = HistoryEntry.model_validate(response.json())
    assert (note.kind, note.actor, note.note, note.item_id) == (
        "note",
        "alice",
        "Same wallet as last week's scam.",
        item_id,
    )
    assert note.action is None and note.reason is None and note.at == api.clock()

    for shown in (item_id, neighbour):  # the neighbour shows it as channel context, naming the noted item
        item = Item.model_validate(api.get(f"/items/{shown}", as_="bob").json())
        assert item.history[0] == note, shown
    api.clock.advance(5)
    later = api.post(f"/items/{neighbour}/notes", as_="bob", json={"text": "Second look: agreed."}).json()
    history = Item.model_validate(api.get(f"/items/{item_id}", as_="alice").json()).history
    assert [entry.note for entry in history[:2]] == [later["note"], note.note]  # newest first


def test_a_note_is_audited(api: Api) -> None:
    item_id, _ = _two_items_of_one_channel(api)
    assert api.post(f"/items/{item_id}/notes", as_="bob", json={"text": "Checked the channel."}).status_code == 201
    entries = api.get("/audit", as_="lena", params={"action": "note", "item_id": item_id}).json()["entries"]
    assert len(entries) == 1
    assert entries[0]["actor"] == "bob"
    assert entries[0]["details"]["text"] == "Checked the channel."
    assert isinstance(entries[0]["details"]["note_id"], int)
    assert entries[0]["queue_id"] is not None


def test_every_reviewing_role_may_write_notes(api: Api) -> None:
    item_id, _ = _two_items_of_one_channel(api)
    for user in ("alice", "lena", "quinn", "ada"):
        assert api.post(f"/items/{item_id}/notes", as_=user, json={"text": f"from {user}"}).status_code == 201, user
    assert api.post(f"/items/{item_id}/notes", json={"text": "anonymous"}).status_code == 401


def test_notes_must_have_text_within_the_limit(api: Api) -> None:
    item_id, _ = _two_items_of_one_channel(api)
    cases = {
        "": "String should have at least 1 character",
        "   \n ": "a note needs some text, not only spaces",
        "x" * 2001: "String should have at most 2000 characters",
    }
    for text, message in cases.items():
        response = api.post(f"/items/{item_id}/notes", as_="alice", json={"text": text})
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "invalid_request"
        assert error["message"] == f"Invalid text: {message}."
    assert api.post(f"/items/{item_id}/notes", as_="alice", json={"text": "x" * 2000}).status_code == 201
    missing = api.post(f"/items/{item_id}/notes", as_="alice", json={})
    assert missing.status_code == 422 and missing.json()["error"]["message"] == "Invalid text: Field required."
    extra = api.post(f"/items/{item_id}/notes", as_="alice", json={"text": "hi", "pinned": True})
    assert extra.status_code == 422


def test_a_note_on_an_unknown_item_is_404(api: Api) -> None:
    response = api.post("/items/999999/notes", as_="alice", json={"text": "hello"})
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Item 999999 does not exist."
