from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core.models import Item
from moderator_app.server.tables import MediaBlobRow, MediaRow, PostRow
from tests.factories import add_channel, add_item, add_queue
from tests.server.conftest import Api


def _channel_with_items(api: Api) -> tuple[list[int], dict[str, int]]:
    """A 12-post channel (hourly, oldest first) and items on posts 1 and 6 and on the channel itself."""
    now = api.clock()
    with Session(api.engine) as session:
        queue_id = add_queue(session, "items_test")
        posts = add_channel(session, "items_test_channel", now, posts=12)
        channel_id = session.get(PostRow, posts[0]).channel_id  # type: ignore[union-attr]
        due = now + timedelta(hours=1)
        items = {
            "early": add_item(session, queue_id, due, channel_id=channel_id, post_id=posts[1]),
            "middle": add_item(session, queue_id, due, channel_id=channel_id, post_id=posts[6]),
            "channel": add_item(session, queue_id, due, channel_id=channel_id, post_id=None),
        }
        session.commit()
    return posts, items


def test_a_post_item_carries_three_posts_either_side(api: Api) -> None:
    posts, items = _channel_with_items(api)
    response = api.get(f"/items/{items['middle']}", as_="alice")
    assert response.status_code == 200
    item = Item.model_validate(response.json())
    assert item.kind == "post"
    assert item.post is not None and item.post.id == posts[6]
    assert [p.id for p in item.context_posts] == posts[3:6] + posts[7:10]
    assert item.channel.handle == "items_test_channel"
    assert [r.source for r in item.reports] == ["user"]
    assert [s.label for s in item.signals] == ["spam"]
    assert item.decision is None
    # Near the start of the channel there is only one post before.
    early = Item.model_validate(api.get(f"/items/{items['early']}", as_="alice").json())
    assert [p.id for p in early.context_posts] == [posts[0], *posts[2:5]]


def test_a_channel_item_carries_its_nine_latest_posts_oldest_first(api: Api) -> None:
    posts, items = _channel_with_items(api)
    item = Item.model_validate(api.get(f"/items/{items['channel']}", as_="alice").json())
    assert item.kind == "channel"
    assert item.post is None
    assert [p.id for p in item.context_posts] == posts[3:]
    with_media = [p for p in item.context_posts if p.media]
    assert with_media and all(m.mime_type == "image/png" for p in with_media for m in p.media)


def test_history_shows_decisions_on_the_channel_newest_first(api: Api) -> None:
    _posts, items = _channel_with_items(api)
    first = api.post(
        f"/items/{items['early']}/decisions",
        as_="alice",
        json={"action": "remove_post", "reason": "spam", "note": "first"},
        headers={"Idempotency-Key": "history-1"},
    )
    assert first.status_code == 201
    api.clock.advance(60)
    second = api.post(
        f"/items/{items['middle']}/decisions",
        as_="bob",
        json={"action": "label_sensitive", "reason": "adult_content", "note": "second"},
        headers={"Idempotency-Key": "history-2"},
    )
    assert second.status_code == 201
    item = Item.model_validate(api.get(f"/items/{items['channel']}", as_="alice").json())
    history = [(h.kind, h.actor, h.action, h.note, h.item_id) for h in item.history]
    assert history == [
        ("decision", "bob", "label_sensitive", "second", items["middle"]),
        ("decision", "alice", "remove_post", "first", items["early"]),
    ]


def test_unknown_items_are_404_and_ids_are_checked(api: Api) -> None:
    response = api.get("/items/987654", as_="alice")
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "Item 987654 does not exist."}
    for bad in ("abc", "0", "-3", str(2**70)):
        assert api.get(f"/items/{bad}", as_="alice").status_code == 422, bad


def _some_media(api: Api) -> tuple[MediaRow, bytes]:
    with Session(api.engine) as session:
        media, data = session.execute(select(MediaRow, MediaBlobRow.data).join(MediaBlobRow).limit(1)).one()
        return media, data


def test_media_bytes_need_a_token(api: Api) -> None:
    media, _data = _some_media(api)
    response = api.get(f"/media/{media.id}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_media_bytes_come_with_type_size_and_no_store(api: Api) -> None:
    media, data = _some_media(api)
    response = api.get(f"/media/{media.id}", as_="alice")
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["Content-Type"].startswith(media.mime_type)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Media-Width"] == str(media.width)
    assert response.headers["X-Media-Height"] == str(media.height)
    assert api.get("/media/987654", as_="alice").status_code == 404


def test_every_json_answer_is_no_store(api: Api) -> None:
    for response in (api.get("/queues", as_="alice"), api.get("/health"), api.get("/nowhere")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
