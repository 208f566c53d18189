"""Typed dependencies so route signatures read as prose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from stations.settings import Settings


def get_session(request: Request) -> Iterator[Session]:
    """A session in one transaction: committed when the request succeeds, rolled back otherwise."""
    with request.app.state.session_factory() as session, session.begin():
        yield session


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
