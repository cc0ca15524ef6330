"""GET /team/items: the open items a lead picks from for a move; the move's filter, a limit, and never any content."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.server.tables import ChannelRow, PostRow
from tests.factories import add_item
from tests.server.conftest import Api
from tests.server.flows import claim, decide, fresh_queue

FIELDS = {"id", "kind", "queue_id", "channel_id", "channel_title", "flagged_at", "deadline", "deadline_state",
          "claimed_by", "assigned_to"}  # fmt: skip


def _items(api: Api, as_: str = "lena", **params: Any) -> dict[str, Any]:
    response = api.get("/team/items", as_=as_, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


def test_lists_the_open_items_of_a_queue_with_their_holder_and_no_content(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "picklist", 5)
    assert claim(api, "alice", queue_id, 1) == ids[:1]
    decide(api, "alice", ids[0])  # decided: no longer open, so not listed
    assert claim(api, "bob", queue_id, 1) == ids[1:2]
    moved = {"item_ids": [ids[2]], "target": {"assign_to": "alice"}}
    assert api.post("/team/reassign", as_="lena", json=moved).status_code == 200

    response = api.get("/team/items", as_="lena", params={"queue_id": queue_id})
    assert response.status_code == 200, response.text
    page = response.json()
    assert _ids(page) == ids[1:] and page["more"] is False  # earliest deadline first by default
    assert all(set(item) == FIELDS for item in page["items"])
    first = page["items"][0]
    with Session(api.engine) as session:
        title = session.scalar(select(ChannelRow.title).where(ChannelRow.id == first["channel_id"]))
        texts = list(session.scalars(select(PostRow.text).where(PostRow.channel_id == first["channel_id"])))
    assert (first["kind"], first["queue_id"], first["channel_title"]) == ("post", queue_id, title)
    assert (first["claimed_by"], first["assigned_to"], first["deadline_state"]) == ("bob", None, "on_time")
    assert page["items"][1]["assigned_to"] == "alice" and page["items"][1]["claimed_by"] is None
    assert texts and not any(text in response.text for text in texts)  # no post text anywhere in the answer
    assert "media" not in response.text

    assert _ids(_items(api, queue_id=queue_id, status="claimed")) == [ids[1]]
    assert _ids(_items(api, queue_id=queue_id, claimed_by="bob")) == [ids[1]]
    assert _ids(_items(api, queue_id=queue_id, status="pending")) == ids[2:]


def test_limit_order_and_deadline_states(api: Api) -> None:
    queue_id, ids = fresh_queue(api, "picklimits", 4)
    now = api.clock()
    with Session(api.engine) as session:
        channel_id = session.scalar(select(ChannelRow.id).where(ChannelRow.handle == "picklimits_channel"))
        assert channel_id is not None
        # Flagged last of all, due first of all (an authority's notice): the two orders disagree about it.
        late_flag = add_item(
            session, queue_id, now + timedelta(minutes=5), channel_id=channel_id, post_id=None, flagged_at=now
        )
        session.commit()

    by_deadline = _items(api, queue_id=queue_id)
    assert _ids(by_deadline) == [late_flag, *ids]
    assert by_deadline["items"][0]["kind"] == "channel"
    assert by_deadline["items"][0]["deadline_state"] == "on_time"
    assert _ids(_items(api, queue_id=queue_id, order="oldest_first")) == [*ids, late_flag]
    two = _items(api, queue_id=queue_id, limit=2)
    assert (_ids(two), two["more"]) == ([late_flag, ids[0]], True)
    five = _items(api, queue_id=queue_id, limit=5)
    assert (len(five["items"]), five["more"]) == (5, False)

    # 19.5 minutes on: ids[0] and ids[1] have less than 12 of their 60 minutes left; late_flag is past its deadline.
    api.clock.advance(19.5 * 60)
    states = [item["deadline_state"] for item in _items(api, queue_id=queue_id)["items"]]
    assert states == ["overdue", "at_risk", "at_risk", "on_time", "on_time"]
    assert _ids(_items(api, queue_id=queue_id, at_risk="true")) == ids[:2]


def test_only_leads_and_admins_may_list_and_bad_parameters_are_explained(api: Api) -> None:
    assert api.get("/team/items").status_code == 401
    refused = api.get("/team/items", as_="alice")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert api.get("/team/items", as_="quinn").status_code == 403
    assert api.get("/team/items", as_="ada").status_code == 200
    assert len(_items(api)["items"]) == min(200, len(_items(api, limit=500)["items"]))  # default limit 200
    for params, words in (
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"queue_id": "spam"}, "queue_id"),
        ({"order": "newest"}, "order"),
        ({"bogus": "1"}, "bogus"),
        ({"claimed_by": "nobody"}, "no active user 'nobody'"),
    ):
        response = api.get("/team/items", as_="lena", params=params)
        assert response.status_code == 422, (params, response.text)
        error = response.json()["error"]
        assert error["code"] == "invalid_request" and words in error["message"], error
