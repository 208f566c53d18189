"""Import jobs: a random public id, the creator's region, progress and cancel written by the worker process.

Existing jobs get a random public id and region '' (admins only see them: their creator's scope was not kept).

Revision ID: 0008_import_jobs_owned
Revises: 0007_holiday_calendar
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_import_jobs_owned"
down_revision = "0007_holiday_calendar"
branch_labels = None
depends_on = None

NEW = "('checking', 'checked', 'applying', 'applied', 'rejected', 'failed', 'cancelled')"
OLD = "('checked', 'applied', 'rejected')"


def upgrade() -> None:
    op.add_column("import_jobs", sa.Column("public_id", sa.String(16)))
    op.execute(
        "UPDATE import_jobs SET public_id = 'I' || upper(substr(md5(gen_random_uuid()::text), 1, 15))"
    )
    op.alter_column("import_jobs", "public_id", nullable=False)
    op.create_unique_constraint("uq_import_jobs_public_id", "import_jobs", ["public_id"])
    op.add_column("import_jobs", sa.Column("region", sa.String(6), nullable=False, server_default=""))
    op.add_column("import_jobs", sa.Column("progress_stage", sa.String(16)))
    op.add_column("import_jobs", sa.Column("progress_done", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("import_jobs", sa.Column("progress_total", sa.Integer(), nullable=False, server_default="0"))
    op.add_column(
        "import_jobs", sa.Column("cancel_requested", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("import_jobs", sa.Column("deadline_at", sa.DateTime(timezone=True)))
    op.add_column("import_jobs", sa.Column("error", sa.String(500)))
    op.add_column("import_jobs", sa.Column("error_status", sa.SmallInteger()))
    op.drop_constraint("import_status_known", "import_jobs", type_="check")
    op.create_check_constraint("import_status_known", "import_jobs", f"status IN {NEW}")
    op.alter_column("import_jobs", "status", server_default="checking")


def downgrade() -> None:
    op.execute("DELETE FROM import_jobs WHERE status NOT IN ('checked', 'applied', 'rejected')")
    op.drop_constraint("import_status_known", "import_jobs", type_="check")
    op.create_check_constraint("import_status_known", "import_jobs", f"status IN {OLD}")
    op.alter_column("import_jobs", "status", server_default="checked")
    for column in ("error_status", "error", "deadline_at", "cancel_requested", "progress_total", "progress_done",
                   "progress_stage", "region"):
        op.drop_column("import_jobs", column)
    op.drop_constraint("uq_import_jobs_public_id", "import_jobs", type_="unique")
    op.drop_column("import_jobs", "public_id")
