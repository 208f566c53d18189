"""Registry: PostGIS, sites, stations, provider listings, spatial indexes.

Revision ID: 0001_registry
Revises:
Create Date: 2026-11-25
"""

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_registry"
down_revision = None
branch_labels = None
depends_on = None

KINDS = ("outdoor_station", "mothers_room", "reading_room")
STATUSES = ("active", "temporarily_closed", "closed")
CRSES = ("wgs84", "gcj02", "bd09")
LEVELS = ("none", "provincial", "national")
CONDITIONS = ("good", "worn", "damaged", "missing")
PROVIDERS = ("amap", "baidu", "tencent")
LISTING = ("not_listed", "submitted", "listed", "rejected")
ACCESS = ("open_door", "qr_scan", "face", "card", "code")
ADCODE_CHECK = "adcode ~ '^[1-9][0-9]{5}$'"


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "sites",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("adcode", sa.String(6), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(ADCODE_CHECK, name="adcode_format"),
    )
    op.create_table(
        "stations",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("site_id", sa.BigInteger(), sa.ForeignKey("sites.id", ondelete="SET NULL")),
        sa.Column("kind", _enum("station_kind", KINDS), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("adcode", sa.String(6), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.Geometry("POINT", srid=4326, spatial_index=False),
            nullable=False,
        ),
        sa.Column("source_crs", _enum("source_crs", CRSES), nullable=False, server_default="wgs84"),
        sa.Column("source_lon", sa.Numeric(11, 7)),
        sa.Column("source_lat", sa.Numeric(10, 7)),
        sa.Column("hours", sa.Text(), nullable=False, server_default="24/7"),
        sa.Column("self_service_hours", sa.Text()),
        sa.Column("access_methods", postgresql.ARRAY(sa.String(16)), nullable=False, server_default="{}"),
        sa.Column("amenities", postgresql.ARRAY(sa.String(32)), nullable=False, server_default="{}"),
        sa.Column("capacity", sa.Integer()),
        sa.Column("area_m2", sa.Numeric(8, 1)),
        sa.Column("phone", sa.String(40)),
        sa.Column("manager_name", sa.String(80)),
        sa.Column("manager_phone", sa.String(40)),
        sa.Column("host_unit", sa.String(200)),
        sa.Column("managing_union", sa.String(200)),
        sa.Column("photos", postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("status", _enum("station_status", STATUSES), nullable=False, server_default="active"),
        sa.Column("status_reason", sa.Text()),
        sa.Column("star_rating", sa.SmallInteger()),
        sa.Column(
            "demonstration_level", _enum("demonstration_level", LEVELS), nullable=False, server_default="none"
        ),
        sa.Column("verified_at", sa.Date()),
        sa.Column("sign_code", sa.String(32), nullable=False, unique=True),
        sa.Column("sign_installed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("sign_installed_at", sa.Date()),
        sa.Column("sign_standard", sa.String(80)),
        sa.Column("sign_condition", _enum("sign_condition", CONDITIONS)),
        sa.Column("is_synthetic", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
        sa.Column("deleted_reason", sa.Text()),
        sa.CheckConstraint(ADCODE_CHECK, name="adcode_format"),
        sa.CheckConstraint("star_rating BETWEEN 1 AND 5", name="star_rating_range"),
        sa.CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        sa.CheckConstraint("area_m2 > 0", name="area_positive"),
        sa.CheckConstraint(
            "(source_crs = 'wgs84') = (source_lon IS NULL AND source_lat IS NULL)",
            name="source_coordinates_kept",
        ),
        sa.CheckConstraint(
            "access_methods <@ ARRAY[" + ",".join(f"'{m}'" for m in ACCESS) + "]::varchar[]",
            name="access_methods_known",
        ),
    )
    op.create_index("ix_stations_adcode", "stations", ["adcode"])
    op.create_index("ix_stations_site_id", "stations", ["site_id"])
    op.create_index("ix_stations_amenities", "stations", ["amenities"], postgresql_using="gin")
    # Planar index: bounding-box filters, tiles, and the candidate pass of nearest lookups.
    op.execute("CREATE INDEX ix_stations_geom ON stations USING gist (geom)")
    # Geodesic index: the expression must be written exactly `geography(geom)` in queries to be used.
    op.execute("CREATE INDEX ix_stations_geog ON stations USING gist (geography(geom))")
    op.create_table(
        "provider_listings",
        sa.Column(
            "station_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("provider", _enum("provider", PROVIDERS), primary_key=True),
        sa.Column("status", _enum("listing_status", LISTING), nullable=False, server_default="not_listed"),
        sa.Column("poi_id", sa.String(64)),
        sa.Column("last_synced_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "sign_serials",
        sa.Column("adcode", sa.String(6), primary_key=True),
        sa.Column("kind", _enum("sign_serial_kind", KINDS), primary_key=True),
        sa.Column("last_serial", sa.Integer(), nullable=False),
    )
    op.create_table(
        "station_changes",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column(
            "station_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("action", _enum("change_action", ("create", "update", "delete", "restore")), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("before", postgresql.JSONB()),
        sa.Column("after", postgresql.JSONB()),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_station_changes_station_id", "station_changes", ["station_id", "id"])


def downgrade() -> None:
    op.drop_table("station_changes")
    op.drop_table("sign_serials")
    op.drop_table("provider_listings")
    op.drop_table("stations")
    op.drop_table("sites")
