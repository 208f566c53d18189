"""Checking one imported row: every problem with its field, message and a suggestion."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import ValidationError

from stations.errors import InvalidCoordinates, StationsError
from stations.geo.crs import Crs
from stations.geo.validation import parse_coordinate, validate_lonlat
from stations.hours import parse_hours, suggest_from_prose
from stations.reference import AMENITIES, KIND_LABELS, Kind, amenity_by_label
from stations.schemas.station import StationCreate
from stations.services.importer.columns import COLUMNS
from stations.services.registry import signcodes
from stations.services.registry.stations import check_placement, check_point

HEADER = {c.field: c.zh for c in COLUMNS}
_KIND_WORDS = {"驿站": Kind.OUTDOOR_STATION, "工会驿站": Kind.OUTDOOR_STATION, "户外劳动者驿站": Kind.OUTDOOR_STATION,
               "妈妈小屋": Kind.MOTHERS_ROOM, "母婴室": Kind.MOTHERS_ROOM, "书屋": Kind.READING_ROOM}
_CRS_WORDS = {"wgs84": Crs.WGS84, "wgs-84": Crs.WGS84, "gps": Crs.WGS84, "gcj02": Crs.GCJ02, "gcj-02": Crs.GCJ02,
              "高德": Crs.GCJ02, "腾讯": Crs.GCJ02, "火星坐标": Crs.GCJ02, "bd09": Crs.BD09, "bd-09": Crs.BD09,
              "百度": Crs.BD09}
_SPLIT = re.compile(r"[;；,，、/|\s]+")


@dataclass
class Issue:
    """One problem in one row: `error` rejects the row, `warning` and `note` do not."""

    row: int
    field: str
    problem: str
    suggestion: str = ""
    level: str = "error"


@dataclass
class CheckedRow:
    """A row after checking: the station to create (None if rejected) and its issues."""

    number: int
    data: StationCreate | None
    issues: list[Issue] = field(default_factory=list)
    duplicate_of: str | None = None


def kind_of(text: str) -> Kind | None:
    """The kind named by a code, a Chinese or English label or a common short name."""
    wanted = unicodedata.normalize("NFKC", text).strip().casefold()
    for kind, term in KIND_LABELS.items():
        if wanted in (kind.value, term.zh, term.en.casefold()):
            return kind
    return _KIND_WORDS.get(wanted)


def crs_of(text: str, default: Crs) -> Crs | None:
    """The coordinate system a cell names (WGS84, GCJ02, BD09, 高德, 百度...), the default when blank."""
    wanted = unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "")
    return default if not wanted else _CRS_WORDS.get(wanted)


@lru_cache(maxsize=4096)
def _hours_problem(text: str) -> tuple[str, str] | None:
    try:
        parse_hours(text)
    except StationsError as exc:
        first = exc.message.split(": Failed to parse")[0].splitlines()[0]  # the parser's caret diagram stays out
        hint = suggest_from_prose(text) or "按 opening_hours 格式填写，如 Mo-Su 08:00-20:00"
        return f"开放时间格式不对: {first}", hint
    return None


class _Row:
    """Collects the issues of one row while converting its cells."""

    def __init__(self, number: int, values: dict[str, str]) -> None:
        self.number, self.values, self.issues = number, dict(values), list[Issue]()

    def add(self, name: str, problem: str, suggestion: str = "", level: str = "error") -> None:
        self.issues.append(Issue(self.number, HEADER.get(name, name), problem, suggestion, level))

    def folded(self, name: str) -> str:
        raw = self.values.get(name, "")
        folded = unicodedata.normalize("NFKC", raw).strip()
        if folded != raw.strip():
            self.add(name, f"全角字符已转换为半角: {raw.strip()!r} → {folded!r}", level="note")
        return folded

    @property
    def ok(self) -> bool:
        return not any(i.level == "error" for i in self.issues)


def _coordinates(row: _Row, crs: Crs) -> tuple[float, float] | None:
    lon_text, lat_text = row.folded("lon"), row.folded("lat")
    if not lon_text or not lat_text:
        row.add("lon", "缺少经纬度 (no coordinates)", "在地图上取点后填写经度和纬度 (decimal degrees)")
        return None
    try:
        lon, lat = parse_coordinate(lon_text), parse_coordinate(lat_text)
        return validate_lonlat(lon, lat, crs=crs)
    except InvalidCoordinates as exc:
        hint = f"经度 {lat_text}, 纬度 {lon_text}" if "swapped" in exc.message else "检查数字与坐标系"
        row.add("lon", exc.message, hint)
        return None


def _amenities(row: _Row, kind: Kind) -> list[str]:
    codes: list[str] = []
    labels = [t.zh for t in AMENITIES[kind]]
    for given in filter(None, _SPLIT.split(row.folded("amenities"))):
        term = amenity_by_label(kind, given)
        if term is None:
            close = [x for x in labels if x in given] or difflib.get_close_matches(given, labels, n=1, cutoff=0.5)
            row.add("amenities", f"未知服务设施 {given!r}，已忽略；可选: {'、'.join(labels)}",
                    f"改为 {close[0]}" if close else "", level="warning")
        elif term.code not in codes:
            codes.append(term.code)
    return codes


def _region_checks(row: _Row, *, adcode: str, point: tuple[float, float], crs: Crs, kind: Kind | None) -> None:
    """The point inside the row's region, and a given sign code well-formed, of that region and kind."""
    try:
        check_point(adcode=adcode, lon=point[0], lat=point[1], crs=crs)
    except StationsError as exc:
        row.add("lon", exc.message, "核对经纬度与坐标系，或行政区划代码")
    given = row.values.get("sign_code", "").strip()
    if given and kind is not None:
        try:
            row.values["sign_code"] = signcodes.check(given, adcode=adcode, kind=kind)
        except StationsError as exc:
            row.add("sign_code", exc.message, "留空则自动生成")


