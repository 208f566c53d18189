"""An API-key header for feed and export tests."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stations.services.feeds import apikeys


def header(session: Session, *, rate_per_minute: int = 600) -> dict[str, str]:
    """Create a key and return the header that presents it."""
    raw, _ = apikeys.create(session=session, name="test client", rate_per_minute=rate_per_minute)
    return {"X-API-Key": raw}
