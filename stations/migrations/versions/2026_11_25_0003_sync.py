"""Provider sync: a commit-ordered change feed, API keys, webhook subscriptions and their delivery log.

Revision ID: 0003_sync
Revises: 0001_registry
Create Date: 2026-11-25

The feed's cursor is `station_changes.id`. An identity value is taken at INSERT, not at COMMIT, so
without help a reader could see id 11 before id 10 commits and skip 10 for ever. A statement-level
BEFORE INSERT trigger takes a transaction-scoped advisory lock before any id is drawn, so change rows
are numbered in the order their transactions commit (PostgreSQL releases locks only after the commit
is visible). Readers never take the lock. See stations/services/feed.py for the trade-off.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_sync"
down_revision = "0001_registry"
branch_labels = None
depends_on = None

FEED_LOCK_KEY = 7_301_002_026  # must equal stations.db.sync_queries.FEED_LOCK_KEY

SERIALISE_FUNCTION = f"""
CREATE FUNCTION station_changes_serialise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({FEED_LOCK_KEY});
    RETURN NULL;
END
$$
"""
SERIALISE_TRIGGER = """
CREATE TRIGGER station_changes_serialise BEFORE INSERT ON station_changes
FOR EACH STATEMENT EXECUTE FUNCTION station_changes_serialise()
"""


def upgrade() -> None:
    op.execute(SERIALISE_FUNCTION)
    op.execute(SERIALISE_TRIGGER)
    op.create_index("ix_station_changes_changed_at", "station_changes", ["changed_at"])
    op.create_index("ix_stations_updated_at", "stations", ["updated_at"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("scopes", postgresql.ARRAY(sa.String(32)), nullable=False, server_default="{}"),
        sa.Column("rate_per_minute", sa.Integer(), nullable=False, server_default="600"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("rate_per_minute > 0", name="rate_positive"),
    )
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("region", sa.String(6)),
        sa.Column("kinds", postgresql.ARRAY(sa.String(32)), nullable=False, server_default="{}"),
        sa.Column("last_change_id", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "subscription_id", sa.BigInteger(),
            sa.ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), nullable=False,
        ),
        sa.Column("change_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_status_code", sa.Integer()),
        sa.Column("last_error", sa.Text()),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("subscription_id", "change_id", name="uq_webhook_delivery_once"),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'dead')", name="delivery_status_known"),
    )
    op.create_index(
        "ix_webhook_deliveries_due", "webhook_deliveries", ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_subscriptions")
    op.drop_table("api_keys")
    op.drop_index("ix_stations_updated_at", table_name="stations")
    op.drop_index("ix_station_changes_changed_at", table_name="station_changes")
    op.execute("DROP TRIGGER station_changes_serialise ON station_changes")
    op.execute("DROP FUNCTION station_changes_serialise()")
