"""Clerks' spreadsheets: a station's opening date (建成时间), and what an import upload chose and its check found.

`stations.opened_on` is a nullable date. `import_jobs.options` (JSON, default {}) keeps the sheet and kind the
upload chose, whether the check asks for the coordinate system before apply, and a failure's English message.
Both are additions old code ignores, so a rolling deploy is safe.

Revision ID: 0015_clerk_files
Revises: 0014_trust
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0015_clerk_files"
down_revision = "0014_trust"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stations", sa.Column("opened_on", sa.Date()))
    op.add_column("import_jobs", sa.Column("options", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")))


def downgrade() -> None:
    op.drop_column("import_jobs", "options")
    op.drop_column("stations", "opened_on")
