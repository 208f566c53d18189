"""Station renders: each station's lookup JSON that depends on the station alone, rendered once per version.

Revision ID: 0007_station_renders
Revises: 0006_report_resolutions
Create Date: 2026-11-30

Created empty: lookups shape stations without a current render in Python, and `stations serve` renders the missing
ones at start (`services/renders.refresh_missing`).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_station_renders"
down_revision = "0006_report_resolutions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_renders",
        sa.Column("station_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("layout", sa.SmallInteger(), nullable=False),
        sa.Column("parts", postgresql.ARRAY(sa.LargeBinary()), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("station_renders")
