"""The coverage API and the gap map page: region scope, known answers through HTTP, exports, demand-point upload."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.db.test_coverage import FAR_CLUSTER, demand  # noqa: F401 (the fixture)


def test_coverage_suggestions_and_exports(demand: TestClient, login: Callable[[str], dict[str, str]]) -> None:  # noqa: F811
    headers = login("lanzhou")
    reply = demand.get("/api/v1/coverage?level=county", headers=headers)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["whole"]["demand"] == 45 and body["whole"]["share_open"] == round(10 / 45, 4)
    assert body["by_hour"][12]["demand"] == 45 and len(body["by_hour"]) == 168
    first = demand.get("/api/v1/coverage/suggestions?k=2", headers=headers).json()["data"][0]
    assert first["covers"] == 30
    geojson = demand.get("/api/v1/coverage/suggestions.geojson?k=2", headers=headers).json()
    assert geojson["features"][0]["properties"]["rank"] == 1
    rows = list(csv.reader(io.StringIO(demand.get("/api/v1/coverage/suggestions.csv?k=2", headers=headers)
                                       .content.decode("utf-8-sig"))))
    assert rows[0][0] == "排名" and rows[1][5] == "30.0"
    gaps = demand.get("/api/v1/coverage/gaps?hour=12", headers=headers).json()["features"]
    assert [g["properties"]["unmet"] for g in gaps] == [30, 5]


def test_other_regions_are_refused(client: TestClient, login: Callable[[str], dict[str, str]]) -> None:
    headers = login("chengguan")
    assert client.get("/api/v1/coverage?region=11", headers=headers).status_code == 403
    assert client.get("/api/v1/coverage?region=abc", headers=headers).status_code == 422
    assert client.get("/api/v1/coverage?hour=168", headers=headers).status_code == 422
    assert client.get("/api/v1/coverage").status_code == 401


def test_demand_points_upload(client: TestClient, session: Session, login: Callable[[str], dict[str, str]]) -> None:
    session.execute(text("DELETE FROM demand_points"))
    content = ("名称,地址,经度,纬度,类型,人数\n快递分拨中心,,103.90,36.05,快递,120\n环卫所,某路,103.84,36.06,环卫,\n"
               "远处,,116.40,39.90,市场,5\n坏行,,abc,36.0,,\n").encode()
    reply = client.post("/api/v1/coverage/demand-points", headers=login("chengguan"),
                        files={"file": ("points.csv", content, "text/csv")})
    assert reply.status_code == 200, reply.text
    assert reply.json()["imported"] == 2
    assert len(reply.json()["refused"]) == 2  # the bad row, and the point outside 620102
    weights = session.execute(text("SELECT name, weight, adcode FROM demand_points ORDER BY weight")).all()
    assert [(w.name, w.weight, w.adcode) for w in weights] == [("环卫所", 1.0, "620102"),
                                                                ("快递分拨中心", 120.0, "620102")]


def test_the_gap_map_page(client: TestClient, login: Callable[[str], dict[str, str]]) -> None:
    reply = client.post("/staff/login", data={"username": "lanzhou", "password": "correct-horse-battery"},
                        follow_redirects=False)
    assert reply.status_code == 303
    page = client.get("/staff/coverage")
    assert page.status_code == 200 and 'id="gap-map"' in page.text and "/static/staff/gaps.js" in page.text


def test_demand_points_from_a_workbook_in_gcj02(client: TestClient, session: Session,
                                                  login: Callable[[str], dict[str, str]]) -> None:
    """An XLSX from Amap coordinates (the header states GCJ-02) is stored in WGS-84; a region's points are cleared."""
    from openpyxl import Workbook

    from stations.geo.crs import Crs, from_wgs84

    session.execute(text("DELETE FROM demand_points"))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    gcj = from_wgs84(103.84, 36.06, Crs.GCJ02)
    for row in (["名称", "地址", "经度(GCJ-02)", "纬度(GCJ-02)", "权重"], ["环卫所", "", gcj[0], gcj[1], 3]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    headers = login("chengguan")
    reply = client.post("/api/v1/coverage/demand-points", headers=headers,
                        files={"file": ("points.xlsx", out.getvalue(), "application/octet-stream")})
    assert reply.status_code == 200 and reply.json() == {"imported": 1, "refused": []}, reply.text
    lon, lat, weight = session.execute(text("SELECT ST_X(geom), ST_Y(geom), weight FROM demand_points")).one()
    assert (round(lon, 5), round(lat, 5), weight) == (103.84, 36.06, 3.0)
    assert client.delete("/api/v1/coverage/demand-points?region=11", headers=headers).status_code == 403
    assert client.delete("/api/v1/coverage/demand-points", headers=headers).json() == {"removed": 1}
    assert client.post("/api/v1/coverage/demand-points", headers=login("viewer"),
                       files={"file": ("p.csv", b"x", "text/csv")}).status_code == 403
