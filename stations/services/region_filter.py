"""Region filters by adcode: a province or city code covers every county code under it."""

from __future__ import annotations

from stations import divisions
from stations.regions import validate_adcode


def region_prefix(region: str | None) -> str:
    """The adcode prefix matching a region and everything in it ('' = the whole country); see divisions.contains."""
    if not region:
        return ""
    return divisions.region_prefix(validate_adcode(region))
