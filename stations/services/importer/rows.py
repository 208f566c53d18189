"""Checking one imported row: every problem as a note naming its column, and the station the row describes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from stations.errors import StationsError
from stations.geo.crs import Crs, to_wgs84
from stations.reference import KIND_LABELS, Kind
from stations.schemas.station import StationCreate
from stations.services.importer import cells, coordinates, kinds
from stations.services.importer.columns import crs_word
from stations.services.importer.messages import Note, Text
from stations.services.importer.placing import place_row
from stations.services.registry import signcodes

LONGEST = {"name": 200, "address": 300, "phone": 40, "manager_name": 80, "manager_phone": 40, "host_unit": 200,
           "managing_union": 200}
CRS_WORDS = {Crs.WGS84: Text("WGS-84（GPS）", "WGS-84 (GPS)"), Crs.GCJ02: Text("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, "
             "Tencent)"), Crs.BD09: Text("BD-09（百度）", "BD-09 (Baidu)")}
_PASTE_CRS = {Crs.WGS84: "WGS84", Crs.GCJ02: "GCJ02", Crs.BD09: "BD09"}


@dataclass(frozen=True)
class Context:
    """What holds for every row of a file: the importer's region, the coordinate system the header or the upload
    states (None: not stated), the kind for rows without one, and whether the file has a kind column."""

    scope: str
    crs: Crs | None = None
    crs_header: str = ""
    kind: Kind | None = None
    title_kind: Kind | None = None


@dataclass
class CheckedRow:
    """A row after checking: the station to create (None if rejected), its notes, what it duplicates, and where it
    is (WGS-84, read as WGS-84 when no system was stated: `assumed`) with its region code, for the file's checks."""

    number: int
    data: StationCreate | None
    notes: list[Note] = dataclasses.field(default_factory=list)
    duplicate_of: str | None = None
    point: tuple[float, float] | None = None
    code: str | None = None
    assumed: bool = False
    matched_probe: int | None = None
    """Which registry probe found this row's twin (registered.AT, AS_GCJ02, AS_WGS84), if one did."""
    shifts: tuple[tuple[float, float], tuple[float, float]] | None = None
    """`duplicates.row_shifts`: the point read in the other datum either way, once computed."""

    def add(self, note: Note) -> None:
        """Attach a note to this row."""
        note.rows = [self.number]
        self.notes.append(note)


def _kind(values: dict[str, str], context: Context, notes: list[Note]) -> Kind | None:
    text = values.get("kind", "").strip()
    if text:
        kind = kinds.of_cell(text)
        if kind is None:
            close = kinds.of_name(text)
            hint = KIND_LABELS[close].zh if close else KIND_LABELS[Kind.OUTDOOR_STATION].zh
            notes.append(Note("kind_unknown", field="kind", params={"value": text[:30], "hint": hint}))
        return kind
    if context.kind is not None:
        return context.kind
    from_name = kinds.of_name(values.get("name", ""))
    if from_name is not None and from_name is not context.title_kind:
        notes.append(Note("kind_from_name", "note", field="kind",
                          params={"kind": kinds.label(from_name), "paste": KIND_LABELS[from_name].zh}))
    if from_name is None and context.title_kind is None:
        notes.append(Note("kind_unsure", field="kind"))
    return from_name or context.title_kind


def _crs(values: dict[str, str], context: Context, notes: list[Note]) -> tuple[Crs | None, bool]:
    """The row's coordinate system and whether it was assumed (nothing stated it)."""
    text = values.get("crs", "").strip()
    if not text:
        return (context.crs, False) if context.crs else (Crs.WGS84, True)
    crs = crs_word(text)
    if crs is None:
        notes.append(Note("crs_unknown", field="crs", params={"value": text[:20]}))
    elif context.crs_header and context.crs and crs is not context.crs:
        notes.append(Note("crs_conflict", field="crs", params={
            "row_crs": CRS_WORDS[crs], "header": context.crs_header, "header_crs": CRS_WORDS[context.crs],
            "header_word": _PASTE_CRS[context.crs]}))
        return None, False
    return crs, False


