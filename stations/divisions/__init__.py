"""China's administrative divisions: names, levels, containment and boundaries, behind one module.

Pure (no web framework, no database driver): the registry's checks, the importer and clerk-file tools use it.
Data: stations/divisions/divisions.csv and boundaries.bin.gz, built by scripts/build_divisions.py from pinned
packages (see docs/divisions.md for sources, dates, licences and the tolerance).
"""

from __future__ import annotations

from stations.divisions.boundaries import (
    TOLERANCE_M,
    bounds,
    distance_outside_m,
    load_boundaries,
    locate,
    point_in,
)
from stations.divisions.table import (
    Division,
    Level,
    all_divisions,
    codes_named,
    contains,
    full_name,
    get,
    level_of,
    names,
    region_prefix,
    stem,
)

__all__ = [
    "TOLERANCE_M",
    "Division",
    "Level",
    "all_divisions",
    "bounds",
    "codes_named",
    "contains",
    "distance_outside_m",
    "full_name",
    "get",
    "level_of",
    "load_boundaries",
    "locate",
    "names",
    "point_in",
    "region_prefix",
    "stem",
]
