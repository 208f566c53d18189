"""Unified sign codes: region + kind letter + serial, allocated atomically and never reused; given ones checked."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy.orm import Session

from stations import divisions
from stations.db import bulk
from stations.errors import InvalidInput
from stations.reference import SIGN_KIND_LETTER, Kind


def format_sign_code(*, adcode: str, kind: Kind, serial: int) -> str:
    """The printed code, e.g. 620102-Y-00017."""
    return f"{adcode}-{SIGN_KIND_LETTER[kind]}-{serial:05d}"


def allocate(*, session: Session, adcode: str, kind: Kind, count: int = 1) -> list[str]:
    """Reserve `count` consecutive new sign codes for a region and kind (row-locked, so race-free)."""
    first = bulk.allocate_serials(connection=session.connection(), counts={(adcode, kind.value): count})
    start = first[(adcode, kind.value)]
    return [format_sign_code(adcode=adcode, kind=kind, serial=s) for s in range(start, start + count)]


_FORMAT = re.compile(r"^(?P<region>\d{6})-(?P<letter>[A-Z])-(?P<serial>\d{5,8})$")
EXAMPLE = "620102-Y-00017"


def check(code: str, *, adcode: str, kind: Kind) -> str:
    """A given sign code, checked: the project's format (region-kind letter-serial), the region part the station's
    region code or one inside it, the letter the kind's; InvalidInput (in Chinese) saying what to fix."""
    text = unicodedata.normalize("NFKC", code).strip().upper()
    match = _FORMAT.match(text)
    letter = SIGN_KIND_LETTER[kind]
    if match is None:
        raise InvalidInput(
            f"标识编号 {code[:40]!r} 格式不对：应为 6位行政区划代码-类型字母-5位以上序号，如 {EXAMPLE} "
            f"(sign code must look like {EXAMPLE}); 留空则自动生成"
        )
    region = match["region"]
    if not divisions.contains(adcode, region):
        raise InvalidInput(
            f"标识编号 {text} 的地区 {region} 不在站点所在地区 {adcode} 内 (the sign code's region must be the "
            f"station's region code or lie inside it); 留空则自动生成"
        )
    if match["letter"] != letter:
        raise InvalidInput(
            f"标识编号 {text} 的类型字母 {match['letter']} 与站点类型不符，应为 {letter} "
            f"(驿站 Y, 妈妈小屋 M, 书屋 S)"
        )
    return text