def check_row(
    number: int, values: dict[str, str], *, formulas: list[str], default_crs: Crs, scope: str
) -> CheckedRow:
    """Check one row and build the station it describes; problems are reported, never raised."""
    row = _Row(number, values)
    for formula in formulas:
        row.add(formula, "公式单元格没有保存的值 (formula without a saved value)", "在 Excel 中另存为，或粘贴为数值")
    kind = kind_of(values.get("kind", ""))
    if kind is None:
        row.add("kind", f"未知类型 {values.get('kind', '')!r}", "、".join(t.zh for t in KIND_LABELS.values()))
    crs = crs_of(values.get("crs", ""), default_crs)
    if crs is None:
        row.add("crs", f"未知坐标系 {values['crs']!r}", "WGS84 (GPS)、GCJ02 (高德/腾讯)、BD09 (百度)")
    adcode, placed = row.folded("adcode"), False
    try:
        adcode = check_placement(adcode=adcode, address=values.get("address", ""), scope=scope, what=f"row {number}")
        placed = True
    except StationsError as exc:
        row.add("adcode", exc.message, "填写6位行政区划代码，如 620102 (兰州市城关区)")
    point = _coordinates(row, crs or default_crs)
    if placed and point is not None:
        _region_checks(row, adcode=adcode, point=point, crs=crs or default_crs, kind=kind)
    hours = values.get("hours", "").strip() or "24/7"
    for name, text in (("hours", hours), ("self_service_hours", values.get("self_service_hours", "").strip())):
        problem = _hours_problem(text) if text else None
        if problem:
            row.add(name, *problem)
    amenities = _amenities(row, kind) if kind else []
    if not values.get("name", "").strip():
        row.add("name", "缺少站点名称 (name is empty)")
    if not row.ok or kind is None or point is None or crs is None:
        return CheckedRow(number, None, row.issues)
    return _build(row, kind=kind, crs=crs, point=point, adcode=adcode, hours=hours, amenities=amenities)


def _build(
    row: _Row, *, kind: Kind, crs: Crs, point: tuple[float, float], adcode: str, hours: str, amenities: list[str]
) -> CheckedRow:
    values = row.values
    optional = {f: values[f].strip() for f in ("self_service_hours", "phone", "manager_name", "manager_phone",
                                               "host_unit", "managing_union", "sign_code") if values.get(f, "").strip()}
    for number_field in ("capacity", "area_m2"):
        if values.get(number_field, "").strip():
            optional[number_field] = row.folded(number_field)
    try:
        data = StationCreate.model_validate({
            **optional, "kind": kind, "name": values["name"], "address": values.get("address", ""), "adcode": adcode,
            "lon": point[0], "lat": point[1], "crs": crs, "hours": hours, "amenities": amenities,
        })
    except ValidationError as exc:
        for err in exc.errors():
            row.add(str(err["loc"][0]) if err["loc"] else "row", str(err["msg"]))
        return CheckedRow(row.number, None, row.issues)
    return CheckedRow(row.number, data, row.issues)
