"""The import columns: Chinese and English headers, and the downloadable template."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font


@dataclass(frozen=True)
class Column:
    """One importable field with its template header, English header and accepted aliases."""

    field: str
    zh: str
    en: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("name", "站点名称", "name", True, ("名称", "站点名", "阵地名称"), "城关区示例户外劳动者驿站"),
    Column("kind", "类型", "kind", True, ("站点类型", "阵地类型"), "户外劳动者服务站点"),
    Column("address", "地址", "address", True, ("详细地址",), "甘肃省兰州市城关区示例路1号"),
    Column("lon", "经度", "lon", True, ("longitude", "lng"), "103.8343"),
    Column("lat", "纬度", "lat", True, ("latitude",), "36.0611"),
    Column("crs", "坐标系", "crs", False, ("坐标系统",), "WGS84"),
    Column("hours", "开放时间", "hours", False, ("opening_hours", "营业时间"), "Mo-Su 08:00-20:00"),
    Column("self_service_hours", "自助开放时间", "self_service_hours", False, (), "22:00-08:00"),
    Column("amenities", "服务设施", "amenities", False, ("设施", "配套设施"), "饮水;微波炉;手机充电"),
    Column("phone", "联系电话", "phone", False, ("电话",), "0931-0000001"),
    Column("adcode", "行政区划代码", "adcode", True, ("区划代码", "行政区划"), "620102"),
    Column("sign_code", "标识编号", "sign_code", False, ("标识码",), ""),
    Column("manager_name", "负责人", "manager_name", False, ("管理员",), ""),
    Column("manager_phone", "负责人电话", "manager_phone", False, ("管理员电话",), ""),
    Column("host_unit", "依托单位", "host_unit", False, ("承建单位",), ""),
    Column("managing_union", "主管工会", "managing_union", False, ("所属工会",), ""),
    Column("capacity", "容纳人数", "capacity", False, (), ""),
    Column("area_m2", "面积(平方米)", "area_m2", False, ("面积",), ""),
)
REQUIRED = tuple(c.field for c in COLUMNS if c.required)


def _key(header: str) -> str:
    return unicodedata.normalize("NFKC", header).strip().casefold().replace(" ", "").replace("（", "(")


_BY_HEADER = {_key(h): c.field for c in COLUMNS for h in (c.zh, c.en, c.field, *c.aliases)}


def field_of(header: str) -> str | None:
    """The field a header names (Chinese, English or an alias), or None."""
    return _BY_HEADER.get(_key(header))


def template_csv() -> bytes:
    """The template as UTF-8 CSV with a BOM (so Excel opens it as UTF-8), with one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.zh for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The template as an XLSX workbook: Chinese headers, an example row, English names in a second sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "站点"
    sheet.append([c.zh for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = book.create_sheet("说明")
    help_sheet.append(["表头", "English header", "必填", "示例"])
    for c in COLUMNS:
        help_sheet.append([c.zh, c.en, "是" if c.required else "", c.example])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
