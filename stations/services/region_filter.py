"""Region filters by adcode: a province or city code covers every county code under it."""

from __future__ import annotations

from stations.regions import validate_adcode


def region_prefix(region: str | None) -> str:
    """The adcode prefix matching a region and everything in it ('' = the whole country)."""
    if not region:
        return ""
    code = validate_adcode(region)
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code
