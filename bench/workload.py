"""The query workloads, as a pgbench script and a wrk Lua script, each drawing random points in a set of boxes:

- `centres`: near the seeded city centres (a centre by the seeder's weights, a uniform offset within one sigma of
  its scatter): where stations are densest;
- `suburban`: uniform over each city's box (two truncation radii around its centre, e.g. Beijing +-40 km, about
  the metropolitan box 115.9-116.9 E, 39.6-40.2 N), the city by weight: the edges of dense clusters;
- `rural`: uniform over the country's land: the one-degree cells of 73-135 E, 18-54 N of which at least three of five
  sample points lie in a Chinese division (966 cells, clipped to CHINA_BBOX), weighted by area. Many points are far
  from any station. (Until 2026-12-06 it drew from the whole box, sea and neighbouring countries included: points up
  to 1,800 km from any station, which no rider stands on.)
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from stations.db.nearest_sql import Shape, nearest_statement

CITIES_FILE = Path(__file__).resolve().parents[1] / "data" / "demo_cities.json"
KM_PER_DEG_LAT = 111.32
K = 10


@dataclass(frozen=True)
class Centre:
    """A city centre, its weight and a box half-width in degrees (one gaussian sigma of the seeded scatter)."""

    lon: float
    lat: float
    weight: int
    dlon: float
    dlat: float


WORKLOADS = ("centres", "suburban", "rural")
SAMPLES = ((0.5, 0.5), (0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))


@cache
def land_cells() -> list[Centre]:
    """The one-degree cells of China's box (73-135 E, 18-54 N, inside CHINA_BBOX) that are mostly Chinese land (at
    least 3 of 5 sample points in a division's boundary), each weighted by its area (a few seconds, once)."""
    from stations.divisions.boundaries import locate
    from stations.geo.validation import CHINA_BBOX

    def clipped(lon: int, lat: int) -> Centre:  # the cell within CHINA_BBOX: the API refuses points beyond it
        west, south = max(lon, CHINA_BBOX[0]), max(lat, CHINA_BBOX[1])
        east, north = min(lon + 1, CHINA_BBOX[2]), min(lat + 1, CHINA_BBOX[3])
        area = (east - west) * (north - south) * math.cos(math.radians((south + north) / 2))
        return Centre((west + east) / 2, (south + north) / 2, round(100 * area), (east - west) / 2, (north - south) / 2)

    return [clipped(lon, lat) for lon in range(73, 135) for lat in range(18, 54)
            if sum(locate(lon + dx, lat + dy) is not None for dx, dy in SAMPLES) >= 3]


def centres(workload: str = "centres") -> list[Centre]:
    """The boxes a workload draws from, weighted like the seeder: one sigma around each demo city centre
    (`centres`), two truncation radii around it (`suburban`), or the country's land (`rural`)."""
    if workload == "rural":
        return land_cells()
    if workload not in WORKLOADS:
        raise ValueError(f"unknown workload {workload!r}: one of {', '.join(WORKLOADS)}")
    out = []
    for c in json.loads(CITIES_FILE.read_text())["cities"]:
        dlat = (c["sigma_km"] if workload == "centres" else 2 * c["max_km"]) / KM_PER_DEG_LAT
        out.append(Centre(c["lon"], c["lat"], int(c["weight"]), dlat / math.cos(math.radians(c["lat"])), dlat))
    return out


def points(n: int, *, seed: int, workload: str = "centres") -> list[tuple[float, float]]:
    """`n` query points drawn as the pgbench and wrk scripts draw theirs: a box by weight, a uniform offset."""
    rng, cs = random.Random(seed), centres(workload)
    weights = [c.weight for c in cs]
    out = []
    for _ in range(n):
        c = rng.choices(cs, weights)[0]
        out.append((c.lon + rng.uniform(-c.dlon, c.dlon), c.lat + rng.uniform(-c.dlat, c.dlat)))
    return out


def floor_sql() -> str:
    """The statement our endpoint prepares for an unfiltered lookup of 10, with :lon and :lat as pgbench variables."""
    statement = nearest_statement(Shape(), K)
    sql = re.sub(r"\$(\d+)", lambda m: ":" + statement.parameters[int(m.group(1)) - 1], statement.sql)
    return re.sub(r"--[^\n]*", "", sql).strip() + ";\n"


def _case(expr: str, cs: list[Centre], total: int) -> str:
    """A pgbench CASE choosing a centre's expression by the cumulative weight bucket :w falls in."""
    parts, running = [], 0
    for c in cs[:-1]:
        running += c.weight
        parts.append(f"WHEN :w < {running} THEN {expr.format(c=c)}")
    return f"CASE {' '.join(parts)} ELSE {expr.format(c=cs[-1])} END"


def pgbench_script(workload: str = "centres") -> str:
    """A pgbench script: a weighted random box of `workload`, a uniform point in it, then the nearest SQL."""
    cs = centres(workload)
    total = sum(c.weight for c in cs)
    if len(cs) == 1:  # pgbench's CASE needs a WHEN
        cs = cs * 2
    return (
        f"\\set w random(0, {total - 1})\n"
        "\\set ux random(-1000000, 1000000)\n"
        "\\set uy random(-1000000, 1000000)\n"
        f"\\set lon {_case('{c.lon} + :ux * {c.dlon} / 1000000.0', cs, total)}\n"
        f"\\set lat {_case('{c.lat} + :uy * {c.dlat} / 1000000.0', cs, total)}\n"
        + floor_sql()
    )


LUA = """
local centres = {%(centres)s}
local total = %(total)d
local template = "%(template)s"
local threads = {}
local id = 0

function setup(thread)
  id = id + 1
  thread:set("id", id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(%(seed)d + id * 7919)
end

request = function()
  local w = math.random(0, total - 1)
  local c = centres[#centres]
  local running = 0
  for i = 1, #centres do
    running = running + centres[i][3]
    if w < running then c = centres[i] break end
  end
  local lon = c[1] + (math.random() * 2 - 1) * c[4]
  local lat = c[2] + (math.random() * 2 - 1) * c[5]
  return wrk.format("GET", string.format(template, lon, lat))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "mean_us": %%f, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def wrk_script(path_template: str, *, seed: int = 1, workload: str = "centres") -> str:
    """A wrk Lua script requesting `path_template` (two %.6f slots: lon, lat) at `workload`'s random points."""
    cs = centres(workload)
    rows = ", ".join(f"{{{c.lon}, {c.lat}, {c.weight}, {c.dlon:.6f}, {c.dlat:.6f}}}" for c in cs)
    return LUA % {"centres": rows, "total": sum(c.weight for c in cs), "template": path_template, "seed": seed}
