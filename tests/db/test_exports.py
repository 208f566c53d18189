"""Exports: provider coordinates match stations.geo.crs, RFC 7946 GeoJSON, region filter, XLSX readable."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from stations.geo.crs import Crs, from_wgs84
from stations.reference import Kind
from stations.services.feeds.exports import ExportFormat, stream
from tests.sync import writes

POINTS = [(103.8343, 36.0611), (116.397428, 39.90923), (121.473701, 31.230416), (87.617733, 43.792818)]
ADCODES = ["620102", "110101", "310101", "650102"]


def _seed(session: Session) -> dict[str, tuple[float, float]]:
    by_code: dict[str, tuple[float, float]] = {}
    for (lon, lat), adcode in zip(POINTS, ADCODES, strict=True):
        station = writes.create(session, lon=lon, lat=lat, adcode=adcode, address=f"{adcode} 示例路1号")
        by_code[station.sign_code] = (lon, lat)
    writes.delete(session, writes.create(session), reason="撤站")
    return by_code


def _text(session: Session, fmt: ExportFormat, region: str | None = None) -> str:
    return b"".join(stream(session=session, fmt=fmt, region=region)).decode("utf-8-sig")


@pytest.mark.parametrize(
    ("fmt", "crs", "label"),
    [(ExportFormat.AMAP, Crs.GCJ02, "GCJ-02"), (ExportFormat.TENCENT, Crs.GCJ02, "GCJ-02"),
     (ExportFormat.BAIDU, Crs.BD09, "BD-09")],
)
def test_provider_files_carry_converted_coordinates_and_say_so(
    session: Session, fmt: ExportFormat, crs: Crs, label: str
) -> None:
    expected = _seed(session)
    records = list(csv.DictReader(io.StringIO(_text(session, fmt))))
    assert len(records) == len(POINTS)  # the deleted station is not exported
    for record in records:
        want = from_wgs84(*expected[record["标识编码"]], crs)
        assert abs(float(record["经度"]) - want[0]) <= 5e-7 and abs(float(record["纬度"]) - want[1]) <= 5e-7
        assert record["坐标系"] == label
        assert record["分类"].endswith("户外劳动者服务站点")
        assert "设施：饮水、微波炉" in record["描述"]


def test_geojson_is_rfc7946_wgs84_with_six_decimals(session: Session) -> None:
    expected = _seed(session)
    collection = json.loads(_text(session, ExportFormat.GEOJSON))
    assert "crs" not in collection and collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == tuple(round(v, 6) for v in expected[feature["properties"]["sign_code"]])


def test_region_filter_takes_province_city_or_county(session: Session) -> None:
    _seed(session)
    writes.create(session, kind=Kind.MOTHERS_ROOM, amenities=[], adcode="620103", address="620103 示例路2号")
    def count(region: str) -> int:
        return len(list(csv.DictReader(io.StringIO(_text(session, ExportFormat.CSV, region)))))
    assert (count("620000"), count("620100"), count("620102"), count("110000")) == (2, 2, 1, 1)


def test_xlsx_opens_with_header_rows_and_states_its_system(session: Session) -> None:
    _seed(session)
    workbook = load_workbook(io.BytesIO(b"".join(stream(session=session, fmt=ExportFormat.XLSX))))
    rows = list(workbook["stations"].iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "sign_code", "kind", "name") and len(rows) == 1 + len(POINTS)
    assert "WGS-84" in str(workbook["about"]["B1"].value)


def test_empty_export_is_still_a_valid_file(session: Session) -> None:
    assert json.loads(_text(session, ExportFormat.GEOJSON, "110000"))["features"] == []
    assert _text(session, ExportFormat.AMAP, "110000").startswith("名称,地址,经度,纬度,坐标系")
