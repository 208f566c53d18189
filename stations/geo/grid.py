"""The demand grid: cells of about 500 m on a side, rows of equal latitude, columns as wide in metres on every row.

A cell is (row, col): `row` counts `CELL_DEG_LAT` bands from the equator; on each row the width in longitude is
`CELL_DEG_LAT / cos(latitude of the row's centre)`, so a cell is about `CELL_M` by `CELL_M` anywhere in China (the
row's centre keeps the column arithmetic exact; the width at a cell's edges differs by under 0.1%).
"""

from __future__ import annotations

import math

CELL_M = 500.0
_M_PER_DEG_LAT = 111_195.0
"""A degree of latitude on the mean sphere (radius 6,371,009 m): the grid is an aggregation, not a survey."""
CELL_DEG_LAT = CELL_M / _M_PER_DEG_LAT


def _width(row: int) -> float:
    """The width in degrees of longitude of the cells of `row`."""
    return CELL_DEG_LAT / math.cos(math.radians((row + 0.5) * CELL_DEG_LAT))


def cell_of(lon: float, lat: float) -> tuple[int, int]:
    """The (row, col) of the cell holding the point."""
    row = math.floor(lat / CELL_DEG_LAT)
    return row, math.floor(lon / _width(row))


def cell_centre(row: int, col: int) -> tuple[float, float]:
    """The (lon, lat) of a cell's centre."""
    return (col + 0.5) * _width(row), (row + 0.5) * CELL_DEG_LAT


def cell_bounds(row: int, col: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a cell, in degrees."""
    width = _width(row)
    return col * width, row * CELL_DEG_LAT, (col + 1) * width, (row + 1) * CELL_DEG_LAT
