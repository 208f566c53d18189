"""Staff accounts: create, list, change and disable; only admins change roles or regions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stations.db import staff_queries as queries
from stations.db.models import Role, StaffUser
from stations.errors import Conflict, InvalidInput, NotFound
from stations.schemas.staff import StaffUserCreate, StaffUserUpdate
from stations.services.staff import auth


def create(*, session: Session, data: StaffUserCreate, cost: str = "default") -> StaffUser:
    """Insert a new account with an Argon2 hash; Conflict if the username is taken."""
    if queries.user_named(session=session, username=data.username) is not None:
        raise Conflict(f"username {data.username!r} is already taken")
    user = StaffUser(
        username=data.username, display_name=data.display_name, role=data.role,
        region_prefix=data.region_prefix, password_hash=auth.hash_password(data.password, cost=cost),
    )
    session.add(user)
    session.flush()
    return user


def list_all(*, session: Session) -> list[StaffUser]:
    """Every account, by username."""
    return queries.users(session=session)


def get(*, session: Session, user_id: int | None = None, username: str | None = None) -> StaffUser:
    """One account by id or username, or NotFound."""
    user = (session.get(StaffUser, user_id) if user_id is not None
            else queries.user_named(session=session, username=username or ""))
    if user is None:
        raise NotFound(f"no staff account {user_id if user_id is not None else username!r}")
    return user


def update(
    *, session: Session, actor: StaffUser, user: StaffUser, data: StaffUserUpdate, cost: str = "default"
) -> StaffUser:
    """Change an account; admins only, so nobody widens their own role; tokens revoked on a change."""
    auth.require_admin(actor)
    changes = data.model_dump(exclude_unset=True, exclude={"password"})
    for field, value in changes.items():
        setattr(user, field, value)
    if user.role in (Role.EDITOR, Role.INSPECTOR) and not user.region_prefix:
        raise InvalidInput(f"an {user.role.value} needs a region (adcode prefix such as 62, 6201 or 620102)")
    if user.role is not Role.ADMIN and user.id == actor.id:
        raise InvalidInput("an admin cannot demote themself: ask another admin")
    if data.password:
        user.password_hash = auth.hash_password(data.password, cost=cost)
    if changes.keys() & {"role", "region_prefix", "is_active"} or data.password:
        auth.revoke_all(session=session, user_id=user.id)
    session.flush()
    return user


def disable(*, session: Session, username: str) -> StaffUser:
    """Disable an account and end its logins (the row stays for history)."""
    user = get(session=session, username=username)
    user.is_active = False
    auth.revoke_all(session=session, user_id=user.id)
    session.flush()
    return user
