"""The staff schema family: StaffUserCreate, StaffUserUpdate, StaffUserPublic, StaffUsersPublic, Token."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stations import divisions
from stations.db.models import Role
from stations.regions import PROVINCES
from stations.schemas.types import JsonBody

_PREFIX = re.compile(r"^(\d{2}|\d{4}|\d{6})$")


def check_region_prefix(value: str) -> str:
    """'' or an adcode prefix of 2, 4 or 6 digits starting with a known province, else ValueError.

    A city or province given as a full code (620100, 620000) becomes the prefix it covers (6201, 62).
    """
    value = value.strip()
    if value and (not _PREFIX.match(value) or value[:2] not in PROVINCES):
        raise ValueError(
            f"region {value!r} must be an adcode prefix: a province (62), city (6201) or county (620102)"
        )
    return divisions.region_prefix(value)


class StaffUserBase(JsonBody):
    """Fields an admin sets on an account."""

    model_config = ConfigDict(str_strip_whitespace=True)

    display_name: str = Field(min_length=1, max_length=120)
    role: Role
    region_prefix: str = ""

    @field_validator("region_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        return check_region_prefix(value)

    @model_validator(mode="after")
    def _editor_needs_region(self) -> StaffUserBase:
        if self.role in (Role.EDITOR, Role.INSPECTOR) and not self.region_prefix:
            raise ValueError(f"an {self.role.value} needs a region (adcode prefix such as 62, 6201 or 620102)")
        return self


class StaffUserCreate(StaffUserBase):
    """A new account."""

    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=256)


class StaffUserUpdate(JsonBody):
    """Changes to an account (admin only)."""

    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    role: Role | None = None
    region_prefix: str | None = None
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)

    @field_validator("region_prefix")
    @classmethod
    def _prefix(cls, value: str | None) -> str | None:
        return None if value is None else check_region_prefix(value)


class StaffUserPublic(BaseModel):
    """An account as shown to staff (never the hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: Role
    region_prefix: str
    is_active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


class StaffUsersPublic(BaseModel):
    """A list of accounts."""

    data: list[StaffUserPublic]
    count: int


class Token(BaseModel):
    """The OAuth2 password-flow reply."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
