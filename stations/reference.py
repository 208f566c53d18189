"""The controlled vocabularies: kinds, amenities per kind, access methods, statuses (zh + en labels)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The three kinds of service point."""

    OUTDOOR_STATION = "outdoor_station"
    MOTHERS_ROOM = "mothers_room"
    READING_ROOM = "reading_room"


def unknown_kind(values: Iterable[str]) -> str | None:
    """What is wrong with the first value that is not a kind code, listing the valid ones; None when all are.
    (Callers raise it as their API asks: 422 for our endpoints, 400 for OGC API.)"""
    for value in values:
        if value not in _KIND_CODES:
            return f"unknown kind {value!r}; valid kinds: {', '.join(_KIND_CODES)}"
    return None


_KIND_CODES = tuple(kind.value for kind in Kind)


class Status(StrEnum):
    """Whether a point is serving."""

    ACTIVE = "active"
    TEMPORARILY_CLOSED = "temporarily_closed"
    CLOSED = "closed"


class AccessMethod(StrEnum):
    """How a worker gets in, above all outside staffed hours."""

    OPEN_DOOR = "open_door"
    QR_SCAN = "qr_scan"
    FACE = "face"
    CARD = "card"
    CODE = "code"


class SignCondition(StrEnum):
    """State of the unified sign plate."""

    GOOD = "good"
    WORN = "worn"
    DAMAGED = "damaged"
    MISSING = "missing"


class Provider(StrEnum):
    """Map providers we list points on."""

    AMAP = "amap"
    BAIDU = "baidu"
    TENCENT = "tencent"


class ListingStatus(StrEnum):
    """Where a point stands on one provider's map (双上图 tracking)."""

    NOT_LISTED = "not_listed"
    SUBMITTED = "submitted"
    LISTED = "listed"
    REJECTED = "rejected"


class DemonstrationLevel(StrEnum):
    """Demonstration-site rank, used for reading rooms (示范点)."""

    NONE = "none"
    PROVINCIAL = "provincial"
    NATIONAL = "national"


@dataclass(frozen=True)
class Term:
    """One vocabulary entry with its Chinese and English labels."""

    code: str
    zh: str
    en: str


KIND_LABELS: dict[Kind, Term] = {
    Kind.OUTDOOR_STATION: Term("outdoor_station", "户外劳动者服务站点", "Outdoor worker station"),
    Kind.MOTHERS_ROOM: Term("mothers_room", "爱心妈妈小屋", "Mothers' room"),
    Kind.READING_ROOM: Term("reading_room", "职工书屋", "Worker reading room"),
}

ACCESS_LABELS: dict[AccessMethod, Term] = {
    AccessMethod.OPEN_DOOR: Term("open_door", "直接进门", "Door open"),
    AccessMethod.QR_SCAN: Term("qr_scan", "扫码开门", "Scan QR code"),
    AccessMethod.FACE: Term("face", "刷脸开门", "Face scan"),
    AccessMethod.CARD: Term("card", "刷卡开门", "Card"),
    AccessMethod.CODE: Term("code", "密码开门", "Door code"),
}
"""How a worker gets in, as the map, the sign and the exports say it."""

SIGN_KIND_LETTER: dict[Kind, str] = {Kind.OUTDOOR_STATION: "Y", Kind.MOTHERS_ROOM: "M", Kind.READING_ROOM: "S"}
"""The kind letter inside a unified sign code (驿站 Y, 妈妈小屋 M, 书屋 S)."""

_COMMON = [
    Term("drinking_water", "饮水", "Drinking water"),
    Term("toilet", "卫生间", "Toilet"),
    Term("seating", "座椅", "Seats"),
    Term("wifi", "无线网络", "Wi-Fi"),
    Term("air_conditioning", "空调", "Air conditioning"),
    Term("heating", "取暖", "Heating"),
    Term("phone_charging", "手机充电", "Phone charging"),
]

AMENITIES: dict[Kind, tuple[Term, ...]] = {
    Kind.OUTDOOR_STATION: (
        *_COMMON,
        Term("microwave", "微波炉", "Microwave"),
        Term("ebike_charging", "电动车充电", "E-bike charging"),
        Term("battery_swap", "换电", "Battery swap"),
        Term("first_aid", "药箱", "First-aid kit"),
        Term("aed", "AED", "AED defibrillator"),
        Term("rain_gear", "雨具", "Rain gear"),
        Term("books", "图书", "Books"),
        Term("repair_kit", "维修工具", "Repair tools"),
        Term("legal_aid", "法律援助", "Legal aid"),
        Term("meals", "爱心餐", "Low-cost meals"),
        Term("refrigerator", "冰箱", "Refrigerator"),
        Term("hot_water", "热水", "Hot water"),
    ),
    Kind.MOTHERS_ROOM: (
        *_COMMON,
        Term("nursing_chair", "哺乳椅", "Nursing chair"),
        Term("refrigerator", "冰箱", "Refrigerator for milk"),
        Term("sink", "洗手池", "Sink"),
        Term("changing_table", "尿布台", "Changing table"),
        Term("power_outlet", "电源插座", "Power outlet"),
        Term("lockable_door", "门锁", "Lockable door"),
        Term("privacy_curtain", "隔帘", "Privacy curtain"),
        Term("hot_water", "热水", "Hot water"),
    ),
    Kind.READING_ROOM: (
        *_COMMON,
        Term("books", "图书", "Books"),
        Term("e_reading", "电子阅读", "E-reading"),
        Term("study_desk", "自习桌", "Study desks"),
        Term("periodicals", "报刊", "Newspapers and magazines"),
        Term("computer", "电脑", "Computers"),
    ),
}


def amenity_codes(kind: Kind) -> frozenset[str]:
    """The amenity codes valid for a kind."""
    return frozenset(term.code for term in AMENITIES[kind])


def all_amenity_codes() -> frozenset[str]:
    """Every amenity code of any kind."""
    return frozenset(term.code for terms in AMENITIES.values() for term in terms)


def amenity_by_label(kind: Kind, label: str) -> Term | None:
    """The amenity of a kind named by its code, Chinese or English label, or None."""
    wanted = label.strip().casefold()
    for term in AMENITIES[kind]:
        if wanted in (term.code, term.zh.casefold(), term.en.casefold()):
            return term
    return None


def amenity_term(kind: Kind, code: str) -> Term:
    """The vocabulary entry for a code known valid for the kind."""
    return next(term for term in AMENITIES[kind] if term.code == code)
