"""SQL of possible duplicates and merging: station pairs near each other, and moving a station's rows to another."""

from __future__ import annotations

from sqlalchemy import RowMapping, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from stations.db.models import DuplicateDismissal, Station

# Pairs of live stations within :radius metres of each other, at least one in :region, nearest first; stations of
# one site (co-located functions) are not pairs, nor pairs staff dismissed. `geography(b.geom)` is the indexed
# expression (ix_stations_geog), so each station's neighbours come from an index probe.
PAIRS = text(
    """
    SELECT a.id AS a_id, a.name AS a_name, a.kind AS a_kind, a.sign_code AS a_sign_code, a.address AS a_address,
           a.adcode AS a_adcode, a.created_at AS a_created_at, a.verified_at AS a_verified_at,
           a.quality_score AS a_quality_score,
           b.id AS b_id, b.name AS b_name, b.kind AS b_kind, b.sign_code AS b_sign_code, b.address AS b_address,
           b.adcode AS b_adcode, b.created_at AS b_created_at, b.verified_at AS b_verified_at,
           b.quality_score AS b_quality_score,
           ST_Distance(geography(a.geom), geography(b.geom)) AS distance_m
    FROM stations a
    JOIN LATERAL (
        SELECT * FROM stations b
        WHERE b.deleted_at IS NULL AND b.id <> a.id
          AND ST_DWithin(geography(b.geom), geography(a.geom), :radius)
    ) b ON (b.id > a.id OR b.adcode NOT LIKE :region || '%')
    WHERE a.deleted_at IS NULL AND a.adcode LIKE :region || '%'
      AND (a.site_id IS NULL OR b.site_id IS DISTINCT FROM a.site_id)
      AND NOT EXISTS (SELECT 1 FROM duplicate_dismissals d
                      WHERE d.a_id = least(a.id, b.id) AND d.b_id = greatest(a.id, b.id))
    ORDER BY distance_m, a.id, b.id
    LIMIT :limit
    """
)

_MOVED = ("station_reports", "station_checkins", "station_photos", "inspections", "inspection_findings",
          "star_ratings")
MOVE = {table: text(f"UPDATE {table} SET station_id = :survivor WHERE station_id = :other") for table in _MOVED}
"""Rows that follow a merged station to its survivor (its reports, check-ins, photos, inspections, ratings)."""
FORGET_DISMISSALS = text("DELETE FROM duplicate_dismissals WHERE a_id = :other OR b_id = :other")


def pairs(*, session: Session, region: str, radius: float, limit: int) -> list[RowMapping]:
    """Candidate pairs in `region` within `radius` metres, nearest first."""
    return list(session.execute(PAIRS, {"region": region, "radius": radius, "limit": limit}).mappings())


def move_rows(*, session: Session, other: int, survivor: int) -> None:
    """Re-point the other station's feedback, photos, inspections and ratings to the survivor."""
    for statement in MOVE.values():
        session.execute(statement, {"other": other, "survivor": survivor})
    session.execute(FORGET_DISMISSALS, {"other": other})


def dismiss(*, session: Session, a_id: int, b_id: int, actor: str) -> None:
    """Remember that two stations are different places."""
    low, high = sorted((a_id, b_id))
    session.execute(pg_insert(DuplicateDismissal).values(a_id=low, b_id=high, dismissed_by=actor)
                    .on_conflict_do_nothing())


def by_sign_code(*, session: Session, code: str) -> Station | None:
    """The station (deleted or not) carrying this sign code."""
    return session.scalars(select(Station).where(Station.sign_code == code)).one_or_none()
