"""GET /items/{id}/duplicates: open items whose media is a near-duplicate of this item's media."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from moderator_app.server.app import create_app
from moderator_app.server.config import ServerSettings
from moderator_app.server.db import make_engine
from moderator_app.server.demo import seed_demo
from moderator_app.server.media_hash import dhash
from moderator_app.server.migrate import upgrade_to_head
from moderator_app.server.security import TEST_SCRYPT
from moderator_app.server.tables import ItemRow, MediaBlobRow, MediaRow, PostRow, UserRow
from tests.conftest import MovableClock, create_test_users, sqlite_url
from tests.factories import add_channel, add_item, add_queue
from tests.server.conftest import Api, make_test_client
from tests.server.flows import decide
from tests.server.test_media_hash import encode, picture, resized

pytestmark = pytest.mark.usefixtures("qapp")


def _post_with_image(session: Session, channel_id: int, data: bytes, *, hashed: bool, posted_at: datetime) -> int:
    post = PostRow(channel_id=channel_id, text="look", language="en", posted_at=posted_at, views=1)
    session.add(post)
    session.flush()
    media = MediaRow(
        post_id=post.id,
        position=0,
        kind="image",
        mime_type="image/jpeg" if data[:2] == b"\xff\xd8" else "image/png",
        width=1,
        height=1,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        # Hashed as the seeder stores it, or left empty as media stored by other means (hashed when asked).
        dhash=dhash(data) if hashed else None,
    )
    session.add(media)
    session.flush()
    session.add(MediaBlobRow(media_id=media.id, data=data))
    return post.id


@pytest.fixture
def dupes(api: Api) -> dict[str, int]:
    """A queue with the same picture four ways (one of them unhashed), a different picture and a flagged channel."""
    now = api.clock()
    original = picture(11)
    images = {
        "original": (encode(original, "JPEG", 85), True),
        "low_quality": (encode(original, "JPEG", 30), True),
        "smaller": (encode(resized(original, 0.8), "PNG"), True),
        "unhashed": (encode(resized(original, 1.1), "JPEG", 75), False),
        "other": (encode(picture(12), "JPEG", 85), True),
    }
    with Session(api.engine) as session:
        queue_id = add_queue(session, "dupes")
        channel_post = add_channel(session, "dupes_channel", now, posts=1, with_media=False)[0]
        channel_id = session.get(PostRow, channel_post).channel_id  # type: ignore[union-attr]
        ids: dict[str, int] = {"queue": queue_id}
        for minutes, (name, (data, hashed)) in enumerate(images.items()):
            post_id = _post_with_image(session, channel_id, data, hashed=hashed, posted_at=now)
            ids[name] = add_item(
                session, queue_id, now + timedelta(minutes=60 - minutes), channel_id=channel_id, post_id=post_id
            )
        ids["channel"] = add_item(session, queue_id, now + timedelta(hours=2), channel_id=channel_id, post_id=None)
        session.commit()
    return ids


def _duplicates(api: Api, item_id: int, user: str = "alice") -> list[int]:
    response = api.get(f"/items/{item_id}/duplicates", as_=user)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["basis"] == "media"
    return list(body["item_ids"])


def test_the_same_picture_re_encoded_or_resized_is_grouped_and_another_picture_is_not(
    api: Api, dupes: dict[str, int]
) -> None:
    same = [dupes[name] for name in ("original", "low_quality", "smaller", "unhashed")]
    # Earliest deadline first: the later pictures were given earlier deadlines.
    assert _duplicates(api, dupes["original"]) == [dupes["unhashed"], dupes["smaller"], dupes["low_quality"]]
    for item_id in same:
        assert sorted(_duplicates(api, item_id)) == sorted(set(same) - {item_id})
    assert _duplicates(api, dupes["other"]) == []
    assert _duplicates(api, dupes["channel"]) == []  # a flagged channel has no media of its own


def _hold(api: Api, item_id: int, username: str) -> None:
    """A live five-minute claim on the item for the user."""
    with Session(api.engine) as session:
        user_id = session.scalar(select(UserRow.id).where(UserRow.username == username))
        item = session.get(ItemRow, item_id)
        assert item is not None and user_id is not None
        item.status = "claimed"
        item.claimed_by = user_id
        item.claimed_at = api.clock()
        item.lease_expires_at = api.clock() + timedelta(minutes=5)
        session.commit()


def test_only_items_the_caller_could_decide_now_are_offered(api: Api, dupes: dict[str, int]) -> None:
    _hold(api, dupes["low_quality"], "bob")
    _hold(api, dupes["unhashed"], "alice")
    # Someone else's live claim is never offered; the caller's own is.
    assert _duplicates(api, dupes["original"], "alice") == [dupes["unhashed"], dupes["smaller"]]
    assert _duplicates(api, dupes["original"], "bob") == [dupes["smaller"], dupes["low_quality"]]
    # When a lease runs out the item is waiting again, for everyone.
    api.clock.advance(301)
    assert _duplicates(api, dupes["original"], "bob") == [dupes["unhashed"], dupes["smaller"], dupes["low_quality"]]
    # A decided item is not open any more.
    decide(api, "alice", dupes["smaller"])
    assert _duplicates(api, dupes["original"], "alice") == [dupes["unhashed"], dupes["low_quality"]]


def test_unknown_items_are_404(api: Api) -> None:
    response = api.get("/items/999999/duplicates", as_="alice")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert api.get("/items/999999/duplicates").status_code == 401


def _open_items_with_media(engine: Engine) -> dict[int, set[str]]:
    """Open (pending) item id -> the sha256 of each of its media."""
    with Session(engine) as session:
        rows = session.execute(
            select(ItemRow.id, MediaRow.sha256)
            .join(MediaRow, MediaRow.post_id == ItemRow.post_id)
            .where(ItemRow.status == "pending", MediaRow.kind == "image")
        ).all()
    found: dict[int, set[str]] = {}
    for item_id, digest in rows:
        found.setdefault(item_id, set()).add(digest)
    return found


def _only_true_copies_are_offered(api: Api, also_copied: dict[int, int] | None = None) -> int:
    """Every item offered as a duplicate shares a picture (the same bytes) with the item asked about.

    The demo's reposts are byte-for-byte copies, so the same sha256 is the truth to check the hash against: a
    different picture offered for a batch decision would be decided unseen. also_copied: item -> the item whose
    picture it re-encodes (other bytes, the same picture). Returns the number of (item, offered item) pairs.
    """
    media = _open_items_with_media(api.engine)
    for copy, original in (also_copied or {}).items():
        media[copy] = media[copy] | media[original]
    offered = 0
    for item_id, digests in media.items():
        for other in _duplicates(api, item_id):
            offered += 1
            assert digests & media.get(other, set()), f"item {other} offered with {item_id}: a different picture"
    return offered


def test_on_the_small_demo_only_true_copies_are_grouped(api: Api) -> None:
    """The small demo's pictures share layouts but no two open items share a picture: nothing is grouped, until a
    recompressed, shrunk copy of one of them is posted; then exactly that pair is."""
    with Session(api.engine) as session:
        hashes = session.scalars(select(MediaRow.dhash).where(MediaRow.kind == "image")).all()
    assert hashes and all(value and len(value) == 64 for value in hashes)
    assert _only_true_copies_are_offered(api) == 0

    with Session(api.engine) as session:
        item = session.scalars(
            select(ItemRow).where(ItemRow.status == "pending", ItemRow.post_id.is_not(None)).order_by(ItemRow.id)
        ).first()
        assert item is not None
        media = session.scalars(select(MediaRow).where(MediaRow.post_id == item.post_id)).first()
        blob = session.get(MediaBlobRow, media.id) if media is not None else None
        assert blob is not None
        decoded = QImage.fromData(blob.data)
        copy = encode(resized(decoded, 0.9), "JPEG", 60)
        post_id = _post_with_image(session, item.channel_id, copy, hashed=True, posted_at=api.clock())
        copy_item = add_item(
            session, item.queue_id, item.deadline + timedelta(hours=1), channel_id=item.channel_id, post_id=post_id
        )
        original_id = item.id
        session.commit()
    assert _duplicates(api, original_id) == [copy_item]
    assert _duplicates(api, copy_item) == [original_id]
    assert _only_true_copies_are_offered(api, also_copied={copy_item: original_id}) == 2


def test_a_hash_of_another_length_is_recomputed_not_compared(api: Api, dupes: dict[str, int]) -> None:
    """A database hashed by an earlier draft of 0004 (16 hex digits): those bits mean something else."""
    with Session(api.engine) as session:
        for name in ("smaller", "other"):
            media = session.scalars(
                select(MediaRow).join(ItemRow, ItemRow.post_id == MediaRow.post_id).where(ItemRow.id == dupes[name])
            ).one()
            media.dhash = "0" * 16
        session.commit()
    assert _duplicates(api, dupes["original"]) == [dupes["unhashed"], dupes["smaller"], dupes["low_quality"]]
    assert _duplicates(api, dupes["other"]) == []


@pytest.fixture
def full_demo_api(tmp_path: Path, db_backend: str, request: pytest.FixtureRequest) -> Iterator[Api]:
    """The app on the full demo dataset (~400 open items), seeded for this test alone."""
    clock = MovableClock(datetime(2026, 11, 30, 4, 0, tzinfo=UTC))
    if db_backend == "postgresql":
        url = request.getfixturevalue("postgres_databases").new()
    else:
        url = sqlite_url(tmp_path / "full.db")
    engine = make_engine(url)
    upgrade_to_head(engine)
    seed_demo(engine, scale="full", now=clock())
    create_test_users(engine)
    app = create_app(ServerSettings(db_url=url, password_kdf=TEST_SCRYPT), engine=engine, clock=clock)
    client = make_test_client(app)
    try:
        yield Api(client, app, engine, clock)
    finally:
        client.close()
        engine.dispose()


@pytest.mark.slow
def test_on_the_full_demo_no_different_picture_is_offered_as_a_duplicate(full_demo_api: Api) -> None:
    """The full demo draws many pictures from the same layouts; only its 46 identical reposts are copies."""
    # Both directions of each of the 46 pairs, fewer where an item's copy is decided or on the same item.
    assert _only_true_copies_are_offered(full_demo_api) >= 60
