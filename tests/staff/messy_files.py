"""Clerks' spreadsheets as district offices send them, built in the test with openpyxl.

`lanzhou_workbook()`: sheet 城关区 has a merged title and a remark above the header (row 3), no 类型 and no
行政区划代码 column, coordinates in headers that say 高德, 联系方式 / 所属区县 / 是否悬挂统一标识 / 建成时间, a
序号, a 星级 and a 备注 column, a 所属区县 cell merged down three rows, prose and empty hours, a wrong district,
full-width digits, a Sa,Su-off rule without PH, a totals row and a signature line. Sheet 七里河区 has a two-row
header (坐标（高德） merged over 经度 | 纬度) and a 类型 column; sheet 填表说明 is prose.

`no_datum_csv()`: Lanzhou stations whose coordinates were picked on Amap (GCJ-02) under plain 经度/纬度 headers.
The points are at least 1 km inside their districts (so the GCJ-02 shift never crosses a boundary).
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from stations.geo.crs import wgs84_to_gcj02

CHENGGUAN = [(103.838706, 36.047974), (103.822606, 36.055751), (103.831976, 36.06932), (103.8307, 36.0585),
             (103.8262, 36.0512)]
QILIHE = [(103.759084, 36.047522), (103.754979, 36.068044), (103.766448, 36.063273)]
XIGU = [(103.597426, 36.077808), (103.621957, 36.088772)]
TITLE = "兰州市城关区户外劳动者服务站点（工会驿站）统计表"
HEADER = ["序号", "驿站名称", "所属区县", "详细地址", "经度(高德)", "纬度(高德)", "开放时间", "联系方式",
          "是否悬挂统一标识", "建成时间", "服务设施", "星级", "备注"]
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def gcj(point: tuple[float, float]) -> tuple[float, float]:
    """A WGS-84 point as Amap shows it (GCJ-02), rounded as a clerk copies it."""
    lon, lat = wgs84_to_gcj02(*point)
    return round(lon, 6), round(lat, 6)


def _chengguan_sheet(book: Workbook) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = "城关区"
    sheet.append([TITLE])
    sheet.merge_cells("A1:M1")
    sheet.append(["填报单位：城关区总工会      填报日期：2026年11月"])
    sheet.merge_cells("A2:M2")
    sheet.append(HEADER)
    p = [gcj(x) for x in CHENGGUAN]
    wide = [(str(lon).translate(FULL_WIDTH), str(lat).translate(FULL_WIDTH)) for lon, lat in p]
    sheet.append([1, "城关区张掖路户外劳动者驿站", "城关区", "甘肃省兰州市城关区张掖路87号", *p[0], "Mo-Su 08:00-20:00",
                  "0931-8123456", "是", date(2024, 5, 1), "饮水，微波炉，手机充电", "三星", ""])
    sheet.append([2, "城关区庆阳路驿站", None, "甘肃省兰州市城关区庆阳路1号", *wide[1],
                  "周一至周五 9:00-17:00 节假日休息", "13800000002", "否", "2023年5月", "饮水、卫生间", "", ""])
    sheet.append([3, "城关区皋兰路驿站", None, "兰州市城关区皋兰路5号", *p[2], None, "13800000003", "是", 2022, "饮水",
                  "", "新建"])
    sheet.merge_cells("C4:C6")
    sheet.append([4, "城关区东岗驿站", "七里河区", "甘肃省兰州市城关区东岗西路9号", *p[3], "Mo-Su 07:00-21:00",
                  "13800000004", "是", "", "饮水", "", ""])
    sheet.append([5, "城关区南关爱心妈妈小屋", "城关区", "甘肃省兰州市城关区南关什字2号", *wide[4],
                  "Mo-Fr 09:00-17:00; Sa,Su off", "13800000005", "有", "", "冰箱，洗手池", "", ""])
    sheet.append(["合计", "5个", None, None, None, None, None, None, "4"])
    sheet.append(["填表人：李四    审核人：王五"])


def _qilihe_sheet(book: Workbook) -> None:
    sheet = book.create_sheet("七里河区")
    sheet.append(["七里河区工会服务阵地一览表"])
    sheet.merge_cells("A1:H1")
    sheet.append(["序号", "站点名称", "类型", "区县", "地址", "坐标（高德）", None, "开放时间"])
    sheet.merge_cells("F2:G2")
    for column in "ABCDEH":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.append([None, None, None, None, None, "经度", "纬度", None])
    p = [gcj(x) for x in QILIHE]
    sheet.append([1, "七里河区西站驿站", "驿站", "七里河区", "甘肃省兰州市七里河区西津西路1号", *p[0], "24/7"])
    sheet.append([2, "七里河区敦煌路妈妈小屋", "妈妈小屋", "七里河区", "甘肃省兰州市七里河区敦煌路3号", *p[1],
                  "工作日 8:30-17:30"])
    sheet.append([3, "七里河区建兰路书屋", "书屋", "七里河区", "甘肃省兰州市七里河区建兰路5号", *p[2],
                  "Mo-Sa 09:00-21:00"])


def lanzhou_workbook() -> bytes:
    """The district office's workbook (see the module docstring)."""
    book = Workbook()
    _chengguan_sheet(book)
    _qilihe_sheet(book)
    notes = book.create_sheet("填表说明")
    notes.append(["坐标请在高德地图上拾取。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NO_DATUM_NAMES = ["张掖路驿站", "庆阳路驿站", "皋兰路驿站"]


def no_datum_csv() -> bytes:
    """Three Chengguan stations picked on Amap, under plain 经度/纬度 headers and no 坐标系 column (GB18030)."""
    lines = ["站点名称,类型,地址,经度,纬度,行政区划代码,开放时间"]
    for name, point in zip(NO_DATUM_NAMES, CHENGGUAN, strict=False):
        lon, lat = gcj(point)
        lines.append(f"{name},驿站,甘肃省兰州市城关区{name}1号,{lon},{lat},620102,24/7")
    return ("\n".join(lines) + "\n").encode("gb18030")


def truth_csv() -> bytes:
    """The same three stations with their true (GPS) points, headers saying so."""
    lines = ["站点名称,类型,地址,经度(GPS),纬度(GPS),行政区划代码,开放时间"]
    lines += [f"{name},驿站,甘肃省兰州市城关区{name}1号,{lon},{lat},620102,24/7"
              for name, (lon, lat) in zip(NO_DATUM_NAMES, CHENGGUAN, strict=False)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def lanzhou_city_csv() -> bytes:
    """Stations of three Lanzhou districts (城关, 七里河, 西固) in WGS-84, for a city editor."""
    lines = ["站点名称,类型,所属区县,地址,经度,纬度,坐标系,开放时间"]
    for district, points in (("城关区", CHENGGUAN[:2]), ("七里河区", QILIHE[:2]), ("西固区", XIGU)):
        for n, (lon, lat) in enumerate(points, start=1):
            lines.append(f"{district}示例驿站{n}号,驿站,{district},甘肃省兰州市{district}示例路{n}号,{lon},{lat},WGS84,24/7")
    return ("\n".join(lines) + "\n").encode("utf-8")
