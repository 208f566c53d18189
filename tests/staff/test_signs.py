"""Sign plates: SVG and PDF for one station, one PDF per region, QR code to /s/{code}."""

from __future__ import annotations

from collections.abc import Callable

import segno
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.services.pages import signage
from stations.services.registry import stations as service
from tests.factories import station_create

Login = Callable[[str], dict[str, str]]


def test_svg_plate_has_title_name_code_promises_hours_and_escapes_text(client: TestClient, session: Session) -> None:
    station = service.create(session=session, data=station_create(
        name="<b>城关</b>示例驿站", amenities=["drinking_water", "toilet", "first_aid", "microwave"]))
    reply = client.get(f"/api/v1/stations/{station.id}/sign.svg")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("image/svg+xml")
    svg = reply.text
    assert "户外劳动者服务站点" in svg and station.sign_code in svg and "Mo-Su 08:00-20:00" in svg
    assert "&lt;b&gt;城关&lt;/b&gt;示例驿站" in svg and "<b>" not in svg
    assert [p for p in ("冷可取暖", "热可纳凉", "渴可饮水", "累可歇脚", "急可如厕", "伤可用药") if p in svg] == [
        "渴可饮水", "急可如厕", "伤可用药"]


def test_qr_code_encodes_the_station_page() -> None:
    url = "http://testserver/s/620102-Y-00001"
    assert signage.qr_matrix(url) == tuple(
        tuple(bool(v) for v in row) for row in segno.make_qr(url, error="m").matrix_iter(border=2))


def test_pdf_plate_and_region_batch(client: TestClient, session: Session, login: Login) -> None:
    first = service.create(session=session, data=station_create())
    service.create(session=session, data=station_create(name="第二个驿站", lon=103.85))
    one = client.get(f"/api/v1/stations/{first.id}/sign.pdf")
    assert one.status_code == 200 and one.content.startswith(b"%PDF")
    assert b"SignCJK" in one.content or b"WenQuanYi" in one.content, "the CJK font is embedded"
    assert client.get("/api/v1/signs.pdf?region=620102").status_code == 401
    batch = client.get("/api/v1/signs.pdf?region=620102", headers=login("viewer"))
    assert batch.status_code == 200
    assert batch.content.count(b"/Type /Page\n") == 2, "one page per station"
    assert client.get("/api/v1/signs.pdf?region=9", headers=login("viewer")).status_code == 422
