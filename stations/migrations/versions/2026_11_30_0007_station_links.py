"""Station links: what each station's navigation links need that costs to compute, once per station version.

Revision ID: 0007_station_links
Revises: 0006_report_resolutions
Create Date: 2026-11-30

Created empty: lookups compute the parts of stations without current ones, and `stations serve` stores the missing
ones at start (`services/stored_links.refresh_missing`).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_station_links"
down_revision = "0006_report_resolutions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_links",
        sa.Column("station_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("layout", sa.SmallInteger(), nullable=False),
        sa.Column("parts", postgresql.ARRAY(sa.Text()), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("station_links")
