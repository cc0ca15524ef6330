from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.server import security
from moderator_app.server.tables import AuditRow, TokenRow, UserRow
from tests.server.conftest import Api


def _login(api: Api, username: str, password: str):  # type: ignore[no-untyped-def]
    return api.post("/auth/login", json={"username": username, "password": password})


def _audit_actions(api: Api) -> list[tuple[str | None, str]]:
    with Session(api.engine) as session:
        return [(r.actor_name, r.action) for r in session.scalars(select(AuditRow).order_by(AuditRow.id))]


def test_login_returns_a_token_the_user_and_its_expiry(api: Api) -> None:
    response = _login(api, "lena", "pw-lena")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "lena"
    assert body["user"]["roles"] == ["lead"]
    assert len(body["token"]) >= 40
    # The database keeps only the token's hash.
    with Session(api.engine) as session:
        stored = session.scalars(select(TokenRow.token_hash)).all()
    assert security.token_digest(body["token"]) in stored
    assert body["token"] not in stored
    me = api.get("/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json() == body["user"]
    assert ("lena", "login") in _audit_actions(api)


def test_usernames_are_case_insensitive(api: Api) -> None:
    assert _login(api, " Alice ", "pw-alice").status_code == 200


def test_wrong_password_and_unknown_user_are_the_same_401(api: Api) -> None:
    wrong = _login(api, "alice", "nope")
    unknown = _login(api, "nobody", "nope")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "bad_credentials"
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]
    actions = _audit_actions(api)
    # A failure on a real account names it; an unknown name is not written down (it may be a mistyped password).
    assert ("alice", "login_failed") in actions
    assert (None, "login_failed") in actions
    assert not any(actor == "nobody" for actor, _ in actions)


def test_failed_logins_are_rate_limited(make_api: Callable[..., Api]) -> None:
    api = make_api(login_max_failures=3)
    for _ in range(3):
        assert _login(api, "alice", "wrong").status_code == 401
    limited = _login(api, "alice", "pw-alice")  # even the right password waits now
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.json()["error"]["details"]["retry_after_seconds"] > 0
    # Another account from the same address is not locked out by alice's failures.
    assert _login(api, "bob", "pw-bob").status_code == 200


def test_failures_from_one_address_are_limited_across_usernames(make_api: Callable[..., Api]) -> None:
    api = make_api(login_max_failures=1)  # the address allows five times the per-user limit
    for name in ("u1", "u2", "u3", "u4", "u5"):
        assert _login(api, name, "wrong").status_code == 401
    assert _login(api, "bob", "pw-bob").status_code == 429


def test_logout_revokes_the_token(api: Api) -> None:
    token = api.token("alice")
    headers = {"Authorization": f"Bearer {token}"}
    assert api.post("/auth/logout", headers=headers).status_code == 204
    after = api.get("/auth/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "unauthenticated"
    assert ("alice", "logout") in _audit_actions(api)


def test_an_expired_token_is_refused_as_expired(make_api: Callable[..., Api]) -> None:
    api = make_api(token_ttl_seconds=60)
    token = api.token("alice")
    assert api.get("/auth/me", as_="alice").status_code == 200
    api.clock.advance(61)
    response = api.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_requests_without_a_valid_token_are_401(api: Api) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YWxpY2U6cHc="}):
        response = api.get("/queues", headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["error"]["code"] == "unauthenticated"


def test_a_deactivated_user_can_neither_sign_in_nor_use_a_token(api: Api) -> None:
    from moderator_app.server.users import set_active

    token = api.token("bob")
    set_active(api.engine, "bob", False)
    assert api.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert _login(api, "bob", "pw-bob").status_code == 401


def test_passwords_are_stored_as_self_describing_scrypt_hashes(api: Api) -> None:
    with Session(api.engine) as session:
        stored = session.scalar(select(UserRow.password_hash).where(UserRow.username == "alice"))
    assert stored is not None
    scheme, n, r, p, _salt, _key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(security.TEST_SCRYPT.n), "8", "1")
    assert "pw-alice" not in stored
    assert security.verify_password("pw-alice", stored)
    assert not security.verify_password("pw-alicf", stored)


def test_password_hashing_defaults_to_a_real_cost_and_random_salts() -> None:
    assert security.DEFAULT_SCRYPT.n >= 2**14
    cheap = security.TEST_SCRYPT
    first, second = security.hash_password("same", cheap), security.hash_password("same", cheap)
    assert first != second  # random salt
    assert security.verify_password("same", first) and security.verify_password("same", second)
    for broken in ("", "scrypt$x", "bcrypt$1$2$3$4$5", "scrypt$3$8$1$AAAA$AAAA", first + "x"):
        assert not security.verify_password("same", broken)
