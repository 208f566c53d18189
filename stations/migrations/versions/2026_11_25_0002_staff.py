"""Staff: accounts with role and region scope, login tokens, import jobs.

Revision ID: 0002_staff
Revises: 0001_registry
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_staff"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("role", _enum("staff_role", ("admin", "editor", "viewer")), nullable=False),
        sa.Column("region_prefix", sa.String(6), nullable=False, server_default=""),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("lockouts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("last_login_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("region_prefix ~ '^([1-9][0-9]([0-9]{2}([0-9]{2})?)?)?$'", name="region_prefix_format"),
        sa.CheckConstraint("role <> 'editor' OR region_prefix <> ''", name="editor_has_region"),
    )
    op.create_table(
        "staff_tokens",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("token_hash", sa.LargeBinary(32), nullable=False, unique=True),
        sa.Column(
            "user_id", sa.BigInteger(), sa.ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", _enum("token_kind", ("api", "cookie")), nullable=False),
        sa.Column("csrf_token", sa.String(64)),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_staff_tokens_user_id", "staff_tokens", ["user_id"])
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("crs", sa.String(8)),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="checked"),
        sa.Column("mode", sa.String(16)),
        sa.Column("total_rows", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("report", postgresql.JSONB(), nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("status IN ('checked', 'applied', 'rejected')", name="import_status_known"),
    )
    op.create_index("ix_import_jobs_sha256", "import_jobs", ["sha256"])


def downgrade() -> None:
    op.drop_table("import_jobs")
    op.drop_table("staff_tokens")
    op.drop_table("staff_users")
