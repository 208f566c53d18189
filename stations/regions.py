"""Region codes: 6-digit administrative division codes (adcode), validated by province."""

from __future__ import annotations

import re
import unicodedata

from stations import divisions
from stations.errors import InvalidRegion

PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}
"""Province-level prefixes of GB/T 2260 codes."""

_ADCODE = re.compile(r"^\d{6}$")


def validate_adcode(code: str | int) -> str:
    """Return the normalised 6-digit adcode or raise InvalidRegion saying what is wrong."""
    text = unicodedata.normalize("NFKC", str(code)).strip()
    if not _ADCODE.match(text):
        raise InvalidRegion(f"region code {text!r} must be 6 digits (e.g. 620102 for 兰州市城关区)")
    if text[:2] not in PROVINCES:
        raise InvalidRegion(
            f"region code {text} is not a known adcode: {text[:2]} is no province "
            f"(valid prefixes: {', '.join(sorted(PROVINCES))})"
        )
    if text[2:] != "0000" and text[2:4] == "00":
        raise InvalidRegion(f"region code {text} is not a known adcode: city digits 00 with a county part")
    return text


def province_of(code: str) -> str:
    """The province name of a valid adcode."""
    return PROVINCES[code[:2]]


def region_prefix(region: str | None) -> str:
    """The adcode prefix matching a region and everything in it ('' = the whole country); see divisions.contains."""
    if not region:
        return ""
    return divisions.region_prefix(validate_adcode(region))
