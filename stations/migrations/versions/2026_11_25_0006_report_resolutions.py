"""Report moderation: how staff resolved a worker report (note, who, when, confirmed or not).

Revision ID: 0006_report_resolutions
Revises: 0005_merge
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_report_resolutions"
down_revision = "0005_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_resolutions",
        sa.Column(
            "report_id", sa.BigInteger(), sa.ForeignKey("station_reports.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("handled_by", sa.String(64), nullable=False),
        sa.Column("confirms_station", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("handled_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_resolutions")
