"""SQL of weather alerts: the staff and push paths (SQLAlchemy) and the nearest lookup's alert cache (asyncpg).

An alert's area is a list of adcodes; each becomes a LIKE pattern (`44%` for a province, `4403%` for a city, the
code itself for a county: `divisions.region_prefix`), so `adcode LIKE ANY(patterns)` reads the stations inside.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from stations.db.models import AlertChange, StationAlertMode, WeatherAlert


def by_identifier(*, session: Session, identifier: str) -> WeatherAlert | None:
    """The alert with this CAP identifier (row-locked), if any."""
    return session.scalar(select(WeatherAlert).where(WeatherAlert.identifier == identifier).with_for_update())


def current(*, session: Session, now: datetime) -> list[WeatherAlert]:
    """Alerts not cancelled and not yet over at `now` (the ones starting later too), soonest end first."""
    return list(session.scalars(select(WeatherAlert).where(WeatherAlert.cancelled_at.is_(None),
                                                           WeatherAlert.ends_at > now)
                                .order_by(WeatherAlert.ends_at, WeatherAlert.id)))


def record(*, session: Session, alert_id: int, action: str, after: dict[str, Any]) -> None:
    """Write an alert event for the feed (numbered under the feed's lock, see the 0019 migration)."""
    session.add(AlertChange(alert_id=alert_id, action=action, after=after))
    session.flush()


def modes_of(*, session: Session, station_id: int) -> list[StationAlertMode]:
    """A station's declared alert modes, by type."""
    return list(session.scalars(select(StationAlertMode).where(StationAlertMode.station_id == station_id)
                                .order_by(StationAlertMode.alert_type)))


_DECLARED = text(
    """
    SELECT s.id, s.name, s.sign_code, s.adcode, s.hours, m.alert_type, m.min_level, m.hours AS alert_hours, m.offers
    FROM stations AS s JOIN station_alert_modes AS m ON m.station_id = s.id
    WHERE s.deleted_at IS NULL AND s.adcode LIKE ANY(CAST(:patterns AS text[]))
      AND s.adcode LIKE :scope || '%'
    ORDER BY s.adcode, s.id, m.alert_type
    LIMIT :limit
    """
)
_IN_AREA = text(
    """
    SELECT count(*) FROM stations AS s
    WHERE s.deleted_at IS NULL AND s.adcode LIKE ANY(CAST(:patterns AS text[])) AND s.adcode LIKE :scope || '%'
    """
)


def declared_in(*, session: Session, patterns: Sequence[str], scope: str, limit: int) -> list[Any]:
    """Live stations inside the areas (LIKE patterns) and the staff scope that declared an alert mode, with it."""
    return list(session.execute(_DECLARED, {"patterns": list(patterns), "scope": scope, "limit": limit}))


def count_in(*, session: Session, patterns: Sequence[str], scope: str) -> int:
    """Live stations inside the areas and the staff scope."""
    return int(session.execute(_IN_AREA, {"patterns": list(patterns), "scope": scope}).scalar_one())


# --- the nearest lookup's cache (asyncpg: positional parameters) ---

ACTIVE = """
    SELECT id, alert_type, level, areas, starts_at, ends_at, headline, guidance
    FROM weather_alerts
    WHERE cancelled_at IS NULL AND ends_at > $1
    ORDER BY ends_at, id
    LIMIT 200
"""

# Stations inside an alert's area that may fit it (all of one alert type's needs among their amenities: $2 or $3) or
# that declared an alert mode (whose offers may supply the rest),
# with the nearest statement's columns, their adcode and their modes: the lookup ranks and opens them from memory.
ALERT_STATIONS = """
    SELECT s.id, s.site_id, s.kind, s.name, s.address, s.hours, s.self_service_hours, s.access_methods, s.amenities,
           s.status, s.status_reason, s.sign_code, s.verified_at, s.confirmed_open_at, s.star_rating,
           s.quality_score, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, s.adcode,
           coalesce((SELECT jsonb_agg(jsonb_build_array(m.alert_type, m.min_level, m.hours, m.offers))
                     FROM station_alert_modes AS m WHERE m.station_id = s.id), '[]'::jsonb) AS modes
    FROM stations AS s
    WHERE s.deleted_at IS NULL AND s.status <> 'closed'
      AND s.adcode LIKE ANY(CAST($1 AS text[]))
      AND (s.amenities @> CAST($2 AS varchar[]) OR s.amenities @> CAST($3 AS varchar[])
           OR EXISTS (SELECT 1 FROM station_alert_modes AS m WHERE m.station_id = s.id))
    ORDER BY s.id
    LIMIT $4
"""
