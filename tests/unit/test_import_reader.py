"""The upload reader on hostile files built in the test: claims cost nothing, caps hold while reading, bombs are
refused before unpacking, and the duplicate check stays linear for rows piled on one point."""

from __future__ import annotations

import io
import zipfile

import pytest

from stations.errors import InvalidInput, TooLarge
from stations.geo.crs import Crs
from stations.services.importer import duplicates, reader, xlsx, xlsx_parts
from stations.services.importer.limits import MB, Limits
from stations.services.importer.rows import Context, check_row
from tests.staff import hostile_files as files

WGS84 = Context(scope="", crs=Crs.WGS84)
SMALL = Limits(max_rows=50, max_columns=30, max_unpacked=4 * MB, max_members=20, max_shared_strings=100)


def _rows(content: bytes, name: str = "f.xlsx", limits: Limits = SMALL) -> list[reader.RawRow]:
    return list(reader.read(content, name, limits).rows)


@pytest.mark.parametrize("dimension", ["A1:XFD2000", "A1:H1048576", "A1:XFD1048576"])
def test_a_sheets_claimed_range_is_never_used(dimension: str) -> None:
    rows = _rows(files.honest(2, dimension=dimension))
    assert [r.number for r in rows] == [2, 3]
    name, kind, address, *_ = files.station(1)
    assert rows[0].values == {"name": name, "kind": kind, "address": address, "lon": "103.83", "lat": "36.06",
                              "adcode": "620102"}


def test_the_real_row_count_is_checked_before_parsing_and_again_while_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [files.row(1, files.HEADER), *(files.row(n, files.station(n)) for n in range(2, 60))]
    content = files.workbook([*rows, "<row r='60'><c><<< not XML: never parsed, the cap stops the read before it"])
    assert xlsx_parts.scan(zipfile.ZipFile(io.BytesIO(content)), "xl/worksheets/sheet1.xml") == (60, [])
    with pytest.raises(TooLarge, match="超过 50 行"):
        reader.read(content, "f.xlsx", SMALL)
    monkeypatch.setattr(xlsx, "scan", lambda *_: (0, []))  # were the scan fooled, the stream would still stop
    with pytest.raises(TooLarge, match="超过 50 行"):
        _rows(content)


def test_a_csv_past_the_row_cap_is_refused_before_any_row_is_checked() -> None:
    body = "".join(f"站{n},驿站,甘肃省兰州市城关区,103.8,36.0,620102\n" for n in range(5000))
    with pytest.raises(TooLarge, match="超过 50 行"):
        reader.read(("名称,类型,地址,经度,纬度,行政区划代码\n" + body).encode(), "f.csv", SMALL)


def test_a_value_past_the_column_cap_is_refused_but_empty_styled_cells_cost_nothing() -> None:
    styled = "".join(f'<c r="{files.column_letters(c)}2" s="1"/>' for c in range(7, 2000))
    fine = files.workbook([files.row(1, files.HEADER), f'<row r="2">{files.cells(2, files.station(1))}{styled}</row>'])
    assert [r.number for r in _rows(fine)] == [2]
    far = files.workbook([files.row(1, files.HEADER), files.row(2, ["便签"], first_column=16_384)])
    with pytest.raises(TooLarge, match="第 2 行第 16384 列有内容"):
        _rows(far)
    wide = ",".join(["名称", "类型", "地址", "经度", "纬度", "行政区划代码"] + ["x"] * 100)
    with pytest.raises(TooLarge, match="第 1 行第 106 列"):
        _rows(wide.encode(), "f.csv")


def test_zip_bombs_are_refused_before_anything_is_unpacked() -> None:
    zeros = files.workbook([files.row(1, files.HEADER), b"<!-- " + b" " * (8 * MB) + b" -->"], level=9)
    with pytest.raises(TooLarge, match="压缩比异常"):
        _rows(zeros, limits=Limits())
    with pytest.raises(TooLarge, match="解压后超过 4 MB"):
        _rows(files.declared_size(files.honest(), "xl/worksheets/sheet1.xml", 4_000_000_000))
    many = files.workbook([files.row(1, files.HEADER)], extra={f"xl/media/{i}.bin": b"" for i in range(30)})
    with pytest.raises(TooLarge, match=r"压缩包内有 \d+ 个文件"):
        _rows(many)


