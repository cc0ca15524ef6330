"""Team figures for leads: moderators' workload and pace, exposure reports, queue flows and series."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from tests.server.conftest import Api
from tests.server.flows import claim, decide, empty_queue, fresh_queue


def _away_from_midnight(api: Api) -> None:
    """ "Today" is the UTC day: keep a test's few minutes inside one day."""
    now = api.clock()
    if now.hour == 23 and now.minute >= 45:
        api.clock.advance(20 * 60)


def _by_username(api: Api) -> dict[str, Any]:
    response = api.get("/team/moderators", as_="lena")
    assert response.status_code == 200, response.text
    return {row["username"]: row for row in response.json()}


def test_moderators_show_claims_pace_handling_time_and_exposure(api: Api) -> None:
    _away_from_midnight(api)
    queue_id, ids = fresh_queue(api, "paced", 6)
    assert claim(api, "alice", queue_id, 3) == ids[:3]
    api.clock.advance(40)
    decide(api, "alice", ids[0])
    api.clock.advance(20)
    decide(api, "alice", ids[1], action="no_violation", reason=None)
    assert claim(api, "bob", queue_id, 1) == [ids[3]]
    api.clock.advance(30)
    decide(api, "bob", ids[3])
    api.post("/team/reassign", as_="lena", json={"item_ids": [ids[5]], "target": {"assign_to": "bob"}})
    for seconds in (12.5, 12.5):
        answer = api.post("/me/exposure", as_="alice", json={"item_id": ids[0], "seconds": seconds})
        assert answer.status_code == 200, answer.text
    assert answer.json() == {"seconds_today": 25.0}

    rows = _by_username(api)
    alice, bob = rows["alice"], rows["bob"]
    assert (alice["active_claims"], alice["decisions_last_hour"], alice["decisions_today"]) == (1, 2, 2)
    assert alice["median_handling_seconds"] == 50.0  # 40 s and 60 s from the claim
    assert alice["exposure_seconds_today"] == 25.0
    assert alice["roles"] == ["moderator"]
    assert (bob["active_claims"], bob["decisions_today"], bob["median_handling_seconds"]) == (0, 1, 30.0)
    assert bob["assigned_pending"] == 1
    assert bob["exposure_seconds_today"] is None  # nothing reported, which is not the same as zero
    assert alice["decisions_per_hour_today"] > 0
    assert {"lena", "quinn", "ada"} <= rows.keys()  # everyone who may review


def test_exposure_reports_are_checked(api: Api) -> None:
    for body in ({"seconds": 0}, {"seconds": -3}, {"seconds": 7200}, {"item_id": 1}):
        assert api.post("/me/exposure", as_="alice", json=body).status_code == 422, body


def _stats_of(api: Api, queue_id: int, **params: Any) -> dict[str, Any]:
    response = api.get("/team/queues/stats", as_="lena", params=params)
    assert response.status_code == 200, response.text
    return next(q for q in response.json()["queues"] if q["queue_id"] == queue_id)


def test_queue_stats_count_flows_and_rebuild_the_backlog(api: Api) -> None:
    source, ids = fresh_queue(api, "flowing", 5)  # flagged 30 to 26 minutes ago
    target = empty_queue(api, "relief")
    claim(api, "alice", source, 2)
    decide(api, "alice", ids[0])
    decide(api, "alice", ids[1])
    moved = api.post("/team/reassign", as_="lena", json={"item_ids": [ids[4]], "target": {"queue_id": target}})
    assert moved.status_code == 200, moved.text

    stats = _stats_of(api, source, hours=1, bucket_minutes=5)
    assert (stats["pending"], stats["claimed"], stats["overdue"]) == (2, 0, 0)
    assert (stats["inflow_last_hour"], stats["outflow_last_hour"]) == (5, 3)
    assert stats["oldest_flagged_at"] is not None and stats["oldest_deadline"] is not None
    series = stats["series"]
    assert len(series) == 12
    assert sum(b["inflow"] for b in series) == 5 and sum(b["outflow"] for b in series) == 3
    assert sum(b["decided"] for b in series) == 2
    assert series[0]["backlog"] == 0 and series[-1]["backlog"] == 2
    assert all(a["end"] == b["start"] for a, b in pairwise(series))
    relief = _stats_of(api, target, hours=1, bucket_minutes=5)
    assert (relief["pending"], relief["inflow_last_hour"], relief["outflow_last_hour"]) == (1, 1, 0)


def test_queue_stats_answer_304_while_nothing_changed(api: Api) -> None:
    queue_id, _ids = fresh_queue(api, "steady", 2)
    first = api.get("/team/queues/stats", as_="lena")
    etag = first.headers["ETag"]
    assert api.get("/team/queues/stats", as_="lena", headers={"If-None-Match": etag}).status_code == 304
    claim(api, "alice", queue_id)
    assert api.get("/team/queues/stats", as_="lena", headers={"If-None-Match": etag}).status_code == 200


def test_queue_stats_refuse_odd_windows(api: Api) -> None:
    assert api.get("/team/queues/stats", as_="lena", params={"hours": 0}).status_code == 422
    assert api.get("/team/queues/stats", as_="lena", params={"bucket_minutes": 1}).status_code == 422


def test_team_endpoints_explain_a_refusal(api: Api) -> None:
    answer = api.get("/team/moderators", as_="alice")
    assert answer.status_code == 403
    assert answer.json()["error"] == {
        "code": "forbidden",
        "message": "Your role (moderator) does not allow you to manage queues.",
        "details": {"permission": "manage_queues"},
    }
