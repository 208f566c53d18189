"""Possible duplicates for staff: live stations within 25 m of each other (likely), or up to 500 m apart with
similar names (possible), across kinds and imports; the name test is the importer's (`similar_names`)."""

from __future__ import annotations

from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from stations.db import duplicate_queries as queries
from stations.db import registry_queries
from stations.errors import InvalidInput, NotFound
from stations.schemas.trust import DuplicatePair, DuplicateSide
from stations.services.importer.duplicates import similar_names
from stations.services.staff import auth

LIKELY_M = 25.0
POSSIBLE_M = 500.0
CANDIDATES = 20_000
"""Nearest candidate pairs a view looks at (a narrower region shows farther ones)."""


def _side(row: RowMapping, prefix: str) -> DuplicateSide:
    return DuplicateSide(**{name: row[f"{prefix}_{name}"] for name in DuplicateSide.model_fields})


def level(distance_m: float, name_a: str, name_b: str) -> str | None:
    """`likely`, `possible` or None (not a pair worth showing)."""
    if distance_m <= LIKELY_M:
        return "likely"
    if distance_m <= POSSIBLE_M and similar_names(name_a, name_b):
        return "possible"
    return None


def pairs(*, session: Session, region: str, limit: int = 200) -> tuple[int, list[DuplicatePair]]:
    """How many pairs there are in `region`, and the first `limit`: likely ones first, then by distance."""
    found = []
    for row in queries.pairs(session=session, region=region, radius=POSSIBLE_M, limit=CANDIDATES):
        kind = level(float(row["distance_m"]), row["a_name"], row["b_name"])
        if kind is not None:
            found.append(DuplicatePair(level=kind, distance_m=round(float(row["distance_m"]), 1),
                                       a=_side(row, "a"), b=_side(row, "b")))
    found.sort(key=lambda p: (p.level != "likely", p.distance_m))
    return len(found), found[:limit]


def dismiss(*, session: Session, a_id: int, b_id: int, actor: str, scope: str) -> None:
    """Staff say two stations are different places: the pair leaves the view."""
    if a_id == b_id:
        raise InvalidInput("a station is not a duplicate of itself")
    for station_id in (a_id, b_id):
        station = registry_queries.live_station(session=session, station_id=station_id)
        if station is None:
            raise NotFound(f"no station with id {station_id}")
        auth.ensure_in_scope(scope, station.adcode)
    queries.dismiss(session=session, a_id=a_id, b_id=b_id, actor=actor)
