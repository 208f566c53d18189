"""Data a rider can trust: check-ins, per-fact check dates, inspections against a province's checklist, star ratings
with their rule version, a quality score, photos, and merging duplicates (issue 22).

Every new station column is nullable (a rolling deploy's old code never writes them). The national checklist and
star rules (version 1, province "00") are inserted as data: provinces load their own versions later
(`stations checklists load FILE`); data/checklists/national-v1.json holds the same rules as a file to copy.

Revision ID: 0014_trust
Revises: 0010_login_throttle
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014_trust"
down_revision = "0010_login_throttle"
branch_labels = None
depends_on = None

NATIONAL_V1 = {
    "province": "00", "version": 1, "name": "全国通用 · 工会服务阵地检查表（六有）与星级规则",
    "items": [
        {"code": "unified_sign", "label": "有统一标识：标牌完好，编码清晰", "fact": None, "critical": False},
        {"code": "fixed_place", "label": "有固定场所：地址和位置与登记一致", "fact": "location", "critical": True},
        {"code": "hours_kept", "label": "按公示时间开放：到访时开着", "fact": "hours", "critical": True},
        {"code": "entry_works", "label": "进门方式可用：扫码、刷脸、刷卡或密码能进", "fact": "access",
         "critical": False},
        {"code": "facilities_working", "label": "有完善设施：登记的设施都在且能用", "fact": "amenities",
         "critical": True},
        {"code": "rules_posted", "label": "有管理制度：制度上墙", "fact": None, "critical": False},
        {"code": "staffed", "label": "有专人管理：负责人能联系上", "fact": None, "critical": False},
        {"code": "on_map", "label": "有地图查询：高德、百度地图能搜到", "fact": None, "critical": False},
        {"code": "workers_asked", "label": "询问在站劳动者：评价良好", "fact": None, "critical": False},
    ],
    "stars": [
        {"stars": 5, "passed_share": 1.0, "min_area_m2": 30, "min_capacity": 20, "amenities": ["aed"]},
        {"stars": 4, "passed_share": 0.9, "min_area_m2": 20, "min_capacity": 10, "amenities": []},
        {"stars": 3, "passed_share": 0.75, "min_area_m2": None, "min_capacity": None, "amenities": []},
        {"stars": 2, "passed_share": 0.5, "min_area_m2": None, "min_capacity": None, "amenities": []},
        {"stars": 1, "passed_share": 0.0, "min_area_m2": None, "min_capacity": None, "amenities": []},
    ],
    "critical_failed_max_stars": 2,
    "penalties": {"closed_checkins": 3, "closed_checkins_days": 90, "finding_open_days": 30, "report_open_days": 30},
    "valid_days": 365,
}
NOW = sa.func.now()


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True)


def _station(ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("station_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete=ondelete),
                     nullable=nullable)


def _stations_columns() -> None:
    op.add_column("stations", sa.Column("confirmed_open_at", sa.DateTime(timezone=True)))
    for fact in ("hours", "location", "amenities", "access"):
        op.add_column("stations", sa.Column(f"{fact}_checked_on", sa.Date()))
    op.add_column("stations", sa.Column("quality_score", sa.SmallInteger()))
    op.create_check_constraint("quality_score_range", "stations", "quality_score BETWEEN 0 AND 100")
    op.add_column("stations", sa.Column("star_rule_version", sa.String(16)))
    op.add_column("stations", sa.Column("star_rated_on", sa.Date()))
    op.add_column("stations", sa.Column("merged_into", sa.BigInteger(), sa.ForeignKey("stations.id")))
    op.create_check_constraint("merged_only_when_deleted", "stations", "merged_into IS NULL OR deleted_at IS NOT NULL")
    op.create_index("ix_stations_quality", "stations", ["quality_score"], postgresql_where="deleted_at IS NULL")
    op.add_column("station_changes", sa.Column("merged_into", sa.BigInteger()))


def _checkins_and_checklists() -> None:
    op.create_table(
        "station_checkins", _id(), _station(),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("amenity", sa.String(32)),
        sa.Column("during_hours", sa.Boolean()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.CheckConstraint("outcome IN ('open', 'closed', 'no_entry', 'broken')", name="checkin_outcome_known"),
    )
    op.create_index("ix_station_checkins_station_created", "station_checkins", ["station_id", "created_at"])
    op.create_table(
        "checklists",
        sa.Column("province", sa.String(2), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("rules", postgresql.JSONB(), nullable=False),
        sa.Column("loaded_by", sa.String(64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.CheckConstraint("province ~ '^[0-9]{2}$' AND version >= 1", name="checklist_key_format"),
    )
    table = sa.table("checklists", sa.column("province"), sa.column("version"), sa.column("name"),
                     sa.column("rules", postgresql.JSONB()), sa.column("loaded_by"))
    op.bulk_insert(table, [{"province": "00", "version": 1, "name": NATIONAL_V1["name"],
                            "rules": json.loads(json.dumps(NATIONAL_V1)), "loaded_by": "migration"}])


def _inspections() -> None:
    op.create_table(
        "inspections", _id(), _station(),
        sa.Column("inspector", sa.String(64), nullable=False),
        sa.Column("checklist_province", sa.String(2), nullable=False),
        sa.Column("checklist_version", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("answers", postgresql.JSONB(), nullable=False),
        sa.Column("open_at_visit", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(1000)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(["checklist_province", "checklist_version"],
                                ["checklists.province", "checklists.version"]),
    )
    op.create_index("ix_inspections_station", "inspections", ["station_id", "visited_on"])
    op.create_table(
        "inspection_findings", _id(), _station(),
        sa.Column("inspection_id", sa.BigInteger(), sa.ForeignKey("inspections.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("item_code", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500)),
        sa.Column("opened_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("fixed_at", sa.DateTime(timezone=True)),
        sa.Column("fixed_by", sa.String(64)),
        sa.Column("fix_note", sa.String(500)),
    )
    op.create_index("ix_findings_open", "inspection_findings", ["station_id"], postgresql_where="fixed_at IS NULL")
    op.create_table(
        "star_ratings", _id(), _station(),
        sa.Column("stars", sa.SmallInteger(), nullable=False),
        sa.Column("rule_province", sa.String(2), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.BigInteger(), sa.ForeignKey("inspections.id", ondelete="SET NULL")),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("reasons", postgresql.JSONB(), nullable=False),
        sa.Column("rated_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="rating_stars_range"),
        sa.ForeignKeyConstraint(["rule_province", "rule_version"], ["checklists.province", "checklists.version"]),
    )
    op.create_index("ix_star_ratings_station", "star_ratings", ["station_id", "id"])


def _photos_and_duplicates() -> None:
    op.create_table(
        "station_photos", _id(), _station(),
        sa.Column("public_id", sa.String(24), nullable=False, unique=True),
        sa.Column("inspection_id", sa.BigInteger(), sa.ForeignKey("inspections.id", ondelete="SET NULL")),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("moderated_by", sa.String(64)),
        sa.Column("moderated_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("kind IN ('entrance', 'sign', 'inside', 'other')", name="photo_kind_known"),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'removed')", name="photo_status_known"),
    )
    op.create_index("ix_station_photos_station", "station_photos", ["station_id", "id"])
    op.create_table(
        "duplicate_dismissals",
        sa.Column("a_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("b_id", sa.BigInteger(), sa.ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("dismissed_by", sa.String(64), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.CheckConstraint("a_id < b_id", name="dismissal_pair_ordered"),
    )


def _inspector_role() -> None:
    op.drop_constraint("staff_role", "staff_users", type_="check")
    op.create_check_constraint("staff_role", "staff_users", "role IN ('admin', 'editor', 'inspector', 'viewer')")
    op.create_check_constraint("inspector_has_region", "staff_users", "role <> 'inspector' OR region_prefix <> ''")


def upgrade() -> None:
    _stations_columns()
    _checkins_and_checklists()
    _inspections()
    _photos_and_duplicates()
    _inspector_role()


def downgrade() -> None:
    op.execute("DELETE FROM staff_users WHERE role = 'inspector'")
    op.drop_constraint("inspector_has_region", "staff_users", type_="check")
    op.drop_constraint("staff_role", "staff_users", type_="check")
    op.create_check_constraint("staff_role", "staff_users", "role IN ('admin', 'editor', 'viewer')")
    for table in ("duplicate_dismissals", "station_photos", "star_ratings", "inspection_findings", "inspections",
                  "checklists", "station_checkins"):
        op.drop_table(table)
    op.drop_column("station_changes", "merged_into")
    op.drop_index("ix_stations_quality", table_name="stations")
    for column in ("merged_into", "star_rated_on", "star_rule_version", "quality_score", "access_checked_on",
                   "amenities_checked_on", "location_checked_on", "hours_checked_on", "confirmed_open_at"):
        op.drop_column("stations", column)
