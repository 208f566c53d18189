"""A row's region code: the one given, checked against the district, the address and the point; or derived from
the district and the address inside the importer's region. Every disagreement is an error whose suggestion is
the value most clues point to (places.best), on the cell that is most likely wrong."""

from __future__ import annotations

import unicodedata

from stations import divisions
from stations.services.importer.messages import Note, Text
from stations.services.importer.places import (
    SOURCES,
    Clues,
    Place,
    agrees,
    best,
    county_of,
    district_codes,
    is_leaf,
    leaves,
    name_of,
    named_in,
    note,
    why,
)

EXAMPLE_CODE = "620102"


def _scope_code(scope: str) -> str:
    return scope.ljust(6, "0") if scope else ""


def _short_name(code: str) -> str:
    division = divisions.get(code)
    return division.name if division else code


def _fixed_address(address: str, place: Place, code: str) -> str:
    """The address with the divisions it starts with replaced by the code's full name."""
    text = unicodedata.normalize("NFKC", address).replace(" ", "").replace("\u3000", "")
    return name_of(code) + text[len(place.text):]


def _guess(clues: Clues) -> str:
    """The likeliest code for a suggestion when the given one is unusable."""
    candidates = leaves(clues.district) + leaves(clues.address)
    winner = best(clues, candidates) if candidates else None
    return winner[0] if winner else (county_of(clues.point) or EXAMPLE_CODE)


def _given(text: str, clues: Clues, notes: list[Note]) -> str | None:
    code = unicodedata.normalize("NFKC", text).strip()
    if len(code) != 6 or not code.isdigit():
        notes.append(note("adcode_bad", "adcode", value=text.strip()[:20], hint=_guess(clues)))
        return None
    if divisions.get(code) is None:
        notes.append(note("adcode_unknown", "adcode", value=code, hint=_guess(clues)))
        return None
    return code


def _consistent(code: str, clues: Clues, address: str, notes: list[Note]) -> bool:
    """True if the district and the address agree with the given code; else one error on the likeliest culprit."""
    odd = [(s, p) for s, p in (("district", clues.district), ("address", clues.address)) if p and not agrees(code, p)]
    if not odd:
        return True
    candidates = [code, *leaves(clues.district), *leaves(clues.address)]
    if clues.point is not None:
        candidates.append(county_of(clues.point) or code)
    winner = best(clues, candidates)
    source, place = odd[0]
    if winner is None or winner[0] != code:
        right = winner[0] if winner else leaves(place)[0] if leaves(place) else place.codes[0]
        votes = winner[1] if winner else clues.votes(right)
        notes.append(note("adcode_disagrees", "adcode", code=code, name=name_of(code), source=SOURCES[source],
                          text=place.text, right=right, **why(votes or [source], right)))
        return False
    for source, place in odd:
        right = _short_name(code) if source == "district" else _fixed_address(address, place, code)
        notes.append(note(f"{source}_disagrees", source, text=place.text, code=code, name=name_of(code), right=right,
                          **why(winner[1], code)))
    return False


def _conflict(clues: Clues, address: str, notes: list[Note]) -> None:
    """The district and the address name different places (no code given): an error on the one less supported."""
    assert clues.district is not None and clues.address is not None
    candidates = leaves(clues.district) + leaves(clues.address)
    if clues.point is not None:
        candidates += [c for c in (county_of(clues.point),) if c]
    winner = best(clues, candidates)
    right = winner[0] if winner else candidates[0]
    wrong_district = not agrees(right, clues.district)
    source, other = ("district", "address") if wrong_district else ("address", "district")
    place, other_place = (clues.district, clues.address) if wrong_district else (clues.address, clues.district)
    fix = _short_name(right) if wrong_district else _fixed_address(address, clues.address, right)
    notes.append(note("place_disagrees", source, source=SOURCES[source], text=place.text, other=SOURCES[other],
                      other_text=other_place.text, right=fix, **why(winner[1] if winner else [other], right)))


