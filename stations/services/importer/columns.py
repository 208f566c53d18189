"""The one reference of import headers: every field with the Chinese and English names clerks give it, the datum a
coordinate header may state, and the columns the import knows and does not use (with why).

A header is compared after NFKC (full-width brackets, letters and digits folded), with spaces, line breaks and
required-field stars removed and case folded. A trailing bracket (`经度(高德)`, `面积（平方米）`, `地址【必填】`)
qualifies the name: a datum word in it sets the column's coordinate system, anything else is a unit or a remark.
A datum word before the name (`高德经度`, `GPS纬度`) counts the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stations.geo.crs import Crs


@dataclass(frozen=True)
class Column:
    """One importable field: its template header, English header, the aliases clerks use, and a template example."""

    field: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    example: str = ""
    in_template: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("name", "站点名称", "name", ("名称", "站点名", "站名", "阵地名称", "驿站名称", "服务站点名称", "站点全称",
                                      "小屋名称", "妈妈小屋名称", "书屋名称", "职工书屋名称", "station name",
                                      "station_name"),
           "城关区示例户外劳动者驿站"),
    Column("kind", "类型", "kind", ("站点类型", "阵地类型", "类别", "站点类别", "type"), "户外劳动者服务站点"),
    Column("address", "地址", "address", ("详细地址", "站点地址", "具体地址", "所在地址", "地点", "位置", "站点位置",
                                         "详细位置", "所在位置"), "甘肃省兰州市城关区示例路1号"),
    Column("district", "所属区县", "district", ("区县", "行政区", "所在区县", "所属区域", "区域", "所属地区", "县区",
                                             "所属县区", "区(县)", "县(区)", "区/县", "县(市、区)", "county"),
           "城关区"),
    Column("lon", "经度", "lon", ("东经", "longitude", "lng", "long", "x坐标"), "103.8343"),
    Column("lat", "纬度", "lat", ("北纬", "latitude", "y坐标"), "36.0611"),
    Column("lonlat", "经纬度", "lonlat", ("坐标", "经纬度坐标", "位置坐标", "坐标(经度,纬度)", "coordinates"), "",
           in_template=False),
    Column("crs", "坐标系", "crs", ("坐标系统", "坐标类型", "坐标来源", "datum"), "WGS84"),
    Column("hours", "开放时间", "hours", ("营业时间", "服务时间", "开放时段", "开放时间段", "工作时间",
                                        "开放时间(时段)", "opening_hours"), "Mo-Su 08:00-20:00"),
    Column("self_service_hours", "自助开放时间", "self_service_hours", ("自助时间", "无人值守时间", "夜间开放时间",
                                                                    "自助开放时段"), "22:00-08:00"),
    Column("amenities", "服务设施", "amenities", ("设施", "配套设施", "服务功能", "功能", "配备设施", "设施设备",
                                                 "服务项目"), "饮水;微波炉;手机充电"),
    Column("phone", "联系电话", "phone", ("电话", "联系方式", "手机", "手机号", "手机号码", "服务电话", "联系电话/手机",
                                         "tel", "telephone"), "0931-0000001"),
    Column("adcode", "行政区划代码", "adcode", ("区划代码", "行政区划", "行政区代码", "区域代码", "行政代码",
                                               "region code"), "620102"),
    Column("sign_code", "标识编号", "sign_code", ("标识码", "统一标识编号", "标识牌编号", "统一标识编码", "标识编码",
                                                 "sign code"), ""),
    Column("sign_installed", "是否悬挂统一标识", "sign_installed", ("是否悬挂标识", "悬挂统一标识", "统一标识",
                                                            "是否挂牌", "是否已挂牌", "已挂牌", "挂牌情况",
                                                            "sign installed"), "是"),
    Column("opened_on", "建成时间", "opened_on", ("建成日期", "建设时间", "建站时间", "启用时间", "启用日期",
                                                 "投入使用时间", "开放日期", "opened"), "2024-05-01"),
    Column("manager_name", "负责人", "manager_name", ("管理员", "站长", "联系人", "负责人姓名", "manager"), ""),
    Column("manager_phone", "负责人电话", "manager_phone", ("管理员电话", "站长电话", "联系人电话", "负责人联系电话",
                                                       "负责人手机"), ""),
    Column("host_unit", "依托单位", "host_unit", ("承建单位", "建设单位", "所在单位", "依托场所", "host unit"), ""),
    Column("managing_union", "主管工会", "managing_union", ("所属工会", "管理工会", "managing union"), ""),
    Column("capacity", "容纳人数", "capacity", ("可容纳人数", "容量", "容纳人数(人)"), ""),
    Column("area_m2", "面积(平方米)", "area_m2", ("面积", "使用面积", "建筑面积", "面积(㎡)", "面积(m2)", "area"), ""),
)
BY_FIELD = {c.field: c for c in COLUMNS}
REQUIRED = ("name", "address")
"""Fields a file must have columns for; kind and region code may come from elsewhere, coordinates from 经纬度."""

UNUSED: dict[str, tuple[str, str]] = {
    "seq": ("这是序号，系统自己给站点编号", "a row number: the registry numbers stations itself"),
    "remarks": ("站点没有备注字段，需要保存的内容请写入对应的列", "stations have no remarks: put what matters into the "
                "matching column"),
}
"""Known columns the import does not use, with why (Chinese, English)."""
_UNUSED_NAMES = {"序号": "seq", "编号": "seq", "no": "seq", "no.": "seq", "#": "seq", "序": "seq",
                 "备注": "remarks", "说明": "remarks", "remarks": "remarks", "notes": "remarks"}

DATUMS: dict[str, Crs] = {
    "wgs84": Crs.WGS84, "wgs-84": Crs.WGS84, "gps": Crs.WGS84, "北斗": Crs.WGS84, "天地图": Crs.WGS84,
    "cgcs2000": Crs.WGS84, "2000坐标": Crs.WGS84, "国家2000": Crs.WGS84,
    "gcj02": Crs.GCJ02, "gcj-02": Crs.GCJ02, "高德": Crs.GCJ02, "腾讯": Crs.GCJ02, "火星": Crs.GCJ02, "微信": Crs.GCJ02,
    "bd09": Crs.BD09, "bd-09": Crs.BD09, "百度": Crs.BD09,
}
"""Words naming a coordinate system, in a header or a 坐标系 cell (CGCS2000 and BeiDou differ from WGS-84 by cm)."""
_DATUM_WORDS = sorted(DATUMS, key=len, reverse=True)
_FILLER = re.compile(r"坐标系?|地图|系统|数据|[()_\-:：]")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "{": "(", "}": ")"})
_TRAILING = re.compile(r"^(?P<base>.+?)\((?P<note>[^()]*)\)$")


def key(text: str) -> str:
    """A header as compared: NFKC, brackets unified, spaces, line breaks and stars removed, case folded."""
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS)
    return re.sub(r"[\s*＊]+", "", folded).casefold()


_BY_KEY = {key(h): c.field for c in COLUMNS for h in (c.zh, c.en, c.field, *c.aliases)}
_POSITION = ("lon", "lat", "lonlat")


@dataclass(frozen=True)
class Meaning:
    """What a header means: the field it fills (None if none), the datum it states, and if unused, why."""

    field: str | None
    crs: Crs | None = None
    unused: str | None = None
    """A key of UNUSED for known columns the import leaves out."""


def datum_in(text: str) -> Crs | None:
    """The coordinate system a header, title or cell names (高德 -> GCJ-02), or None."""
    folded = key(text)
    return next((DATUMS[w] for w in _DATUM_WORDS if w in folded), None)


def crs_word(text: str) -> Crs | None:
    """The coordinate system a 坐标系 cell names exactly (WGS84, 高德坐标, BD-09...), or None."""
    folded = _FILLER.sub("", key(text))
    return DATUMS.get(folded) or (datum_in(text) if folded and len(folded) <= 6 else None)


def understand(header: str) -> Meaning:
    """The meaning of one header cell as a clerk wrote it."""
    whole = key(header)
    if not whole:
        return Meaning(None)
    if whole in _BY_KEY:
        return _position(_BY_KEY[whole], header)
    if whole in _UNUSED_NAMES:
        return Meaning(None, unused=_UNUSED_NAMES[whole])
    trailing = _TRAILING.match(whole)
    if trailing and (base := trailing.group("base")) in _BY_KEY:
        return _position(_BY_KEY[base], header)
    for word in _DATUM_WORDS:  # 高德经度, GPS纬度, 经度_百度坐标
        if word in whole:
            rest = _FILLER.sub("", whole.replace(word, "", 1))
            if _BY_KEY.get(rest) in _POSITION:
                return Meaning(_BY_KEY[rest], DATUMS[word])
    return Meaning(None)


def _position(field: str, header: str) -> Meaning:
    return Meaning(field, datum_in(header) if field in _POSITION else None)


def closest(header: str) -> str | None:
    """The template header most like an unknown one (for a suggestion), or None."""
    import difflib

    names = [c.zh for c in COLUMNS] + [a for c in COLUMNS for a in c.aliases if not a.isascii()]
    found = difflib.get_close_matches(key(header), names, n=1, cutoff=0.6)
    if not found:
        return None
    field = _BY_KEY[key(found[0])]
    return BY_FIELD[field].zh
