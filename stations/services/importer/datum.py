"""Is a file that states no coordinate system really GCJ-02 (Amap, Tencent)? Its points are compared with what is
registered (a same-name station exactly the GCJ-02 shift away) and with the county each row's address names (the
point outside it, where it would be inside once moved back from GCJ-02), row by row; evidence against counts too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stations import divisions
from stations.geo.crs import gcj02_to_wgs84
from stations.geo.geodesy import distance_m
from stations.services.importer.messages import Text
from stations.services.importer.registered import AS_WGS84, AT
from stations.services.importer.rows import CheckedRow

STRONG = 3
"""A same-name registered station counts as much as three county boundaries (simplified, and a shift of a few
hundred metres crosses one only near it)."""
BOUNDARY_ROWS = 5
"""Without a registered twin, this many rows must sit just outside their county where GCJ-02 input would (the
boundaries are simplified by up to ~111 m, so a few such rows are noise)."""


@dataclass(frozen=True)
class Evidence:
    """Rows whose points sit where GCJ-02 input would, how far they are off, and what they were compared with."""

    count: int
    low: float
    high: float
    against: Text

    def params(self) -> dict[str, object]:
        """The values of the file's crs_looks_gcj02 note."""
        return {"count": self.count, "low": f"{self.low:.0f}", "high": f"{self.high:.0f}",
                "evidence": self.against.zh, "evidence_en": self.against.en}


def _district_says(row: CheckedRow) -> bool | None:
    """True if only the point moved back from GCJ-02 lies in the row's county, False if only the point as given
    does, None if both or neither (far from a boundary: the county cannot tell)."""
    if row.code is None or row.point is None or divisions.level_of(row.code) != "county":
        return None
    as_given = divisions.point_in(row.code, *row.point, tolerance_m=0)
    moved = divisions.point_in(row.code, *gcj02_to_wgs84(*row.point), tolerance_m=0)
    return None if as_given == moved else moved


def looks_gcj02(rows: Sequence[CheckedRow]) -> Evidence | None:
    """Evidence that the rows read as WGS-84 (no system stated) are GCJ-02, or None when it is not convincing."""
    shifts: list[float] = []
    registered = boundary = 0
    score_for = score_against = 0
    for row in rows:
        if not row.assumed or row.point is None:
            continue
        says = True if row.matched_probe == AS_WGS84 else False if row.matched_probe == AT else _district_says(row)
        weight = STRONG if row.matched_probe is not None else 1
        if says is True:
            shifts.append(distance_m(*row.point, *gcj02_to_wgs84(*row.point)))
            score_for += weight
            registered += row.matched_probe is not None
            boundary += row.matched_probe is None
        elif says is False:
            score_against += weight
    by_registry = registered >= 1 and score_for > 2 * score_against
    by_boundaries = boundary >= BOUNDARY_ROWS and score_for > 3 * score_against
    if not (by_registry or by_boundaries):
        return None
    parts = [t for t, n in ((Text("已登记的同名站点", "registered stations of the same name"), registered),
                            (Text("地址所在区县的边界", "the boundary of the address's county"), boundary)) if n]
    against = Text("和".join(p.zh for p in parts), " and ".join(p.en for p in parts))
    return Evidence(count=len(shifts), low=min(shifts), high=max(shifts), against=against)
