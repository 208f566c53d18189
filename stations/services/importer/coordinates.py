"""A row's coordinates as clerks type them: decimal degrees (full-width digits too), degrees-minutes-seconds, or
both in one 经纬度 cell; checked to lie in China, swapped or unsigned pairs named with the right values."""

from __future__ import annotations

import math
import re
import unicodedata

from stations.geo.crs import Crs, to_wgs84
from stations.geo.validation import in_china
from stations.services.importer.messages import Note

_EXTRA_FOLDS = str.maketrans({"\u2212": "-", "\u3002": ".", "，": ",", "；": ";", "、": ","})
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_DMS = re.compile(r"^(?P<d>\d{1,3})\s*[°度]\s*(?:(?P<m>\d{1,2}(?:\.\d+)?)\s*['′’分]\s*)?"
                  r"(?:(?P<s>\d{1,2}(?:\.\d+)?)\s*(?:[\"″”秒]|'')\s*)?(?P<h>[NSEW东西南北])?$")
_PAIR = re.compile(r"\s*[,;/\s]\s*")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_EXTRA_FOLDS).strip()


def number(text: str, notes: list[Note], field: str) -> float | None:
    """One coordinate as a float; a note for full-width digits or degrees-minutes-seconds, an error if neither."""
    folded = _folded(text)
    if folded != text.strip():
        notes.append(Note("fullwidth", "note", field=field))
    if _DECIMAL.fullmatch(folded):
        return float(folded)
    dms = _DMS.match(folded.replace(" ", ""))
    if dms and (value := _from_dms(dms)) is not None:
        notes.append(Note("dms", "note", field=field, params={"value": f"{value:.6f}"}))
        return value
    notes.append(Note("coords_unreadable", field=field, params={"value": text.strip()[:40]}))
    return None


def _from_dms(match: re.Match[str]) -> float | None:
    minutes, seconds = float(match["m"] or 0), float(match["s"] or 0)
    if minutes >= 60 or seconds >= 60:
        return None
    value = int(match["d"]) + minutes / 60 + seconds / 3600
    return -value if match["h"] in ("S", "W", "南", "西") else value


def split_pair(text: str, notes: list[Note]) -> tuple[str, str] | None:
    """A 经纬度 cell ("103.83,36.06") as (lon text, lat text); an error when it holds no two values."""
    parts = [p for p in _PAIR.split(_folded(text)) if p]
    if len(parts) != 2:
        notes.append(Note("lonlat_unreadable", field="lonlat", params={"value": text.strip()[:60]}))
        return None
    return parts[0], parts[1]


def _china(lon: float, lat: float, crs: Crs) -> bool:
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return False
    return in_china(*to_wgs84(lon, lat, crs))


def checked(lon: float, lat: float, crs: Crs, notes: list[Note], field: str = "lon") -> tuple[float, float] | None:
    """The pair if it is a point in China in `crs`; else an error naming the values that would be."""
    if _china(lon, lat, crs):
        return lon, lat
    if _china(lat, lon, crs):
        notes.append(Note("coords_swapped", field=field, params={"lon": _shown(lat), "lat": _shown(lon)}))
    elif _china(abs(lon), abs(lat), crs):
        notes.append(Note("coords_sign", field=field, params={"lon": _shown(abs(lon)), "lat": _shown(abs(lat))}))
    else:
        notes.append(Note("coords_outside_china", field=field, params={"lon": _shown(lon), "lat": _shown(lat)}))
    return None


def _shown(value: float) -> str:
    """A coordinate as a clerk would paste it back (no trailing zeros, at most 7 decimals)."""
    return f"{value:.7f}".rstrip("0").rstrip(".") if math.isfinite(value) else str(value)
