"""Signs that fit: the longest names and hours of the sample, the import fixture and the demo data, and the longest
a station may have, are drawn whole (the text drawn equals the text given), inside their boxes, in SVG and PDF."""

from __future__ import annotations

import csv
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

from stations.db.models import Station
from stations.errors import InvalidHours
from stations.hours import opening_words, parse_hours
from stations.services.pages import sign_text, signage
from stations.services.registry import demo

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
URL = "https://stations.example.cn/s/620102-Y-00001"


def _csv(path: Path, encoding: str, name: str, hours: str) -> list[tuple[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return [(row[name], row[hours]) for row in csv.DictReader(handle)]


FIXTURES = (
    _csv(ROOT / "data" / "sample_stations.csv", "utf-8", "name", "hours")
    + _csv(ROOT / "tests" / "fixtures" / "import_sample_gb18030.csv", "gb18030", "站点名称", "开放时间")
    + [(s.name, s.hours) for s in demo.generate(count=3000, seed=1)]
)
LONGEST_NAME = max((name for name, _ in FIXTURES), key=len)


def _said(hours: str) -> str:
    """The hours in words, or "" for hours an import would reject (the fixture has some on purpose)."""
    try:
        return opening_words(parse_hours(hours).text, None, ()).hours
    except InvalidHours:
        return ""


LONGEST_HOURS = max((hours for _, hours in FIXTURES), key=lambda h: len(_said(h)))
LIMIT_NAME = ("兰州市城关区东岗西路街道示例银行股份有限公司兰州分行营业部户外劳动者服务站点（工会驿站）" * 5)[:200]
AS_WRITTEN = "Jun-Sep Mo-Fr 07:00-19:00; Oct-May Mo-Fr 08:30-17:30; Sa 09:00-12:00; PH -1 day 09:00-12:00; PH off"
CASES = [
    (LONGEST_NAME, LONGEST_HOURS, None),
    (LIMIT_NAME, "Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; Su 10:00-16:00; PH 10:00-12:00", "Mo-Su 17:30-08:30"),
    ("A" * 120 + " Station", AS_WRITTEN, "Mo-Fr 17:30-08:30; Sa,Su 00:00-24:00"),
    ("城关区示例驿站", "24/7", None),
]


def plate(name: str, hours: str, self_service: str | None) -> Station:
    return Station(kind="outdoor_station", name=name, hours=parse_hours(hours).text, sign_code="620102-Y-00001",
                   self_service_hours=self_service, access_methods=["qr_scan", "face", "code", "card"],
                   amenities=["drinking_water", "toilet", "seating", "heating", "air_conditioning", "first_aid"])


def expected(station: Station) -> dict[str, str]:
    said = opening_words(station.hours, station.self_service_hours, station.access_methods)
    texts = {"name": station.name, "hours": said.hours, "sign_code": station.sign_code}
    if said.self_service:
        texts["self_service"] = f"自助开放 {said.self_service}（{said.access}）"
    return texts


def test_the_fixtures_hold_long_names_and_hours() -> None:
    assert len(LONGEST_NAME) >= 16 and len(_said(LONGEST_HOURS)) >= 30


@pytest.mark.parametrize(("name", "hours", "self_service"), CASES)
def test_the_text_drawn_is_the_text_given_and_stays_in_its_box(name: str, hours: str, self_service: str | None) -> None:
    station = plate(name, hours, self_service)
    drawn: dict[str, list[signage.Label]] = defaultdict(list)
    for shape in signage.layout(station, url=URL):
        if isinstance(shape, signage.Label) and shape.role:
            drawn[shape.role].append(shape)
    for role, text in expected(station).items():
        assert "".join(label.text for label in drawn[role]) == text, role
    for label in drawn["name"] + drawn["hours"] + drawn["self_service"]:
        assert sign_text.width(label.text, label.size) <= signage.TEXT_WIDTH + 1e-6
    name_top = drawn["name"][0].y - drawn["name"][0].size
    assert signage.NAME_BOX[0] - 0.01 <= name_top and drawn["name"][-1].y <= signage.NAME_BOX[1]
    assert len(drawn["name"]) <= 2 or drawn["name"][0].size < 5, "two lines, then smaller, before a third line"
    last = (drawn["self_service"] or drawn["hours"])[-1]
    assert drawn["hours"][0].y - drawn["hours"][0].size >= signage.HOURS_TOP - 0.01
    assert last.y <= signage.HOURS_BOTTOM, "the hours end above the QR code"


def test_a_short_name_stays_large_on_one_line() -> None:
    names = [s for s in signage.layout(plate("城关区示例驿站", "24/7", None), url=URL)
             if isinstance(s, signage.Label) and s.role == "name"]
    assert [(n.text, n.size) for n in names] == [("城关区示例驿站", 11)]


@pytest.mark.parametrize(("name", "hours", "self_service"), CASES[:3])
def test_svg_and_pdf_carry_every_character(name: str, hours: str, self_service: str | None) -> None:
    station = plate(name, hours, self_service)
    tree = ET.fromstring(signage.render_svg(station, url=URL))
    by_class: dict[str, str] = defaultdict(str)
    for node in tree.iter(f"{SVG}text"):
        by_class[node.get("class") or ""] += node.text or ""
    assert {role: by_class[role] for role in expected(station)} == expected(station)
    pdf = subprocess.run(["pdftotext", "-", "-"], input=signage.render_pdf([(station, URL)]), capture_output=True,
                         check=True).stdout.decode()
    squeezed = re.sub(r"\s+", "", pdf)
    for role, text in expected(station).items():
        assert re.sub(r"\s+", "", text) in squeezed, role
    assert "…" not in pdf


def test_lines_break_between_clauses_and_never_inside_a_clock_time() -> None:
    lines = sign_text.wrap("周一至周五 08:30–12:00、14:00–17:30；周六 09:00–12:00，法定节假日休息", size=6.5, limit=130)
    assert lines == ["周一至周五 08:30–12:00、14:00–17:30；", "周六 09:00–12:00，法定节假日休息"]
    assert "".join(sign_text.wrap("x" * 500, size=10, limit=50)) == "x" * 500
