"""Rows already in the registry: same sign code, or same kind within 50 m with a similar name, compared in WGS-84;
and same-name stations exactly the GCJ-02 shift away, registered or given in the wrong datum.

Each row is probed three times, each probe bounded (MOST_COMPARED stations within 50 m, an index lookup): at its
point, and where its point would be read in the other datum either way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from stations.db import import_queries as queries
from stations.db.import_queries import MOST_COMPARED, Near
from stations.geo.geodesy import distance_m
from stations.services.importer.duplicates import RADIUS_M, crowded, flag, name_of, row_shifts, similar
from stations.services.importer.progress import Progress, no_progress
from stations.services.importer.rows import CheckedRow

_CHUNK = 5000
AT, AS_GCJ02, AS_WGS84 = 0, 1, 2
"""Probes of a row: its point; its point read as GCJ-02 (a registered copy from Amap stored as if it were GPS);
its point moved back from GCJ-02 (the row itself is GCJ-02 given without saying so)."""


def _probes(live: Sequence[CheckedRow]) -> list[tuple[int, float, float, str]]:
    out = []
    for i, row in enumerate(live):
        assert row.data is not None and row.point is not None
        gcj, wgs = row_shifts(row)
        kind = row.data.kind.value
        out += [(3 * i + AT, *row.point, kind), (3 * i + AS_GCJ02, *gcj, kind), (3 * i + AS_WGS84, *wgs, kind)]
    return out


def _near(session: Session, live: Sequence[CheckedRow], progress: Progress) -> dict[int, list[Near]]:
    """Registered stations near each probe, by probe index."""
    probes = _probes(live)
    near: dict[int, list[Near]] = defaultdict(list)
    for start in range(0, len(probes), _CHUNK):
        progress("matching", start // 3, len(live))
        chunk = probes[start : start + _CHUNK]
        params = {"idx": [p[0] for p in chunk], "lon": [p[1] for p in chunk], "lat": [p[2] for p in chunk],
                  "kind": [p[3] for p in chunk], "radius": RADIUS_M, "most": MOST_COMPARED}
        for found in queries.near_existing(session=session, params=params):
            near[found[0]].append(found)
    progress("matching", len(live), len(live))
    return near


def _datum_hint(probe: int, row: CheckedRow) -> dict[str, str]:
    if probe == AS_WGS84 and row.assumed:
        return {"hint": "本行坐标像是高德/腾讯坐标：选择坐标系 GCJ-02 后重新检查",
                "hint_en": "this row's point looks like GCJ-02: check again with the system GCJ-02"}
    if probe == AS_WGS84:
        return {"hint": "核对本行的坐标系", "hint_en": "check this row's coordinate system"}
    return {"hint": "已登记站点的坐标可能按错误的坐标系录入：核对后在站点页修改",
            "hint_en": "the registered station may have been entered in the wrong datum: check and correct it"}


def against_registry(*, session: Session, rows: Sequence[CheckedRow], progress: Progress = no_progress) -> None:
    """Flag valid rows already in the registry, directly or in the other datum; linear in rows."""
    live = [r for r in rows if r.data is not None and r.duplicate_of is None and r.point is not None]
    codes = [r.data.sign_code for r in live if r.data and r.data.sign_code]
    existing = queries.ids_by_sign_code(session=session, codes=codes)
    near = _near(session, live, progress)
    for i, row in enumerate(live):
        assert row.data is not None and row.point is not None
        if row.data.sign_code and row.data.sign_code in existing:
            flag(row, "dup_code_registered", code=row.data.sign_code, id=existing[row.data.sign_code])
            continue
        name = name_of(row.data.name)
        here = near.get(3 * i + AT, [])
        if hit := next((n for n in here if similar(name, name_of(n[2]))), None):
            flag(row, "dup_registered", id=hit[1], code=hit[3])
            row.matched_probe = AT
            continue
        for probe in (AS_WGS84, AS_GCJ02):
            twin = next((n for n in near.get(3 * i + probe, []) if name_of(n[2]).text == name.text), None)
            if twin is not None:
                metres = distance_m(*row.point, twin[4], twin[5])
                flag(row, "dup_datum_registered", id=twin[1], code=twin[3], metres=f"{metres:.0f}",
                     **_datum_hint(probe, row))
                row.matched_probe = probe
                break
        else:
            if len(here) >= MOST_COMPARED:
                crowded(row)
