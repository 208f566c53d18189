"""The official holiday calendar as registry data: schedules per year, their days, and a history of loads.

Revision ID: 0007_holiday_calendar
Revises: 0006_report_resolutions
Create Date: 2026-12-06

The tables start empty: at start-up the app adds every year the installed chinesecalendar knows and the table
lacks (`services.holidays.add_package_years`), and admins load the next year's notice themselves.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_holiday_calendar"
down_revision = "0006_report_resolutions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holiday_schedules",
        sa.Column("year", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("papers", postgresql.ARRAY(sa.String(500)), nullable=False, server_default="{}"),
        sa.Column("loaded_by", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "holiday_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), sa.ForeignKey("holiday_schedules.year", ondelete="CASCADE"), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("loaded_by", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("kind IN ('holiday', 'makeup_workday')", name="ck_holiday_days_kind"),
    )
    op.create_index("ix_holiday_days_year", "holiday_days", ["year"])
    op.create_table(
        "holiday_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("summary", postgresql.JSONB(), nullable=False),
    )
    op.create_index("ix_holiday_changes_year", "holiday_changes", ["year"])


def downgrade() -> None:
    op.drop_table("holiday_changes")
    op.drop_table("holiday_days")
    op.drop_table("holiday_schedules")
