"""Worker reports from the map: problems and "I was here" confirmations, for staff to handle.

Revision ID: 0004_reports
Revises: 0001_registry
Create Date: 2026-11-25

The reporter's location column stays NULL unless the worker ticked "send my location"; no IP address
or other client identifier is stored (the rate limiter keeps those in memory only).
"""

import geoalchemy2
import sqlalchemy as sa
from alembic import op

revision = "0004_reports"
down_revision = "0001_registry"
branch_labels = None
depends_on = None

KINDS = ("closed", "no_water", "broken_ac", "wrong_place", "sign_missing", "other", "was_here")
STATUSES = ("received", "in_progress", "resolved", "dismissed")


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "station_reports",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("public_id", sa.String(16), nullable=False, unique=True),
        sa.Column("station_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", _enum("report_kind", KINDS), nullable=False),
        sa.Column("text", sa.String(500)),
        sa.Column("location", geoalchemy2.Geometry("POINT", srid=4326, spatial_index=False)),
        sa.Column("status", _enum("report_status", STATUSES), nullable=False, server_default="received"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_station_reports_station_created", "station_reports", ["station_id", "created_at"])
    op.create_index("ix_station_reports_status_created", "station_reports", ["status", "created_at"])


def downgrade() -> None:
    op.drop_table("station_reports")
