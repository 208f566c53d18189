"""A long-named sign as the live server prints it, rendered to PNG with poppler's pdftoppm for docs/screenshots
(grouped with the browser tests so `make screenshots` refreshes it): every character of the name and the hours in
words is on the page."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser import screens
from tests.browser.conftest import LANZHOU, LiveServer

pytestmark = pytest.mark.browser

NAME = "兰州市城关区东岗西路街道示例银行股份有限公司兰州分行营业部户外劳动者服务站点（工会驿站）"
HOURS = "周一至周五 08:30–12:00、14:00–17:30；周六 09:00–12:00，法定节假日休息，调休上班日同周一"


@pytest.fixture
def printing(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server with a public https address, so signs print."""
    live_server.settings.public_base_url = "https://stations.example.cn"
    yield live_server
    live_server.settings.public_base_url = None


def test_a_long_named_sign_prints_whole(printing: LiveServer, tmp_path: Path) -> None:
    station = printing.insert_station(
        lon=LANZHOU["longitude"], lat=LANZHOU["latitude"], name=NAME, sign_code="620102-Y-00088",
        hours="Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; PH off", self_service_hours="Mo-Su 17:30-08:30",
        access_methods=["qr_scan", "face"], amenities=["drinking_water", "toilet", "seating", "heating",
                                                      "air_conditioning", "first_aid"])
    reply = httpx.get(f"{printing.url}/api/v1/stations/{station}/sign.pdf")
    assert reply.status_code == 200
    pdf = tmp_path / "sign.pdf"
    pdf.write_bytes(reply.content)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True,
                                             text=True).stdout)
    assert NAME in text and re.sub(r"\s+", "", HOURS) in text and "自助开放每天17:30–次日08:30" in text
    assert screens.FOLDER.path is not None
    screens.FOLDER.path.mkdir(parents=True, exist_ok=True)
    target = screens.FOLDER.path / "sign-long-name"
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", str(pdf), str(target)], check=True)
    assert target.with_suffix(".png").stat().st_size > 10_000
