"""Sign plates: SVG and PDF for one station, one PDF per region, QR code to /s/{code}, printed only under a public
https address."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import segno
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.services.pages import signage
from stations.services.registry import stations as service
from stations.settings import Settings
from tests.factories import station_create

Login = Callable[[str], dict[str, str]]
BASE = "https://stations.example.cn"


@pytest.fixture
def configure(client: TestClient, app_settings: Settings) -> Callable[..., None]:
    """Change the `client` app's settings for this test."""

    def change(**values: object) -> None:
        client.app.state.settings = app_settings.model_copy(update=values)  # type: ignore[attr-defined]

    return change


@pytest.fixture
def signs(client: TestClient, configure: Callable[..., None]) -> Iterator[TestClient]:
    """The client, its app with a public https address (signs print)."""
    configure(public_base_url=BASE)
    yield client


def test_svg_plate_has_title_name_code_promises_hours_and_escapes_text(signs: TestClient, session: Session) -> None:
    station = service.create(session=session, data=station_create(
        name="<b>城关</b>示例驿站", amenities=["drinking_water", "toilet", "first_aid", "microwave"]))
    reply = signs.get(f"/api/v1/stations/{station.id}/sign.svg")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("image/svg+xml")
    svg = reply.text
    assert "户外劳动者服务站点" in svg and station.sign_code in svg
    assert "每天 08:00–20:00" in svg and "Mo-Su" not in svg, "riders read hours in words, not OSM syntax"
    assert "&lt;b&gt;城关&lt;/b&gt;示例驿站" in svg and "<b>" not in svg
    assert [p for p in ("冷可取暖", "热可纳凉", "渴可饮水", "累可歇脚", "急可如厕", "伤可用药") if p in svg] == [
        "渴可饮水", "急可如厕", "伤可用药"]


def test_qr_code_encodes_the_station_page() -> None:
    url = "http://testserver/s/620102-Y-00001"
    assert signage.qr_matrix(url) == tuple(
        tuple(bool(v) for v in row) for row in segno.make_qr(url, error="m").matrix_iter(border=2))


def test_pdf_plate_and_region_batch(signs: TestClient, session: Session, login: Login) -> None:
    first = service.create(session=session, data=station_create())
    service.create(session=session, data=station_create(name="第二个驿站", lon=103.85))
    one = signs.get(f"/api/v1/stations/{first.id}/sign.pdf")
    assert one.status_code == 200 and one.content.startswith(b"%PDF")
    assert b"SignCJK" in one.content or b"WenQuanYi" in one.content, "the CJK font is embedded"
    assert signs.get("/api/v1/signs.pdf?region=620102").status_code == 401
    batch = signs.get("/api/v1/signs.pdf?region=620102", headers=login("viewer"))
    assert batch.status_code == 200
    assert batch.content.count(b"/Type /Page\n") == 2, "one page per station"
    assert signs.get("/api/v1/signs.pdf?region=9", headers=login("viewer")).status_code == 422


@pytest.mark.parametrize(
    ("base", "allow_local", "says"),
    [
        (None, False, "未设置公开网址"),
        ("http://stations.example.cn", False, "不是 https"),
        ("http://stations.example.cn", True, "不是 https"),  # the test switch is for this machine's address only
        ("http://127.0.0.1:8000", False, "不是 https"),
    ],
)
def test_no_sign_is_printed_without_a_public_https_address(
    client: TestClient, configure: Callable[..., None], session: Session, login: Login, base: str | None,
    allow_local: bool, says: str,
) -> None:
    configure(public_base_url=base, signs_allow_local_http=allow_local)
    station = service.create(session=session, data=station_create())
    staff = login("viewer")
    for path in (f"/api/v1/stations/{station.id}/sign.svg", f"/api/v1/stations/{station.id}/sign.pdf",
                 "/api/v1/signs.pdf?region=620102"):
        reply = client.get(path, headers={**staff, "Host": "evil.example"})
        assert reply.status_code == 409, path
        assert says in reply.json()["detail"] and "STATIONS_PUBLIC_BASE_URL" in reply.json()["detail"]


def test_this_machines_http_address_prints_only_when_the_test_switch_says_so(
    client: TestClient, configure: Callable[..., None], session: Session,
) -> None:
    configure(public_base_url="http://127.0.0.1:8000", signs_allow_local_http=True)
    station = service.create(session=session, data=station_create())
    assert client.get(f"/api/v1/stations/{station.id}/sign.svg").status_code == 200
    assert Settings().signs_allow_local_http is False, "off unless set"
