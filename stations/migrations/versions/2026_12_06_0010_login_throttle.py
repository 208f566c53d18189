"""Login throttle per username (known or not), and city/province staff regions stored as prefixes.

A login's failures and lockout are kept per username in `login_throttle`, for names with no account too, so
the lockout reply no longer tells which usernames exist. A region stored as a full code (620100, 620000) is
rewritten as the prefix it covers (6201, 62), which every region filter expects.

Revision ID: 0010_login_throttle
Revises: 0008_import_jobs_owned
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_login_throttle"
down_revision = "0008_import_jobs_owned"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("lockouts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_login_throttle_updated_at", "login_throttle", ["updated_at"])
    op.execute("UPDATE staff_users SET region_prefix = left(region_prefix, 2) WHERE region_prefix ~ '^[0-9]{2}0000$'")
    op.execute("UPDATE staff_users SET region_prefix = left(region_prefix, 4) WHERE region_prefix ~ '^[0-9]{4}00$'")


def downgrade() -> None:
    op.drop_index("ix_login_throttle_updated_at", table_name="login_throttle")
    op.drop_table("login_throttle")
