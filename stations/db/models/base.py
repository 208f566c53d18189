"""The declarative base and the text-backed enum column type shared by all models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Enum
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of all models."""


def text_enum(cls: type[Any], name: str) -> Enum:
    """A text column restricted by a CHECK to the enum's values (easy to extend in migrations)."""
    return Enum(
        cls, name=name, native_enum=False, create_constraint=True, length=32,
        values_callable=lambda members: [m.value for m in members],
    )
