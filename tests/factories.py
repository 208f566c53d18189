"""Builders for valid test input, so each test states only what it is about."""

from __future__ import annotations

from typing import Any

from stations.reference import Kind
from stations.schemas.station import StationCreate


def station_create(**overrides: Any) -> StationCreate:
    """A valid outdoor station in 兰州市城关区 unless overridden."""
    values: dict[str, Any] = {
        "kind": Kind.OUTDOOR_STATION,
        "name": "城关区示例户外劳动者驿站",
        "address": "甘肃省兰州市城关区示例路1号",
        "adcode": "620102",
        "lon": 103.8343,
        "lat": 36.0611,
        "hours": "Mo-Su 08:00-20:00",
        "amenities": ["drinking_water", "microwave"],
    }
    values.update(overrides)
    return StationCreate(**values)
