"""Staff fixtures: the cheap Argon2 profile, one account per role, and bearer-token logins."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import Role, StaffUser
from stations.schemas.staff import StaffUserCreate
from stations.services.staff import users
from tests.staff.import_server import _default_app, _small_app, import_database, small_uploads, uploads

__all__ = ["_default_app", "_small_app", "import_database", "small_uploads", "uploads"]  # the live upload apps

PASSWORD = "correct-horse-battery"
ACCOUNTS = {
    "admin": (Role.ADMIN, ""),
    "chengguan": (Role.EDITOR, "620102"),  # a county editor (兰州市城关区)
    "lanzhou": (Role.EDITOR, "6201"),  # a city editor (兰州市)
    "viewer": (Role.VIEWER, ""),
}


@pytest.fixture
def staff(session: Session) -> dict[str, StaffUser]:
    """One account per role and scope, all with PASSWORD."""
    return {
        name: users.create(
            session=session, cost="test",
            data=StaffUserCreate(username=name, password=PASSWORD, role=role, region_prefix=prefix, display_name=name),
        )
        for name, (role, prefix) in ACCOUNTS.items()
    }


@pytest.fixture
def login(client: TestClient, staff: dict[str, StaffUser]) -> Callable[[str], dict[str, str]]:
    """Log in through the OAuth2 password flow; returns the Authorization header."""

    def _login(username: str) -> dict[str, str]:
        reply = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
        assert reply.status_code == 200, reply.text
        return {"Authorization": f"Bearer {reply.json()['access_token']}"}

    return _login
