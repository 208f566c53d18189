"""A key per tap on reports and check-ins, so a phone that sends a queued tap again is answered, not counted twice.

The map draws a random key for every tap (report, "I was here", check-in) and keeps it with the tap in its offline
queue; a resend carries the same key, and the unique index refuses a second row. The key is random per tap: it names
no device and no rider, and says nothing two taps share.

Nullable columns with no default (old code writes NULL, which the unique index lets through): instant to add. The
unique indexes take a SHARE lock on the two tables while they build (writes wait; a second for a million rows), under
the migration's lock_timeout.

Revision ID: 0020_tap_keys
Revises: 0019_weather_alerts
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_tap_keys"
down_revision = "0019_weather_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("station_reports", "station_checkins"):
        op.add_column(table, sa.Column("tap_key", sa.String(64), nullable=True))
        op.create_index(f"uq_{table}_tap_key", table, ["tap_key"], unique=True)


def downgrade() -> None:
    for table in ("station_reports", "station_checkins"):
        op.drop_index(f"uq_{table}_tap_key", table_name=table)
        op.drop_column(table, "tap_key")
