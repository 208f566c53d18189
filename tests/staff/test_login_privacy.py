"""Login tells nobody which usernames exist: the same reply (and the same work) for unknown names, wrong
passwords, disabled accounts and locked names, the lockout included."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from stations.db.models import LoginThrottle, StaffUser
from stations.services.staff import auth, users
from tests.staff.conftest import PASSWORD

TOKEN = "/api/v1/auth/token"


def _try(client: TestClient, username: str, password: str = "wrong-password") -> Response:
    return client.post(TOKEN, data={"username": username, "password": password})


def _shape(reply: Response) -> tuple[int, Any, dict[str, str]]:
    """What a client can compare: status, body and headers (minus the length, which follows the body)."""
    headers = {k: v for k, v in reply.headers.items() if k not in ("content-length", "date")}
    return reply.status_code, reply.json(), headers


def test_unknown_names_disabled_accounts_and_wrong_passwords_get_one_reply(
    client: TestClient, session: Session, staff: dict[str, StaffUser]
) -> None:
    users.disable(session=session, username="lanzhou")
    replies = [_shape(_try(client, name)) for name in ("admin", "nobody-here", "lanzhou")]
    replies.append(_shape(_try(client, "lanzhou", PASSWORD)))  # disabled, with its right password
    assert replies[0][0] == 401 and replies[0][1] == {"detail": "wrong username or password"}
    assert all(reply == replies[0] for reply in replies), replies


def test_an_unknown_name_locks_like_a_real_one(client: TestClient, staff: dict[str, StaffUser]) -> None:
    """Only real accounts could be locked before, so a 429 proved the name existed."""
    for _ in range(5):
        assert _try(client, "viewer").status_code == _try(client, "ghost").status_code == 401
    real, ghost = _try(client, "viewer", PASSWORD), _try(client, "ghost", PASSWORD)
    assert real.status_code == 429 and _shape(real) == _shape(ghost)
    assert "try again in 15 minutes" in real.json()["detail"] and 0 < int(real.headers["retry-after"]) <= 900


def test_the_lockout_counts_per_name_across_requests_and_a_good_login_clears_it(
    client: TestClient, session: Session, staff: dict[str, StaffUser]
) -> None:
    for _ in range(4):
        _try(client, "viewer")
    assert session.get_one(LoginThrottle, "viewer").failed_logins == 4
    assert _try(client, "viewer", PASSWORD).status_code == 200
    assert session.get(LoginThrottle, "viewer") is None
    assert _try(client, "viewer").status_code == 401  # counting starts again


@pytest.mark.parametrize("case", ["unknown", "disabled", "wrong", "locked", "right"])
def test_every_path_verifies_exactly_one_password_hash(
    client: TestClient, session: Session, staff: dict[str, StaffUser], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """The same work on every path, so the time taken does not tell the paths apart (counted, not timed)."""
    if case == "disabled":
        users.disable(session=session, username="viewer")
    if case == "locked":
        for _ in range(5):
            _try(client, "viewer")
    calls: list[str] = []
    real = auth.verify_password

    def counted(stored: str, password: str, *, cost: str = "default") -> bool:
        calls.append(stored)
        return real(stored, password, cost=cost)

    monkeypatch.setattr(auth, "verify_password", counted)
    username = "nobody-here" if case == "unknown" else "viewer"
    _try(client, username, PASSWORD if case in ("right", "locked", "disabled") else "wrong-password")
    assert len(calls) == 1 and calls[0].startswith("$argon2id$"), calls


def test_the_staff_login_page_says_the_same_for_unknown_and_known_names(
    client: TestClient, staff: dict[str, StaffUser]
) -> None:
    pages = [client.post("/staff/login", data={"username": name, "password": "wrong-password"})
             for name in ("admin", "nobody-here")]
    assert [p.status_code for p in pages] == [401, 401]
    assert all("用户名或密码错误" in p.text for p in pages)