def _derived(clues: Clues, scope: str, address: str, notes: list[Note]) -> str | None:
    """The code the district and the address name inside `scope` (the point chooses among namesakes)."""
    places = [p for p in (clues.district, clues.address) if p is not None]
    pool = list(dict.fromkeys(c for p in places for c in p.codes))
    candidates = [c for c in pool if all(agrees(c, p) for p in places)]
    if places and not candidates:
        _conflict(clues, address, notes)
        return None
    in_scope = [c for c in candidates if divisions.contains(scope, c)]
    if candidates and not in_scope:
        outside = candidates[0]
        notes.append(note("outside_scope", "adcode", code=outside, name=name_of(outside), scope=scope,
                          scope_name=name_of(_scope_code(scope)) if scope else ""))
        return None
    if not in_scope:
        hint = county_of(clues.point) or EXAMPLE_CODE
        notes.append(note("adcode_missing", "adcode", hint=hint if divisions.contains(scope, hint) else EXAMPLE_CODE))
        return None
    source, place = ("district", clues.district) if clues.district else ("address", clues.address)
    assert place is not None
    usable, label = [c for c in in_scope if is_leaf(c)], SOURCES[source]
    if not usable:  # only a city or a province is named: the point says which county
        county = county_of(clues.point)
        if county is None or not divisions.contains(scope, county) or not agrees(county, place):
            notes.append(note("adcode_missing", "adcode", hint=county or EXAMPLE_CODE))
            return None
        usable, label = [county], Text(f"{label.zh}和坐标", f"{label.en} and point")
    if len(usable) > 1:
        usable = [c for c in usable if clues.inside(c)] or usable
    if len(usable) != 1:
        choices = "、".join(f"{c} {name_of(c)}" for c in usable[:6])
        notes.append(note("adcode_ambiguous", "adcode", text=place.text, choices=choices))
        return None
    code = usable[0]
    notes.append(note("adcode_derived", "adcode", "note", source=label, text=place.text, code=code,
                      name=name_of(code)))
    return code


def _district_hint(text: str, scope: str) -> str:
    """The county inside `scope` whose name is most like a district cell's, for a suggestion."""
    import difflib

    names = [d.name for d in divisions.all_divisions() if d.level == "county" and divisions.contains(scope, d.code)]
    found = difflib.get_close_matches(text, names, n=1, cutoff=0.3) if scope else []
    return found[0] if found else "城关区"


def _outside(code: str, clues: Clues, shown: tuple[str, str, str], notes: list[Note]) -> None:
    assert clues.point is not None
    where = county_of(clues.point)
    km = f"{divisions.distance_outside_m(code, *clues.point) / 1000:,.1f}"
    there = {"there": f"，而在 {name_of(where)}（{where}）" if where else "",
             "there_en": f", in {where}" if where else ""}
    lon, lat, crs = shown
    said = where is not None and clues.adcode and any(p is not None and agrees(where, p)
                                                      for p in (clues.district, clues.address))
    if said and where is not None:
        notes.append(note("point_outside", "adcode", lon=lon, lat=lat, crs=crs, name=name_of(code), code=code, km=km,
                          hint=where, hint_en=where, **there))
    else:
        notes.append(note("point_outside", "lon", lon=lon, lat=lat, crs=crs, name=name_of(code), code=code, km=km,
                          hint="核对经纬度和坐标系（高德、腾讯是 GCJ-02，百度是 BD-09）",
                          hint_en="check the numbers and the coordinate system (Amap/Tencent GCJ-02, Baidu BD-09)",
                          **there))


def place_row(*, adcode: str, district: str, address: str, point: tuple[float, float] | None,
              shown: tuple[str, str, str], scope: str, notes: list[Note]) -> str | None:
    """The row's region code, or None with the error saying why; `point` is WGS-84, `shown` as the clerk gave it."""
    district_place = district_codes(district) if district.strip() else None
    if district.strip() and district_place is None:
        notes.append(note("district_unknown", "district", "warning", text=district.strip()[:30],
                          hint=_district_hint(district.strip(), scope)))
    clues = Clues(adcode="", district=district_place, address=named_in(address), point=point)
    if adcode.strip():
        code = _given(adcode, clues, notes)
        if code is None:
            return None
        clues.adcode = code
        if not divisions.contains(scope, code):
            notes.append(note("outside_scope", "adcode", code=code, name=name_of(code), scope=scope,
                              scope_name=name_of(_scope_code(scope))))
            return None
        if not _consistent(code, clues, address, notes):
            return None
    else:
        derived = _derived(clues, scope, address, notes)
        if derived is None:
            return None
        code = derived
    if point is not None and not clues.inside(code):
        _outside(code, clues, shown, notes)
        return None
    return code