def test_shared_strings_are_counted_before_and_while_they_are_read() -> None:
    declared = files.workbook([files.row(1, files.HEADER)], strings=["甲"] * 3, declared_strings=999_999_999)
    with pytest.raises(TooLarge, match="声明了 999999999 个不同的文本"):
        _rows(declared)
    lied = files.workbook([files.row(1, files.HEADER)], strings=[str(n) for n in range(200)], declared_strings=1)
    with pytest.raises(TooLarge, match="文本超过 100 个"):
        _rows(lied)


def test_a_dtd_and_a_damaged_zip_are_a_clear_422() -> None:
    laughs = files.workbook([files.row(1, files.HEADER)], prolog='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>')
    with pytest.raises(InvalidInput, match="DTD"):
        _rows(laughs)
    with pytest.raises(InvalidInput, match=r"\.xlsx"):
        _rows(files.honest()[:200])


def test_csv_cells_past_excels_limit_and_undecodable_bytes_get_a_4xx() -> None:
    with pytest.raises(InvalidInput, match="第 2 行"):
        _rows(("名称,类型,地址,经度,纬度,行政区划代码\n" + "x" * 200_000 + "\n").encode(), "f.csv", Limits())
    with pytest.raises(InvalidInput, match="GB18030"):
        _rows(b"\xff\xfe\x00\x81\xff" * 10, "f.csv")


def test_rows_piled_on_one_point_cost_a_bounded_number_of_name_comparisons(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    original = duplicates.similar

    def counted(x: duplicates.Name, y: duplicates.Name) -> bool:
        nonlocal calls
        calls += 1
        return original(x, y)

    monkeypatch.setattr(duplicates, "similar", counted)
    names = [f"第{n}号驿站" for n in range(2000)] + [f"驿站{chr(0x4E00 + n)}{chr(0x5E00 + n)}" for n in range(2000)]
    names += [names[7], names[2007]]  # a repeat of each: both are found, the second long out of the fuzzy window
    rows = [check_row(n + 2, {"name": name, "kind": "驿站", "address": "甘肃省兰州市城关区1号", "lon": "103.83",
                              "lat": "36.06", "adcode": "620102"}, formulas=[], context=WGS84)
            for n, name in enumerate(names)]
    duplicates.within_file(rows)
    assert calls <= len(rows) * 9 * duplicates.MOST_COMPARED
    assert [r.number for r in rows if r.duplicate_of] == [4002, 4003]
    crowded = [r for r in rows if any(n.code == "crowded" for n in r.notes)]
    assert crowded and all(r.number > 2000 for r in crowded), "only the rows past the cap at that spot are told"


PLACES = {
    "Sanya": (109.51, 18.25, "460203", "海南省三亚市吉阳区1号"),
    "Lanzhou": (103.83, 36.06, "620102", "甘肃省兰州市城关区1号"),
    "Mohe": (122.54, 52.97, "232701", "黑龙江省漠河市1号"),
}


@pytest.mark.parametrize("metres", [30.0, 47.4, 49.9, 50.1, 52.6, 80.0])
@pytest.mark.parametrize("bearing", [0.0, 45.0, 90.0, 200.0])
@pytest.mark.parametrize("place", list(PLACES))
def test_two_rows_of_one_name_are_duplicates_exactly_within_50_geodesic_metres(
    metres: float, bearing: float, place: str,
) -> None:
    from geographiclib.geodesic import Geodesic

    lon, lat, adcode, address = PLACES[place]
    far = Geodesic.WGS84.Direct(lat, lon, bearing, metres)
    rows = [check_row(n, {"name": "示例驿站", "kind": "驿站", "address": address, "lon": f"{x!r}", "lat": f"{y!r}",
                          "adcode": adcode}, formulas=[], context=WGS84)
            for n, (x, y) in enumerate([(lon, lat), (far["lon2"], far["lat2"])], start=2)]
    assert all(r.data is not None for r in rows), [r.notes for r in rows]
    duplicates.within_file(rows)
    assert (rows[1].duplicate_of is not None) == (metres <= 50.0)
