"""The uploads `bench.uploads` sends while it measures the nearest lookup: the heaviest a clerk may legally send
and the hostile ones the reader refuses (built here once, kept under var/bench-uploads)."""

from __future__ import annotations

import io
import itertools
import random
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = "站点名称,类型,地址,经度,纬度,坐标系,开放时间,服务设施,行政区划代码"
COUNTIES = [("620102", 103.83, 36.06), ("620103", 103.78, 36.07), ("130102", 114.52, 38.05), ("131002", 116.70, 39.51)]


def legit_csv(rows: int = 200_000, seed: int = 1) -> bytes:
    """`rows` distinct valid stations around four counties: every row checked and matched against the registry."""
    rng = random.Random(seed)
    lines = [HEADER]
    for i in range(rows):
        adcode, lon, lat = rng.choice(COUNTIES)
        province = "甘肃省" if adcode.startswith("62") else "河北省"
        lines.append(f"压测驿站{i:06d},户外劳动者服务站点,{province}示例路{i}号,{lon + rng.uniform(-0.4, 0.4):.6f},"
                     f"{lat + rng.uniform(-0.3, 0.3):.6f},WGS84,Mo-Su 08:00-20:00,饮水;微波炉;手机充电,{adcode}")
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def piled_csv(rows: int = 200_000, seed: int = 2) -> bytes:
    """`rows` valid stations on one point, names without numbers and unlike each other: each row is compared
    with as many earlier ones as the duplicate check allows."""
    rng = random.Random(seed)
    lines = [HEADER]
    for _ in range(rows):
        name = "".join(chr(0x4E00 + rng.randrange(8000)) for _ in range(4))
        lines.append(f"{name}驿站,户外劳动者服务站点,甘肃省兰州市城关区示例路,103.830000,36.060000,WGS84,24/7,饮水,620102")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _workbook(rows: Iterable[bytes], dimension: str, strings: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                      'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
                      'officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/>'
                      "</sheets></workbook>")
        book.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/relationships"><Relationship Id="rId1" Type="worksheet" '
                      'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="sharedStrings" '
                      'Target="sharedStrings.xml"/></Relationships>')
        sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" uniqueCount="{len(strings)}">{sst}</sst>')
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode())
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def _header() -> bytes:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(6))
    return f'<row r="1">{cells}</row>'.encode()


_TITLES = ["站点名称", "类型", "地址", "经度", "纬度", "行政区划代码"]


def claimed_xfd2000() -> bytes:
    """The 2 KB workbook that froze the app: its sheet claims A1:XFD2000 and holds a header and one station."""
    station = b'<row r="2"><c r="A2" t="s"><v>6</v></c><c r="B2" t="s"><v>7</v></c><c r="C2" t="s"><v>8</v></c>' \
              b'<c r="D2"><v>103.83</v></c><c r="E2"><v>36.06</v></c><c r="F2"><v>620102</v></c></row>'
    return _workbook([_header(), station], "A1:XFD2000", [*_TITLES, "示例驿站", "驿站", "甘肃省兰州市城关区1号"])


def million_rows() -> bytes:
    """A million rows of one shared string, as Excel writes them (about 5 MB zipped)."""
    rows = (b'<row r="%d"><c r="A%d" t="s"><v>6</v></c></row>' % (n, n) for n in range(2, 1_000_001))
    return _workbook(itertools.chain([_header()], rows), "A1:F1000000", [*_TITLES, "示例驿站"])


def ratio_bomb() -> bytes:
    """A workbook whose sheet unpacks to 500 MB of blanks from about 0.5 MB."""
    blanks = (b" " * (1 << 20) for _ in range(500))
    return _workbook(itertools.chain([_header(), b"<!--"], blanks, [b"-->"]), "A1:F1", _TITLES)


FILES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "legit-200k": ("legit-200k.csv", legit_csv),
    "piled-200k": ("piled-200k.csv", piled_csv),
    "xfd2000": ("xfd2000.xlsx", claimed_xfd2000),
    "million-rows": ("million-rows.xlsx", million_rows),
    "ratio-bomb": ("ratio-bomb.xlsx", ratio_bomb),
}


def build(names: Iterable[str], folder: Path) -> dict[str, Path]:
    """The named files written under `folder` (kept between runs), by name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in names:
        filename, make = FILES[name]
        path = folder / filename
        if not path.exists():
            path.write_bytes(make())
        paths[name] = path
    return paths
