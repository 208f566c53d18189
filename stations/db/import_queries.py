"""The importer's own SQL: jobs, one apply at a time, and the duplicate probes against the registry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, cast, literal, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from stations.db.models import ImportJob

MOST_COMPARED = 16
"""Registered stations per row a row's name is compared with (the probe's bound)."""
_ONE_APPLY = text("SELECT pg_advisory_xact_lock(hashtext('stations.import.apply'))")

# Up to `MOST_COMPARED` registered stations of the row's kind within 50 m of each row, so a spot crowded with
# stations costs each row a bounded probe. The geography(geom) expression matches the ix_stations_geog index.
NEAR_EXISTING = text(
    """
    SELECT c.idx, s.id, s.name, s.sign_code
    FROM unnest(CAST(:idx AS int[]), CAST(:lon AS float8[]), CAST(:lat AS float8[]), CAST(:kind AS text[]))
         AS c(idx, lon, lat, kind)
    CROSS JOIN LATERAL (
        SELECT s.id, s.name, s.sign_code FROM stations s
        WHERE s.deleted_at IS NULL AND s.kind = c.kind
          AND ST_DWithin(geography(s.geom), geography(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)), :radius)
        LIMIT :most
    ) s
    """
)
# Right after a bulk insert the planner's statistics are stale and it may pick a nested loop over a
# sequential scan (minutes for 100k x 100k); within this one statement the index probe is forced.
NO_SEQSCAN = text("SET LOCAL enable_seqscan = off")
SEQSCAN_BACK = text("SET LOCAL enable_seqscan = on")
EXISTING_CODES = text("SELECT sign_code, id FROM stations WHERE sign_code = ANY(CAST(:codes AS text[]))")


def lock_apply(*, session: Session) -> None:
    """Wait until no other import is being applied, then hold that turn until the transaction ends."""
    session.execute(_ONE_APPLY)


def near_existing(*, session: Session, params: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(row index, id, name, sign code) of registered stations of each row's kind within `radius` metres, at most
    `most` per row; the index probe is forced (statistics may be stale right after a bulk insert)."""
    session.execute(NO_SEQSCAN)
    rows = [(int(i), int(s), str(n), str(c)) for i, s, n, c in session.execute(NEAR_EXISTING, params)]
    session.execute(SEQSCAN_BACK)
    return rows


def ids_by_sign_code(*, session: Session, codes: list[str]) -> dict[str, int]:
    """Registered stations' ids by sign code, among `codes`."""
    return {str(c): int(i) for c, i in session.execute(EXISTING_CODES, {"codes": codes})} if codes else {}


def job_by_public_id(*, session: Session, public_id: str) -> ImportJob | None:
    """The job with this public id."""
    return session.scalars(select(ImportJob).where(ImportJob.public_id == public_id)).one_or_none()


def settle_running(*, session: Session, job_id: int, values: dict[str, object]) -> None:
    """Set `values` on a job still checking (dropping its file) or applying; an ended job is left as is."""
    session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "checking")
                    .values(values | {"content": b""}))
    session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "applying").values(values))


def recent(*, session: Session, scope: str, statuses: tuple[str, ...], limit: int) -> list[ImportJob]:
    """The latest jobs created inside `scope` in one of `statuses`, newest first."""
    return list(session.scalars(
        select(ImportJob).where(ImportJob.region.startswith(scope, autoescape=True), ImportJob.status.in_(statuses))
        .order_by(ImportJob.created_at.desc()).limit(limit)))


def report_text(*, session: Session, job_id: int) -> str | None:
    """A job's report as the JSON text PostgreSQL stores (never parsed in Python)."""
    return session.scalar(select(cast(ImportJob.report, Text)).where(ImportJob.id == job_id))


def report_without_rows(*, session: Session, job_id: int) -> dict[str, Any]:
    """A job's report without its per-row outcomes."""
    without_rows = ImportJob.report.op("-", return_type=JSONB)(literal("rows", Text))
    return dict(session.scalar(select(without_rows).where(ImportJob.id == job_id)) or {})


def applied_earlier(*, session: Session, sha256: str, region: str) -> ImportJob | None:
    """An applied job of the same file inside `region`, if any."""
    return session.scalars(
        select(ImportJob).where(ImportJob.sha256 == sha256, ImportJob.status == "applied",
                                ImportJob.region.startswith(region, autoescape=True)).limit(1)).one_or_none()
