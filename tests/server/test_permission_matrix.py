"""Every endpoint of the server against every role and no token, generated from the app's OpenAPI document.

Each call uses ids that do not exist and, where a body is required, an empty JSON object. So a caller the role
allows gets an answer about the request itself (200, 204, 404 or 422), while a caller it does not allow gets 403
before the request is even looked at, and a caller without a token gets 401. A new endpoint is not in EXPECTED and
fails the test until someone decides, in this table, who may call it.
"""

from __future__ import annotations

from typing import Any

from moderator_app.core.roles import Role
from tests.conftest import TEST_USERS
from tests.server.conftest import Api

# Who is asked: no token, then one user per role (from the seeded users).
CALLERS: tuple[str | None, ...] = (None, "alice", "lena", "quinn", "ada")
ROLE_OF: dict[str, Role] = dict(TEST_USERS)
assert [ROLE_OF[name] for name in CALLERS if name] == [Role.MODERATOR, Role.LEAD, Role.QA, Role.ADMIN]

MISSING_ID = "999999999"
MISSING_OPERATION = "0" * 32

# operation id -> expected status for: (no token, moderator, lead, qa, admin)
EXPECTED: dict[str, tuple[int, int, int, int, int]] = {
    # open to all
    "health": (200, 200, 200, 200, 200),
    "login": (422, 422, 422, 422, 422),  # empty body: no credentials to check
    # any signed-in user
    "logout": (401, 204, 204, 204, 204),
    "me": (401, 200, 200, 200, 200),
    "get_wellness_defaults": (401, 200, 200, 200, 200),
    # REVIEW: moderator, lead, qa, admin
    "list_queues": (401, 200, 200, 200, 200),
    "get_queue": (401, 404, 404, 404, 404),
    "claim_next": (401, 404, 404, 404, 404),
    "my_claims": (401, 200, 200, 200, 200),
    "renew": (401, 404, 404, 404, 404),
    "release": (401, 404, 404, 404, 404),
    "get_item": (401, 404, 404, 404, 404),
    "get_media": (401, 404, 404, 404, 404),
    "decide": (401, 422, 422, 422, 422),
    "add_note": (401, 422, 422, 422, 422),  # an empty body: no text
    "item_duplicates": (401, 404, 404, 404, 404),
    "report_exposure": (401, 422, 422, 422, 422),
    "list_appeals": (401, 200, 200, 200, 200),
    "claim_appeal": (401, 404, 404, 404, 404),
    "decide_appeal": (401, 422, 422, 422, 422),
    # REVIEW or FILE_APPEALS
    "get_appeal": (401, 404, 404, 404, 404),
    # FILE_APPEALS: admin (the platform's user-facing side)
    "file_appeal": (401, 403, 403, 403, 422),
    # VIEW_AUDIT: lead, qa, admin
    "audit_log": (401, 403, 200, 200, 200),
    "qa_agreement": (401, 403, 200, 200, 200),
    "qa_disputes": (401, 403, 200, 200, 200),
    # REVERT_DECISION: lead, admin
    "revert": (401, 403, 422, 403, 422),
    "resolve_dispute": (401, 403, 422, 403, 422),
    # MANAGE_QUEUES: lead, admin
    "update_queue": (401, 403, 422, 403, 422),
    "put_decision_set": (401, 403, 422, 403, 422),  # an empty body: no options
    "team_moderators": (401, 403, 200, 403, 200),
    "team_queue_stats": (401, 403, 200, 403, 200),
    "team_items": (401, 403, 200, 403, 200),
    "reassign_preview": (401, 403, 422, 403, 422),
    "reassign_items": (401, 403, 422, 403, 422),
    "undo_reassign": (401, 403, 404, 403, 404),
    "release_stale_claims": (401, 403, 422, 403, 422),
    "release_stale_preview": (401, 403, 422, 403, 422),
    "change_queue_settings": (401, 403, 422, 403, 422),
    "change_decision_set": (401, 403, 422, 403, 422),  # an empty body: no options
    "get_sampling": (401, 403, 200, 403, 200),
    "put_sampling": (401, 403, 200, 403, 200),  # an empty body is the default configuration
    # MANAGE_SETTINGS: admin
    "put_wellness_defaults": (401, 403, 403, 403, 200),  # an empty body is the built-in defaults
    # QA_REVIEW: qa, admin
    "qa_claim": (401, 403, 403, 200, 200),
    "qa_review": (401, 403, 403, 422, 422),
    "qa_verdict": (401, 403, 403, 422, 422),
}


def _operations(api: Api) -> list[tuple[str, str, str, dict[str, Any]]]:
    schema = api.app.openapi()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            found.append((operation["operationId"], method.upper(), path, operation))
    return found


def _fill(path: str) -> str:
    out = path.removeprefix("/api/v1")
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        name = out[start + 1 : end]
        out = out[:start] + (MISSING_OPERATION if name == "operation_id" else MISSING_ID) + out[end + 1 :]
    return out


def test_every_endpoint_is_in_the_table(api: Api) -> None:
    operations = {op_id for op_id, *_ in _operations(api)}
    missing = sorted(operations - EXPECTED.keys())
    assert not missing, (
        f"New endpoint(s) {missing} have no row in EXPECTED of tests/server/test_permission_matrix.py: add one "
        "saying what each role (and no token) must get."
    )
    stale = sorted(EXPECTED.keys() - operations)
    assert not stale, f"EXPECTED lists endpoints the server no longer has: {stale}; remove them."


def test_every_endpoint_answers_every_role_as_the_table_says(api: Api) -> None:
    wrong: list[str] = []
    for op_id, method, path, operation in sorted(_operations(api)):
        expected = EXPECTED.get(op_id)
        if expected is None:
            continue  # reported by the test above
        body = operation.get("requestBody", {}).get("required", False)
        for caller, status in zip(CALLERS, expected, strict=True):
            kwargs: dict[str, Any] = {"json": {}} if body else {}
            response = api.request(method, _fill(path), as_=caller, **kwargs)
            if caller is not None and op_id == "logout":
                api.tokens.pop(caller, None)  # that token is revoked now
            if response.status_code != status:
                wrong.append(
                    f"{op_id} ({method} {path}) as {caller or 'no token'}: {response.status_code}, want {status}"
                )
            elif status == 403:
                error = response.json()["error"]
                assert error["code"] == "forbidden", op_id
                assert error["message"].startswith(f"Your role ({ROLE_OF[caller].value}) does not allow you to ")
            elif status == 401:
                assert response.json()["error"]["code"] == "unauthenticated", op_id
    assert not wrong, "\n".join(wrong)
