"""What "within reach" means for coverage: 1 km of geodesic distance, which the 15-minute walk of the national
target (双15工程) stands for at 4 km/h.

There is no road network here: the reach is a straight line on the ellipsoid (PostGIS geography, as
`db.coverage_sql.WITHIN_REACH` writes it; the one place the SQL decides reach), so a river or a ring road without a
crossing counts as walkable. A road-network version replaces `WITHIN_REACH` (and `reachable` below, for code that
judges pairs in Python) and keeps `REACH_M` as its travel budget.

The worker map shows minutes at 5 km/h (`geodesy.WALKING_M_PER_H`): what a rested walker does. Coverage planning
takes the target's own pace, 1 km in 15 minutes, which allows for a tired worker with a bag or a helmet.
"""

from __future__ import annotations

from stations.geo.geodesy import distance_m

TARGET_MINUTES = 15
REACH_M = 1_000.0
COVERAGE_WALK_M_PER_MIN = REACH_M / TARGET_MINUTES
"""4 km/h: the pace at which the target's 15 minutes are its 1 km."""


def walk_minutes(metres: float) -> float:
    """Minutes on foot at the coverage pace (4 km/h), for a geodesic distance."""
    return metres * TARGET_MINUTES / REACH_M


def reachable(lon1: float, lat1: float, lon2: float, lat2: float, *, reach_m: float = REACH_M) -> bool:
    """Whether one point is within reach of the other (geodesic metres; a road network would replace this)."""
    return distance_m(lon1, lat1, lon2, lat2) <= reach_m
