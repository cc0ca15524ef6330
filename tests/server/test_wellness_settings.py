"""GET/PUT /settings/wellness: the organisation's wellness defaults, validated as the client validates them."""

from __future__ import annotations

from typing import Any

from moderator_app.core.models import WellnessDefaults
from moderator_app.core.wellness import SECONDS_RANGES
from moderator_app.workflow.wellness import WellnessSettings
from tests.server.conftest import Api

CHANGED: dict[str, Any] = {
    "blur_strength": "medium",
    "grayscale": False,
    "mute": True,
    "reveal_timeout_seconds": 20,
    "idle_seconds": 120.5,
    "break_after_revealed_seconds": 1800,
    "break_after_review_seconds": 3600,
}


def test_everyone_signed_in_reads_the_defaults_and_they_match_the_clients(api: Api) -> None:
    for user in ("alice", "lena", "quinn", "ada"):
        response = api.get("/settings/wellness", as_=user)
        assert response.status_code == 200, user
        assert response.json() == WellnessSettings().as_dict()  # the server's defaults are the client's
    assert api.get("/settings/wellness").status_code == 401


def test_an_admin_changes_them_audited_and_the_client_accepts_the_result(api: Api) -> None:
    response = api.request("PUT", "/settings/wellness", as_="ada", json=CHANGED)
    assert response.status_code == 200, response.text
    stored = api.get("/settings/wellness", as_="alice").json()
    assert (
        stored
        == response.json()
        == {
            **CHANGED,
            "reveal_timeout_seconds": 20.0,
            "break_after_revealed_seconds": 1800.0,
            "break_after_review_seconds": 3600.0,
        }
    )
    merged = WellnessSettings.merge(stored)
    assert merged.as_dict() == stored
    entry = api.get("/audit", as_="lena", params={"action": "settings_change"}).json()["entries"][0]
    assert entry["actor"] == "ada"
    assert entry["details"]["setting"] == "wellness_defaults"
    assert entry["details"]["before"] == WellnessDefaults().model_dump(mode="json")
    assert entry["details"]["after"] == stored
    # A field left out takes its built-in default (PUT replaces the whole document).
    reset = api.request("PUT", "/settings/wellness", as_="ada", json={"grayscale": False})
    assert reset.json() == {**WellnessDefaults().model_dump(mode="json"), "grayscale": False}


def test_only_admins_may_change_them(api: Api) -> None:
    for user, role in (("alice", "moderator"), ("lena", "lead"), ("quinn", "qa")):
        response = api.request("PUT", "/settings/wellness", as_=user, json=CHANGED)
        assert response.status_code == 403, user
        error = response.json()["error"]
        assert error["message"] == f"Your role ({role}) does not allow you to change the organisation's settings."
    assert api.get("/settings/wellness", as_="alice").json() == WellnessSettings().as_dict()  # unchanged
    assert api.get("/audit", as_="lena", params={"action": "settings_change"}).json()["entries"] == []


def test_durations_outside_the_clients_ranges_are_refused(api: Api) -> None:
    for field, (low, high) in sorted(SECONDS_RANGES.items()):
        for value in (low - 0.5, high + 1, 0, -10):
            response = api.request("PUT", "/settings/wellness", as_="ada", json={field: value})
            assert response.status_code == 422, (field, value)
            message = response.json()["error"]["message"]
            assert message == f"Invalid {field}: must be a number of seconds from {low:g} to {high:g}."
        for value in (low, high):
            assert api.request("PUT", "/settings/wellness", as_="ada", json={field: value}).status_code == 200


MALFORMED: list[tuple[dict[str, Any], str]] = [
    ({"blur_strength": "extreme"}, "Invalid blur_strength: Input should be 'light', 'medium' or 'strong'."),
    ({"blur_strength": "STRONG"}, "Invalid blur_strength: Input should be 'light', 'medium' or 'strong'."),
    ({"grayscale": "yes"}, "Invalid grayscale: Input should be a valid boolean."),
    ({"mute": 1}, "Invalid mute: Input should be a valid boolean."),
    ({"idle_seconds": "60"}, "Invalid idle_seconds: Input should be a valid number."),
    ({"idle_seconds": True}, "Invalid idle_seconds: Input should be a valid number."),
    ({"panic_key": "F12"}, "Invalid panic_key: Extra inputs are not permitted."),
]


def test_malformed_values_are_refused_with_a_clear_message(api: Api) -> None:
    for body, message in MALFORMED:
        response = api.request("PUT", "/settings/wellness", as_="ada", json=body)
        assert response.status_code == 422, body
        error = response.json()["error"]
        assert (error["code"], error["message"]) == ("invalid_request", message)
    assert api.get("/settings/wellness", as_="ada").json() == WellnessSettings().as_dict()  # nothing was stored
