"""Rate limits shared by every app process: token buckets in PostgreSQL, keyed by a salted digest.

`rate_limits` is UNLOGGED: a bucket is worth less than the WAL it would write on every request, a crash or a
failover only refills the buckets, and replicas never need it. No index but the key, so updates stay HOT. The key is
sha256(secret || what is limited): a worker's address never lands in a table, and the secret is drawn here, once.

Both tables are new, so nothing that runs today takes a lock on them: safe in a rolling deploy.

Revision ID: 0016_rate_limits
Revises: 0015_clerk_files
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import BYTEA, DOUBLE_PRECISION

revision = "0016_rate_limits"
down_revision = "0015_clerk_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("key", BYTEA(), primary_key=True),
        sa.Column("tokens", DOUBLE_PRECISION(), nullable=False),
        sa.Column("taken", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        prefixes=["UNLOGGED"],
        postgresql_with={"fillfactor": 70},
    )
    op.create_table(
        "rate_limit_secret",
        sa.Column("id", sa.SmallInteger(), sa.CheckConstraint("id = 1"), primary_key=True),
        sa.Column("secret", BYTEA(), nullable=False),
    )
    op.execute("INSERT INTO rate_limit_secret (id, secret) "
               "VALUES (1, uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()))")


def downgrade() -> None:
    op.drop_table("rate_limit_secret")
    op.drop_table("rate_limits")
