"""Access log lines never say where a rider looked from: `lon` and `lat` are blanked, the rest is kept."""

from __future__ import annotations

import logging

from stations.logs import HideWhereRidersAre


def _line(path: str) -> str:
    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("10.0.0.7:5000", "GET", path, "1.1", 200), None)
    assert HideWhereRidersAre().filter(record)
    return record.getMessage()


def test_a_lookups_position_is_not_logged() -> None:
    line = _line("/api/v1/stations/nearest?lon=103.8343&lat=36.0611&limit=5&amenity=%E9%A5%AE%E6%B0%B4")
    assert "103.83" not in line and "36.06" not in line
    assert "/api/v1/stations/nearest?lon=-&lat=-&limit=5&amenity=" in line and line.endswith("200")


def test_other_lines_are_untouched() -> None:
    assert _line("/api/v1/stations/12?lang=en") == '10.0.0.7:5000 - "GET /api/v1/stations/12?lang=en HTTP/1.1" 200'
    assert "LAT=-" in _line("/x?LAT=1&lonely=2") and "lonely=2" in _line("/x?lonely=2")
