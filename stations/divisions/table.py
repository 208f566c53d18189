"""The division table: code -> name and level, name -> codes, and which region contains which code."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Level = Literal["province", "city", "county"]
TABLE = Path(__file__).with_name("divisions.csv")
_SUFFIXES = ("自治县", "自治旗", "特区", "林区", "区", "县", "市", "旗")
"""Endings a county-level name drops when it is renamed (祁阳县 -> 祁阳市, 凤翔县 -> 凤翔区)."""


@dataclass(frozen=True)
class Division:
    """One administrative division: its 6-digit code, name, level and reference point (WGS-84, may be absent)."""

    code: str
    name: str
    level: Level
    lon: float | None
    lat: float | None
    boundary: str
    """The code whose boundary it has ('' = none of its own: its descendants' or parent's is used)."""


def level_of(code: str) -> Level:
    """The level a 6-digit code names by its shape: XX0000 a province, XXYY00 a city, anything else a county."""
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def stem(name: str) -> str:
    """A county-level name without the ending a renaming changes (祁阳县 and 祁阳市 -> 祁阳); at least 2 characters."""
    name = unicodedata.normalize("NFKC", name).strip()
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def region_prefix(region: str) -> str:
    """The code prefix covering a region: '62' for 62 or 620000, '6201' for 6201 or 620100, a county as is.

    Accepts the 2- and 4-digit prefixes staff accounts store and full 6-digit codes; '' is the whole country.
    """
    region = region.strip()
    if len(region) == 6 and region.endswith("0000"):
        return region[:2]
    if len(region) == 6 and region.endswith("00"):
        return region[:4]
    return region


def contains(region: str, code: str) -> bool:
    """True if `code` lies inside `region` (a province, city or county code or prefix; '' = the whole country)."""
    prefix = region_prefix(region)
    return code == prefix if len(prefix) == 6 else code.startswith(prefix)


@cache
def _table() -> dict[str, Division]:
    with TABLE.open(encoding="utf-8", newline="") as source:
        return {
            row["code"]: Division(
                row["code"], row["name"], level_of(row["code"]),
                float(row["lon"]) if row["lon"] else None, float(row["lat"]) if row["lat"] else None,
                row["boundary"],
            )
            for row in csv.DictReader(source)
        }


def get(code: str) -> Division | None:
    """The division with this 6-digit code, or None when the data set does not know it."""
    return _table().get(code)


def all_divisions() -> list[Division]:
    """Every division, by code."""
    return list(_table().values())


def names(code: str) -> list[str]:
    """The known names from the province down to the code itself, e.g. ['甘肃省', '兰州市', '城关区']."""
    chain = [code[:2] + "0000", code[:4] + "00", code]
    return [d.name for c in dict.fromkeys(chain) if (d := get(c)) is not None]


def full_name(code: str) -> str:
    """The names joined without repeats (甘肃省兰州市城关区, 北京市东城区), or the code when none is known."""
    return "".join(dict.fromkeys(names(code))) or code


@cache
def _by_name() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for division in _table().values():
        for key in dict.fromkeys((division.name, stem(division.name))):
            index.setdefault(key, []).append(division.code)
    return {key: tuple(codes) for key, codes in index.items()}


def codes_named(name: str, *, within: str = "") -> list[str]:
    """Codes of the divisions with this name or its stem (城关区, 城关), optionally inside a region."""
    key = unicodedata.normalize("NFKC", name).strip()
    found = _by_name().get(key, ()) or _by_name().get(stem(key), ())
    return [code for code in found if contains(within, code)]
