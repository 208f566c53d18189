"""Demand for stations: lookups aggregated by grid cell and hour of the week, and demand points staff import.

`demand_cells` holds counts only: a cell of about 500 m (its row and column on `stations.geo.grid`, its centre and
the county it falls in), the ISO week and the hour of the week, how many lookups, how many found an open station
within 1 km among their results and the sum of the distances to the nearest open one. No coordinate a rider sent,
no address, no identifier. Rows older than the retention limit are deleted by the app (`demand_retention_days`).

Both tables are new, so nothing that runs today takes a lock on them: safe in a rolling deploy.

Revision ID: 0021_demand
Revises: 0020_tap_keys
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION

revision = "0021_demand"
down_revision = "0020_tap_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demand_cells",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("cell_row", sa.Integer(), nullable=False),
        sa.Column("cell_col", sa.Integer(), nullable=False),
        sa.Column("hour_of_week", sa.SmallInteger(), sa.CheckConstraint("hour_of_week BETWEEN 0 AND 167"),
                  nullable=False),
        sa.Column("adcode", sa.String(6), nullable=True),
        sa.Column("geom", Geometry("POINT", srid=4326, spatial_index=False), nullable=False),
        sa.Column("lookups", sa.Integer(), nullable=False),
        sa.Column("served", sa.Integer(), nullable=False),
        sa.Column("open_m_sum", DOUBLE_PRECISION(), nullable=False),
        sa.Column("open_n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("week", "cell_row", "cell_col", "hour_of_week"),
    )
    op.create_index("demand_cells_adcode", "demand_cells", ["adcode"],
                    postgresql_ops={"adcode": "varchar_pattern_ops"})
    # adcode LIKE '62%' (a region's prefix) uses these indexes whatever the database's collation
    op.create_table(
        "demand_points",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(50), nullable=False, server_default=""),
        sa.Column("weight", DOUBLE_PRECISION(), sa.CheckConstraint("weight > 0"), nullable=False),
        sa.Column("adcode", sa.String(6), nullable=True),
        sa.Column("geom", Geometry("POINT", srid=4326, spatial_index=False), nullable=False),
        sa.Column("imported_by", sa.String(100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )
    op.create_index("demand_points_adcode", "demand_points", ["adcode"],
                    postgresql_ops={"adcode": "varchar_pattern_ops"})


def downgrade() -> None:
    op.drop_table("demand_points")
    op.drop_table("demand_cells")
