"""Accounts, login, lockout, tokens and the admin-only role changes."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import StaffUser
from stations.services.staff import auth, users
from tests.staff.conftest import PASSWORD

Login = Callable[[str], dict[str, str]]


def test_passwords_are_argon2_hashed(staff: dict[str, StaffUser]) -> None:
    stored = staff["admin"].password_hash
    assert stored.startswith("$argon2id$")
    assert auth.verify_password(stored, PASSWORD, cost="test")
    assert not auth.verify_password(stored, "wrong", cost="test")


def test_default_cost_is_the_rfc9106_profile() -> None:
    hasher = auth.password_hasher("default")
    assert hasher.memory_cost == 65536 and hasher.time_cost == 3


def test_login_returns_a_short_lived_bearer_token(client: TestClient, login: Login) -> None:
    me = client.get("/api/v1/auth/me", headers=login("chengguan"))
    assert me.status_code == 200
    assert me.json()["role"] == "editor" and me.json()["region_prefix"] == "620102"
    assert "password_hash" not in me.json()


def test_bad_password_is_401_with_one_message(client: TestClient, staff: dict[str, StaffUser]) -> None:
    for name in ("admin", "nobody"):
        reply = client.post("/api/v1/auth/token", data={"username": name, "password": "nope"})
        assert reply.status_code == 401
        assert reply.json()["detail"] == "wrong username or password"
        assert reply.headers["www-authenticate"] == "Bearer"


def test_repeated_failures_lock_the_account(client: TestClient, staff: dict[str, StaffUser]) -> None:
    for _ in range(5):
        assert client.post("/api/v1/auth/token", data={"username": "viewer", "password": "x"}).status_code == 401
    locked = client.post("/api/v1/auth/token", data={"username": "viewer", "password": PASSWORD})
    assert locked.status_code == 429
    assert "locked" in locked.json()["detail"]


def test_no_token_is_401_and_a_garbage_token_too(client: TestClient, staff: dict[str, StaffUser]) -> None:
    assert client.get("/api/v1/auth/me").status_code == 401
    assert client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_logout_and_disable_end_tokens(client: TestClient, session: Session, login: Login) -> None:
    headers = login("viewer")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    headers = login("lanzhou")
    users.disable(session=session, username="lanzhou")
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_an_editor_cannot_widen_their_own_role(client: TestClient, login: Login, staff: dict[str, StaffUser]) -> None:
    me = staff["chengguan"]
    headers = login("chengguan")
    for change in ({"role": "admin"}, {"region_prefix": "62"}, {"region_prefix": ""}):
        reply = client.patch(f"/api/v1/staff/users/{me.id}", json=change, headers=headers)
        assert reply.status_code == 403, change
    assert client.get("/api/v1/staff/users", headers=headers).status_code == 403


def test_an_admin_manages_accounts(client: TestClient, login: Login, staff: dict[str, StaffUser]) -> None:
    headers = login("admin")
    created = client.post(
        "/api/v1/staff/users", headers=headers,
        json={"username": "qilihe", "password": "long-enough-pw", "role": "editor", "region_prefix": "620103",
              "display_name": "七里河区总工会"},
    )
    assert created.status_code == 201, created.text
    bad = client.post(
        "/api/v1/staff/users", headers=headers,
        json={"username": "x1", "password": "long-enough-pw", "role": "editor", "display_name": "x"},
    )
    assert bad.status_code == 422 and "region" in bad.json()["detail"]
    moved = client.patch(f"/api/v1/staff/users/{created.json()['id']}", json={"region_prefix": "6201"}, headers=headers)
    assert moved.json()["region_prefix"] == "6201"
    assert client.get("/api/v1/staff/users", headers=headers).json()["count"] == 5
