"""Where a row's station is: the region code from its code, district and address cells, each cross-checked with
the others and with the point, a disagreement reported with the value most of them point to.

Names come from `stations.divisions` (full names, provinces' and cities' short names, a county's name with the
ending a renaming changed: 祁阳县 finds 祁阳市). An address is read from its start: 甘肃省兰州市城关区… names
620102; 兰州市张掖路… names the city only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from stations import divisions
from stations.services.importer.messages import Note, Text

_STREET_WORDS = "路街道巷大广饭宾酒桥"  # 兰州路, 北京大街, 天津饭店: a short name followed by these is no division
_SUFFIXES = ("县", "区", "市", "旗")
_MOST_NAME = 16
SOURCES = {"district": Text("所属区县", "district"), "address": Text("地址", "address"),
           "adcode": Text("行政区划代码", "region code"), "point": Text("坐标", "point")}


@dataclass(frozen=True)
class Place:
    """The divisions a text names at its start: candidate codes of the most specific one, and the text naming it."""

    codes: tuple[str, ...]
    text: str


@cache
def _names() -> dict[str, tuple[tuple[str, ...], bool]]:
    """Name -> (codes, is a short name that a street word may follow)."""
    found: dict[str, set[str]] = {}
    short: set[str] = set()
    for d in divisions.all_divisions():
        found.setdefault(d.name, set()).add(d.code)
        alias = _short(d.name, d.level)
        if alias and alias != d.name:
            found.setdefault(alias, set()).add(d.code)
            short.add(alias)
        if d.level == "county":
            stem = divisions.stem(d.name)
            for suffix in _SUFFIXES:
                found.setdefault(stem + suffix, set()).add(d.code)
    return {name: (tuple(sorted(codes)), name in short) for name, codes in found.items()}


def _short(name: str, level: str) -> str | None:
    if level == "province":
        for ending in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
            if name.endswith(ending) and len(name) > len(ending) + 1:
                return name[: -len(ending)]
    if level == "city":
        for ending in ("市", "地区", "盟"):
            if name.endswith(ending) and len(name) > len(ending) + 1:
                return name[: -len(ending)]
    return None


def _leafy(code: str) -> bool:
    """True for a code a station can carry: a county, or a city or province-level area without counties."""
    return divisions.level_of(code) == "county" or code not in _parents()


@cache
def _parents() -> frozenset[str]:
    counties = [d.code for d in divisions.all_divisions() if d.level == "county"]
    return frozenset({c[:4] + "00" for c in counties} | {c[:2] + "0000" for c in counties})


def named_in(text: str) -> Place | None:
    """The divisions named at the start of a text (province, city, county in order), or None."""
    text = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
    names, pos, chosen = _names(), 0, tuple[str, ...]()
    while pos < len(text):
        for length in range(min(_MOST_NAME, len(text) - pos), 1, -1):
            entry = names.get(text[pos : pos + length])
            follow = text[pos + length : pos + length + 1]
            if entry is None or (entry[1] and follow and follow in _STREET_WORDS):
                continue
            narrower = tuple(c for c in entry[0] if not chosen or any(_agree(p, c) for p in chosen))
            if not narrower:
                return Place(chosen, text[:pos]) if chosen else None
            chosen, pos = narrower, pos + length
            break
        else:
            break
    return Place(chosen, text[:pos]) if chosen else None


def district_codes(text: str) -> Place | None:
    """The divisions a district cell names (西固区, 兰州市城关区, 城关), or None."""
    place = named_in(text)
    if place is not None:
        return place
    codes = divisions.codes_named(text.strip())
    return Place(tuple(codes), text.strip()) if codes else None


def _agree(a: str, b: str) -> bool:
    return divisions.contains(a, b) or divisions.contains(b, a)


def agrees(code: str, place: Place | None) -> bool:
    """True when the place says nothing, or names the code's division or one containing or inside it."""
    return place is None or any(_agree(code, c) for c in place.codes)


def name_of(code: str) -> str:
    """A code's full name (甘肃省兰州市城关区)."""
    return divisions.full_name(code)


def county_of(point: tuple[float, float] | None) -> str | None:
    """The county whose boundary holds a WGS-84 point (costly: asked only when something disagrees)."""
    return divisions.locate(*point) if point else None


@dataclass
class Clues:
    """What a row says about where it is: the code cell, the district cell, the address and the WGS-84 point."""

    adcode: str
    district: Place | None
    address: Place | None
    point: tuple[float, float] | None

    def inside(self, code: str) -> bool:
        """True if the point lies in the code's division (with the usual tolerance)."""
        return self.point is not None and divisions.point_in(code, *self.point)

    def votes(self, code: str) -> list[str]:
        """The clues that point to a code (region code, district, address, point)."""
        found = []
        if self.adcode and _agree(self.adcode, code):
            found.append("adcode")
        for source, place in (("district", self.district), ("address", self.address)):
            if place is not None and agrees(code, place):
                found.append(source)
        if self.inside(code):
            found.append("point")
        return found


def best(clues: Clues, candidates: list[str]) -> tuple[str, list[str]] | None:
    """The candidate most clues point to, with those clues; None on a tie between the best two."""
    ranked = sorted(((len(v), c, v) for c in dict.fromkeys(candidates) if (v := clues.votes(c))), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1], ranked[0][2]


def why(sources: list[str], code: str) -> dict[str, str]:
    """The `why` values of a disagreement note: which clues point to the suggested code."""
    zh = "、".join(SOURCES[s].zh for s in sources)
    en = " and the ".join(SOURCES[s].en for s in sources)
    name = divisions.get(code).name if divisions.get(code) else code  # type: ignore[union-attr]
    verb = "都在" if len(sources) > 1 else "在"
    return {"why": f"{zh}{verb} {name}（{code}）", "why_en": f"the {en} {'are' if len(sources) > 1 else 'is'} in "
            f"{name} ({code})"}


def leaves(place: Place | None) -> list[str]:
    """The codes of a place a station can carry (counties, or cities without counties)."""
    return [c for c in place.codes if _leafy(c)] if place else []


def is_leaf(code: str) -> bool:
    """True for a code a station can carry."""
    return _leafy(code)


def note(message: str, field: str, level: str = "error", /, **params: object) -> Note:
    """A note about this row's place (catalogue code `message`)."""
    return Note(message, level, field=field, params=dict(params))
