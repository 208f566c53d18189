"""Weather alerts as reference data: types, colour levels, what fits each type, and the labour guidance per level.

China's heat signals are yellow (35 °C or more for three days), orange (37 °C within 24 h) and red (40 °C within
24 h); cold waves run blue to red. The labour guidance is the outdoor-work rule of 《防暑降温措施管理办法》 for
35, 37 and 40 °C (heat) and a plain reminder for the other types.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AlertType(StrEnum):
    """What the alert warns of."""

    HEAT = "heat"
    COLD = "cold"
    RAINSTORM = "rainstorm"
    TYPHOON = "typhoon"


class Level(StrEnum):
    """The signal's colour, lowest first."""

    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"


RANK = {level: n for n, level in enumerate(Level, start=1)}  # the order the enum lists them in
TYPE_ZH = {AlertType.HEAT: "高温", AlertType.COLD: "寒潮", AlertType.RAINSTORM: "暴雨", AlertType.TYPHOON: "台风"}
TYPE_EN = {AlertType.HEAT: "Heat", AlertType.COLD: "Cold wave", AlertType.RAINSTORM: "Rainstorm",
           AlertType.TYPHOON: "Typhoon"}
LEVEL_ZH = {Level.BLUE: "蓝色", Level.YELLOW: "黄色", Level.ORANGE: "橙色", Level.RED: "红色"}

NEEDS: dict[AlertType, tuple[str, ...]] = {
    AlertType.HEAT: ("air_conditioning", "drinking_water"),
    AlertType.COLD: ("heating", "hot_water"),
    AlertType.RAINSTORM: (),
    AlertType.TYPHOON: (),
}
"""Amenities (or declared offers) a station needs to fit an alert of this type; none: no station is put first."""

OFFERS = frozenset({"air_conditioning", "drinking_water", "first_aid", "heating", "hot_water", "seating", "toilet",
                    "phone_charging", "meals", "rain_gear"})
"""What a station may say it offers in its alert mode (amenity codes)."""

_HEAT = {
    Level.YELLOW: ("35 °C 以上：采取换班轮休等方式缩短连续作业时间，不得安排室外露天作业劳动者加班。",
                   "35 °C or more: shorten continuous outdoor work by rotating shifts; no overtime outdoors."),
    Level.ORANGE: ("37 °C 以上：室外露天作业全天累计不超过 6 小时，气温最高的 3 小时内不得安排室外露天作业。",
                   "37 °C or more: at most 6 hours of outdoor work a day, none in the 3 hottest hours."),
    Level.RED: ("40 °C 以上：应当停止当日室外露天作业（特殊行业除外）。",
                "40 °C or more: outdoor work stops for the day (special trades excepted)."),
}
_OTHER = {
    AlertType.HEAT: ("注意防暑降温，多饮水，就近到驿站休息。", "Avoid the heat, drink water, rest at a station."),
    AlertType.COLD: ("注意防寒保暖，缩短室外连续作业时间，就近到驿站取暖。",
                     "Keep warm, shorten outdoor work, warm up at a station."),
    AlertType.RAINSTORM: ("注意避雨，远离积水和低洼处，就近到驿站避雨。",
                          "Shelter from the rain, avoid flooded roads."),
    AlertType.TYPHOON: ("减少外出，远离广告牌和临时建筑，就近到驿站避风。",
                        "Stay in, keep away from signboards and temporary structures."),
}


@dataclass(frozen=True)
class Said:
    """An alert's words for a person: its title (高温橙色预警), the labour guidance, and the reason for hours."""

    title: str
    guidance: str
    reason: str


def words(alert_type: AlertType, level: Level, lang: str = "zh") -> Said:
    """The title, labour guidance and extended-hours reason of an alert type and level, in `lang` (zh or en)."""
    index = 0 if lang == "zh" else 1
    rule = _HEAT.get(level) if alert_type is AlertType.HEAT else None
    guidance = (rule or _OTHER[alert_type])[index]
    if lang == "zh":
        return Said(f"{TYPE_ZH[alert_type]}{LEVEL_ZH[level]}预警", guidance, f"{TYPE_ZH[alert_type]}延长开放")
    return Said(f"{TYPE_EN[alert_type]} alert ({level.value})", guidance,
                f"{TYPE_EN[alert_type]} alert: extended hours")


def at_least(level: Level, minimum: Level) -> bool:
    """True if `level` is `minimum` or higher."""
    return RANK[level] >= RANK[minimum]
