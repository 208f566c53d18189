"""Staff bearer headers for sync API tests, issued directly (no password round trip)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stations.db.models import Role, TokenKind
from stations.schemas.staff import StaffUserCreate
from stations.services.staff import auth, users
from stations.settings import Settings


def bearer(session: Session, *, username: str, role: Role, region: str = "") -> dict[str, str]:
    """Create an account with this role and region and return its Authorization header."""
    user = users.create(
        session=session, cost="test",
        data=StaffUserCreate(username=username, password="correct-horse-battery", role=role,
                             region_prefix=region, display_name=username),
    )
    raw, _ = auth.issue_token(session=session, settings=Settings(), user=user, kind=TokenKind.API)
    return {"Authorization": f"Bearer {raw}"}
