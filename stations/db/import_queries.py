"""The importer's own SQL: jobs, one apply at a time, and the duplicate probes against the registry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, func, literal, or_, select, text, update
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
    SELECT c.idx, s.id, s.name, s.sign_code, ST_X(s.geom), ST_Y(s.geom)
    FROM unnest(CAST(:idx AS int[]), CAST(:lon AS float8[]), CAST(:lat AS float8[]), CAST(:kind AS text[]))
         AS c(idx, lon, lat, kind)
    CROSS JOIN LATERAL (
        SELECT s.id, s.name, s.sign_code, s.geom FROM stations s
        WHERE s.deleted_at IS NULL AND s.kind = c.kind
          AND ST_DWithin(geography(s.geom), geography(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)), :radius)
        LIMIT :most
    ) s
    """
)
def _array_text(values: list[Any]) -> str:
    """An array's text form (ints, floats by their shortest exact repr, or words needing no quotes), which PostgreSQL
    parses: a 5,000-probe chunk's lists took psycopg's list dumper ~2 s per 100,000 rows."""
    return "{" + ",".join(map(str, values)) + "}"


# Right after a bulk insert the planner's statistics are stale and it may pick a nested loop over a
# sequential scan (minutes for 100k x 100k); within this one statement the index probe is forced.
NO_SEQSCAN = text("SET LOCAL enable_seqscan = off")
SEQSCAN_BACK = text("SET LOCAL enable_seqscan = on")
EXISTING_CODES = text("SELECT sign_code, id FROM stations WHERE sign_code = ANY(CAST(:codes AS text[]))")


def lock_apply(*, session: Session) -> None:
    """Wait until no other import is being applied, then hold that turn until the transaction ends."""
    session.execute(_ONE_APPLY)


Near = tuple[int, int, str, str, float, float]
"""(probe index, station id, name, sign code, lon, lat)"""


def near_existing(*, session: Session, params: dict[str, Any]) -> list[Near]:
    """(probe index, id, name, sign code, lon, lat) of registered stations of each probe's kind within `radius`
    metres, at most `most` per probe; the index probe is forced (statistics may be stale right after a bulk
    insert)."""
    session.execute(NO_SEQSCAN)
    arrays = {key: _array_text(params[key]) for key in ("idx", "lon", "lat", "kind")}
    rows = [(int(i), int(s), str(n), str(c), float(x), float(y))
            for i, s, n, c, x, y in session.execute(NEAR_EXISTING, params | arrays)]
    session.execute(SEQSCAN_BACK)
    return rows


def ids_by_sign_code(*, session: Session, codes: list[str]) -> dict[str, int]:
    """Registered stations' ids by sign code, among `codes`."""
    return {str(c): int(i) for c, i in session.execute(EXISTING_CODES, {"codes": codes})} if codes else {}


def job_by_public_id(*, session: Session, public_id: str) -> ImportJob | None:
    """The job with this public id."""
    return session.scalars(select(ImportJob).where(ImportJob.public_id == public_id)).one_or_none()


def settle_running(*, session: Session, job_id: int, values: dict[str, object]) -> None:
    """Set `values` on a job still checking (dropping its file) or applying; an ended job is left as is (its kept
    checks dropped either way: it is never applied). An `error_en` value goes into the job's options."""
    values = dict(values)
    if (en := values.pop("error_en", None)) is not None:
        values["options"] = ImportJob.options.op("||", return_type=JSONB)(func.jsonb_build_object("error_en", en))
    session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "checking")
                    .values(values | {"content": b"", "checked": None}))
    session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.status == "applying")
                    .values(values | {"checked": None}))


def recent(*, session: Session, scope: str, limit: int) -> list[ImportJob]:
    """The latest imports created inside `scope`, newest first: applied, refused, being applied, or checking with
    an apply to follow (dry runs are not imports)."""
    wanted = or_(ImportJob.status.in_(("applying", "applied", "rejected")),
                 and_(ImportJob.status == "checking", ImportJob.mode.is_not(None)))
    return list(session.scalars(
        select(ImportJob).where(ImportJob.region.startswith(scope, autoescape=True), wanted)
        .order_by(ImportJob.created_at.desc()).limit(limit)))


def _in_language(lang: str) -> ColumnElement[Any]:
    """The report in `lang`: the English texts stored under `en` put in place of the Chinese ones for `en`."""
    without = ImportJob.report.op("-", return_type=JSONB)(literal("en", Text))
    if lang != "en":
        return without
    english = func.coalesce(ImportJob.report.op("->", return_type=JSONB)(literal("en", Text)),
                            func.jsonb_build_object())
    return without.op("||", return_type=JSONB)(english)


def report_text(*, session: Session, job_id: int, lang: str = "zh") -> str | None:
    """A job's report in `lang` as JSON text made by PostgreSQL (never parsed in Python)."""
    return session.scalar(select(cast(_in_language(lang), Text)).where(ImportJob.id == job_id))


def report_without_rows(*, session: Session, job_id: int, lang: str = "zh") -> dict[str, Any]:
    """A job's report in `lang` without its per-row outcomes."""
    without_rows = _in_language(lang).op("-", return_type=JSONB)(literal("rows", Text))
    return dict(session.scalar(select(without_rows).where(ImportJob.id == job_id)) or {})


def applied_earlier(*, session: Session, sha256: str, region: str) -> ImportJob | None:
    """An applied job of the same file inside `region`, if any."""
    return session.scalars(
        select(ImportJob).where(ImportJob.sha256 == sha256, ImportJob.status == "applied",
                                ImportJob.region.startswith(region, autoescape=True)).limit(1)).one_or_none()
