"""Weather alerts (issue 24): alerts per region, stations' declared alert modes, and alert events in the feed.

`alert_changes` numbers its rows from the same sequence as `station_changes` and its inserts take the same
advisory lock (the `station_changes_serialise` trigger function of 0003_sync), so one cursor orders both tables
by commit: the feed can merge them without ever skipping or repeating an entry.

The three tables are new, and `webhook_subscriptions.alerts` is added with a constant default (no rewrite, a
brief lock): safe in a rolling deploy.

Revision ID: 0019_weather_alerts
Revises: 0016_rate_limits
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0019_weather_alerts"
down_revision = "0016_rate_limits"
branch_labels = None
depends_on = None

TYPES = "('heat', 'cold', 'rainstorm', 'typhoon')"
LEVELS = "('blue', 'yellow', 'orange', 'red')"


def upgrade() -> None:
    op.create_table(
        "weather_alerts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("identifier", sa.String(200), nullable=False, unique=True),
        sa.Column("sender", sa.String(200), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("alert_type", sa.String(16), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("areas", ARRAY(sa.String(6)), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("guidance", sa.Text()),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(f"alert_type IN {TYPES}", name="alert_type_known"),
        sa.CheckConstraint(f"level IN {LEVELS}", name="alert_level_known"),
        sa.CheckConstraint("source IN ('staff', 'cap')", name="alert_source_known"),
        sa.CheckConstraint("ends_at > starts_at", name="alert_ends_after_start"),
        sa.CheckConstraint("cardinality(areas) > 0", name="alert_has_area"),
    )
    op.create_index("ix_weather_alerts_ends_at", "weather_alerts", ["ends_at"])
    op.create_table(
        "station_alert_modes",
        sa.Column("station_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("alert_type", sa.String(16), primary_key=True),
        sa.Column("min_level", sa.String(8), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("offers", ARRAY(sa.String(32)), nullable=False, server_default="{}"),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(f"alert_type IN {TYPES}", name="mode_type_known"),
        sa.CheckConstraint(f"min_level IN {LEVELS}", name="mode_level_known"),
    )
    op.create_table(
        "alert_changes",
        sa.Column("id", sa.BigInteger(), primary_key=True,
                  server_default=sa.text("nextval(pg_get_serial_sequence('station_changes', 'id'))")),
        sa.Column("alert_id", sa.BigInteger(), sa.ForeignKey("weather_alerts.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("after", JSONB(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("action IN ('issue', 'update', 'cancel')", name="alert_action_known"),
    )
    # Alert events go to the subscribers that ask for them (existing ones do not: their receivers expect stations).
    op.add_column("webhook_subscriptions", sa.Column("alerts", sa.Boolean(), nullable=False,
                                                     server_default=sa.false()))
    op.execute("CREATE TRIGGER alert_changes_serialise BEFORE INSERT ON alert_changes "
               "FOR EACH STATEMENT EXECUTE FUNCTION station_changes_serialise()")


def downgrade() -> None:
    op.drop_column("webhook_subscriptions", "alerts")
    op.drop_table("alert_changes")
    op.drop_table("station_alert_modes")
    op.drop_table("weather_alerts")