def _point(values: dict[str, str], crs: Crs, notes: list[Note]) -> tuple[float, float] | None:
    lon_text, lat_text, field = values.get("lon", "").strip(), values.get("lat", "").strip(), "lon"
    if not (lon_text or lat_text) and values.get("lonlat", "").strip():
        pair = coordinates.split_pair(values["lonlat"], notes)
        if pair is None:
            return None
        (lon_text, lat_text), field = pair, "lonlat"
    if not lon_text or not lat_text:
        notes.append(Note("coords_missing", field=field))
        return None
    lon, lat = coordinates.number(lon_text, notes, field), coordinates.number(lat_text, notes, field)
    if lon is None or lat is None:
        return None
    return coordinates.checked(lon, lat, crs, notes, field)


def _texts(values: dict[str, str], notes: list[Note]) -> dict[str, str]:
    out = {}
    for name, most in LONGEST.items():
        text = " ".join(values.get(name, "").split())
        if len(text) > most:
            notes.append(Note("too_long", field=name, params={"value": text[:20] + "…", "most": most}))
        elif text:
            out[name] = text
    return out


def _optional(values: dict[str, str], kind: Kind, code: str, notes: list[Note]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if text := values.get("sign_code", "").strip():
        try:
            out["sign_code"] = signcodes.check(text, adcode=code, kind=kind)
        except StationsError as exc:
            zh, _, en = exc.message.partition(" (")
            notes.append(Note("sign_code_bad", field="sign_code", params={"why": zh, "why_en": en.rstrip(")") or zh}))
    if text := values.get("sign_installed", "").strip():
        out["sign_installed"] = cells.yes_no(text, notes)
    if (text := values.get("opened_on", "").strip()) and (day := cells.a_date(text, "opened_on", notes)):
        out["opened_on"] = day
    for name, what, whole in (("capacity", Text("人数", "a head count"), True),
                              ("area_m2", Text("面积（平方米）", "an area in m²"), False)):
        if (text := values.get(name, "").strip()) and (value := cells.a_number(text, name, what, notes, whole=whole)):
            out[name] = int(value) if whole else value
    return out


def check_row(number: int, values: dict[str, str], *, formulas: list[str], context: Context) -> CheckedRow:
    """Check one row and build the station it describes; problems are noted, never raised."""
    notes = [Note("formula", field=name) for name in formulas]
    texts = _texts(values, notes)
    for name, code in (("name", "name_missing"), ("address", "address_missing")):
        if not values.get(name, "").strip():
            notes.append(Note(code, field=name))
    kind = _kind(values, context, notes)
    crs, assumed = _crs(values, context, notes)
    given = _point(values, crs, notes) if crs else None
    point = to_wgs84(*given, crs) if given and crs else None
    shown = (str(given[0]), str(given[1]), crs.value) if given and crs else ("", "", "")
    place = place_row(adcode=values.get("adcode", ""), district=values.get("district", ""),
                      address=values.get("address", ""), point=point, shown=shown, scope=context.scope, notes=notes)
    hours = cells.hours(values.get("hours", ""), "hours", notes, required=True)
    self_hours = cells.hours(values.get("self_service_hours", ""), "self_service_hours", notes, required=False)
    amenities = cells.amenities(values.get("amenities", ""), kind, notes) if kind else []
    optional = _optional(values, kind, place, notes) if kind and place else {}
    row = CheckedRow(number, None, point=point, code=place, assumed=assumed)
    for note in notes:
        row.add(note)
    if any(n.level == "error" for n in notes) or not (kind and crs and given and place and hours):
        return row
    fields = {**texts, **optional, "kind": kind, "adcode": place, "lon": given[0], "lat": given[1], "crs": crs,
              "hours": hours, "self_service_hours": self_hours, "amenities": amenities}
    try:
        row.data = StationCreate.model_validate(fields)
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            row.add(Note("invalid", field=name, params={"what": name, "what_en": name, "detail": str(err["msg"])}))
    return row
