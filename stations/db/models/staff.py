"""Staff models: accounts with a role and region scope, their login sessions, and import jobs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stations.db.models.base import Base, text_enum


class Role(StrEnum):
    """What a staff account may do."""

    ADMIN = "admin"
    EDITOR = "editor"
    INSPECTOR = "inspector"  # records inspections and fixes findings in its region; edits nothing else
    VIEWER = "viewer"


class TokenKind(StrEnum):
    """Where a login token is used: an API bearer token or a staff page cookie."""

    API = "api"
    COOKIE = "cookie"


class StaffUser(Base):
    """A union staff account; editors write only inside `region_prefix` (2, 4 or 6 adcode digits)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(text_enum(Role, "staff_role"))
    region_prefix: Mapped[str] = mapped_column(String(6), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("region_prefix ~ '^([1-9][0-9]([0-9]{2}([0-9]{2})?)?)?$'", name="region_prefix_format"),
        CheckConstraint("role <> 'editor' OR region_prefix <> ''", name="editor_has_region"),
        CheckConstraint("role <> 'inspector' OR region_prefix <> ''", name="inspector_has_region"),
    )


class StaffToken(Base):
    """An opaque login token (only its SHA-256 is stored), revocable at once."""

    __tablename__ = "staff_tokens"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"))
    kind: Mapped[TokenKind] = mapped_column(text_enum(TokenKind, "token_kind"))
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[StaffUser] = relationship()

    __table_args__ = (Index("ix_staff_tokens_user_id", "user_id"),)


JOB_STATUSES = ("checking", "checked", "applying", "applied", "rejected", "failed", "cancelled")
RUNNING_STATUSES = ("checking", "applying")


class ImportJob(Base):
    """One uploaded import file: its content, dry-run report, progress while a worker runs, and the outcome.

    `public_id` is random (ids cannot be guessed); `region` is the creator's write scope ('' = everywhere), and
    only staff whose scope contains it see the job. Progress is written by the worker process, so any app
    process can answer for it; `deadline_at` is when a running job's worker must have ended.
    """

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    region: Mapped[str] = mapped_column(String(6), default="")
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # up to the upload limit: loaded when used
    # the dry run's file checks, for the apply (services/importer/stored.py): loaded when used
    checked: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    crs: Mapped[str | None] = mapped_column(String(8))  # None: the upload stated no coordinate system
    # what the upload chose (sheet, kind), what the check found the apply must know (needs), the error in English
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    actor: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="checking")
    mode: Mapped[str | None] = mapped_column(String(16))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    # ~4 MB for 200,000 rows: loaded when used; the API sends it as stored text (jobs.report_json)
    report: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    progress_stage: Mapped[str | None] = mapped_column(String(16))
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(String(500))
    error_status: Mapped[int | None] = mapped_column(SmallInteger)

    __table_args__ = (
        CheckConstraint(f"status IN {JOB_STATUSES}", name="import_status_known"),
        Index("ix_import_jobs_sha256", "sha256"),
    )


class ReportResolution(Base):
    """How staff handled a worker report: the outcome note, who, when, and whether it confirmed the station."""

    __tablename__ = "report_resolutions"

    report_id: Mapped[int] = mapped_column(ForeignKey("station_reports.id", ondelete="CASCADE"), primary_key=True)
    note: Mapped[str] = mapped_column(String(500))
    handled_by: Mapped[str] = mapped_column(String(64))
    confirms_station: Mapped[bool] = mapped_column(Boolean, default=False)
    handled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
