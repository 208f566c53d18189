"""Bulk import in one process: the clerk's real sample file row by row, idempotent re-import, all-or-nothing,
formats (the HTTP side, with its worker process, is in test_import_api.py)."""

from __future__ import annotations

import io
import os
import pickle
import zlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stations.db.models import ImportJob, Station, StationChange
from stations.geo.crs import Crs, gcj02_to_wgs84
from stations.geo.shapes import lonlat
from stations.services import importer
from stations.services.importer import checking, stored
from stations.services.importer.report import build
from stations.services.registry import stations as station_service
from tests.factories import station_create

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "import_sample_gb18030.csv"
EXPECTED = {  # the sample README, row by row (header is row 1; row 14 is empty and skipped silently)
    "2": "ok", "3": "ok", "4": "ok", "5": "ok", "6": "rejected", "7": "rejected", "8": "ok",
    "9": "rejected", "10": "rejected", "11": "rejected", "12": "duplicate", "13": "ok",
}


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Station)) or 0


def _issues(report: dict[str, object], row: int) -> list[dict[str, str]]:
    return [i for i in report["issues"] if row in i["rows"]]  # type: ignore[attr-defined,index]


def _dry(session: Session, content: bytes, name: str = "f.csv", scope: str = "") -> ImportJob:
    return importer.dry_run(session=session, content=content, filename=name, options=importer.Options(crs=Crs.WGS84),
                            actor="t", scope=scope)


def test_sample_file_rows_are_handled_as_its_readme_says(session: Session) -> None:
    before = _count(session)
    job = _dry(session, SAMPLE.read_bytes(), SAMPLE.name)
    report = job.report
    assert _count(session) == before, "a dry run writes nothing"
    assert report["encoding"] == "gb18030" and report["total_rows"] == 13 and report["empty_rows"] == 1
    assert report["rows"] == EXPECTED
    assert any("全角" in i["problem"] and i["level"] == "note" for i in _issues(report, 5))
    assert _issues(report, 6)[0]["problem"] == "经度和纬度填反了：经度应为 114.486，纬度应为 38.041"
    assert _issues(report, 6)[0]["suggestion"] == "114.486", "what to paste into the 经度 cell"
    assert _issues(report, 7)[0]["problem"] == "缺少经纬度"
    assert "按摩椅" in _issues(report, 8)[0]["problem"] and "饮水、卫生间" in _issues(report, 8)[0]["problem"]
    assert _issues(report, 9)[0]["suggestion"] == "Mo-Su 08:00-18:00"
    assert _issues(report, 10)[0]["code"] == "coords_sign", "New York: the point is west and north, not in China"
    assert _issues(report, 11)[0]["problem"] == "行政区划代码 999999 不存在"
    assert _issues(report, 11)[0]["suggestion"] == "131003", "the address names 河北省廊坊市广阳区"
    assert "第 2 行" in _issues(report, 12)[0]["problem"]
    assert not [i for i in report["issues"] if i["row"] in (2, 3, 4, 13)]

    applied = importer.apply(session=session, job_id=job.id, mode="valid", actor="t")
    assert applied.report["created"] == 6 and _count(session) == before + 6
    names = {s.name: s for s in session.scalars(select(Station).where(Station.id.in_(applied.report["created_ids"])))}
    mothers = names["七里河区示例爱心妈妈小屋"]
    assert mothers.source_crs == "gcj02" and (mothers.source_lon, mothers.source_lat) == (103.7869, 36.0664)
    assert lonlat(mothers.geom) == pytest.approx(gcj02_to_wgs84(103.7869, 36.0664), abs=1e-7)
    assert names["安次区示例职工书屋"].source_crs == "bd09"
    assert "<img src=x onerror=alert(1)>示例驿站" in names, "HTML is stored as plain text"
    assert names["未知设施示例驿站"].amenities == ["drinking_water"]
    creates = session.scalar(select(func.count()).select_from(StationChange).where(
        StationChange.station_id.in_(applied.report["created_ids"]), StationChange.action == "create"))
    assert creates == 6, "every imported station is in the change feed"


def test_reimporting_the_same_file_changes_nothing(session: Session) -> None:
    first = _dry(session, SAMPLE.read_bytes())
    importer.apply(session=session, job_id=first.id, mode="valid", actor="t")
    count = _count(session)
    again = _dry(session, SAMPLE.read_bytes())
    assert again.report["already_applied"]["job"] == first.public_id
    assert again.report["valid"] == 0 and again.report["duplicates"] == 7
    assert importer.apply(session=session, job_id=again.id, mode="valid", actor="t").report["created"] == 0
    assert _count(session) == count


def test_all_or_nothing_refuses_a_file_with_bad_rows(session: Session) -> None:
    before = _count(session)
    job = importer.apply(session=session, job_id=_dry(session, SAMPLE.read_bytes()).id, mode="all", actor="t")
    assert job.status == "rejected" and "没有写入任何站点" in job.report["refused"]
    assert _count(session) == before


def test_registry_duplicates_by_sign_code_and_by_place(session: Session) -> None:
    existing = station_service.create(session=session, data=station_create(sign_code="620102-Y-09999"))
    csv = (
        "name,kind,address,lon,lat,adcode,sign_code\n"
        "Another name,outdoor_station,甘肃省兰州市城关区,103.90,36.10,620102,620102-Y-09999\n"
        f"{existing.name},outdoor_station,甘肃省兰州市城关区,103.8344,36.0612,620102,\n"
        "远处的驿站,outdoor_station,甘肃省兰州市城关区,103.90,36.10,620102,\n"
    ).encode()
    report = _dry(session, csv).report
    assert report["rows"] == {"2": "duplicate", "3": "duplicate", "4": "ok"}
    duplicate = [i for i in _issues(report, 2) if i["code"] == "dup_code_registered"]
    assert f"#{existing.id}" in duplicate[0]["problem"] and duplicate[0]["column"] == "name"


def test_apply_refuses_rows_registered_since_the_dry_run(session: Session) -> None:
    csv = (
        "name,kind,address,lon,lat,adcode\n"
        "城关示例驿站甲,outdoor_station,甘肃省兰州市城关区,103.8344,36.0612,620102\n"
        "城关示例驿站乙,outdoor_station,甘肃省兰州市城关区,103.8500,36.0500,620102\n"
    ).encode()
    job = _dry(session, csv)
    assert job.report["rows"] == {"2": "ok", "3": "ok"}
    gcj = gcj02_to_wgs84(103.8500, 36.0500)  # registered meanwhile: one at the same place, one in the other datum
    station_service.create(session=session, data=station_create(name="城关示例驿站甲", lon=103.8344, lat=36.0612))
    station_service.create(session=session, data=station_create(name="城关示例驿站乙", lon=gcj[0], lat=gcj[1]))
    before = _count(session)
    applied = importer.apply(session=session, job_id=job.id, mode="valid", actor="t").report
    assert applied["rows"] == {"2": "duplicate", "3": "duplicate"} and applied["created"] == 0
    assert {i["code"] for i in applied["issues"]} >= {"dup_registered", "dup_datum_registered"}
    assert "已登记" in " ".join(i["problem"] for i in applied["issues"])
    assert _count(session) == before


def test_utf8_bom_english_headers_and_the_scope_of_an_editor(session: Session) -> None:
    csv = (
        "\ufeffname,kind,address,lon,lat,crs,hours,amenities,adcode\n"
        "A,驿站,甘肃省兰州市城关区1号,103.83,36.06,高德,24/7,饮水;Microwave,620102\n"
        "B,书屋,甘肃省兰州市七里河区2号,103.78,36.06,wgs84,24/7,图书,620103\n"
    ).encode()
    report = _dry(session, csv, scope="620102").report
    assert report["encoding"] == "utf-8-sig"
    assert report["rows"] == {"2": "ok", "3": "rejected"}
    assert _issues(report, 3)[0]["problem"] == (
        "620103（甘肃省兰州市七里河区）不在你的管辖区域 620102（甘肃省兰州市城关区）内")


def test_xlsx_with_an_unsaved_formula_is_reported(session: Session) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["站点名称", "类型", "地址", "经度", "纬度", "行政区划代码"])
    sheet.append(["甲驿站", "户外劳动者服务站点", "甘肃省兰州市城关区1号", 103.83, 36.06, 620102])
    sheet.append(["乙驿站", "户外劳动者服务站点", "甘肃省兰州市城关区2号", "=D2+0.01", 36.07, 620102])
    out = io.BytesIO()
    book.save(out)
    report = _dry(session, out.getvalue(), "f.xlsx").report
    assert report["rows"] == {"2": "ok", "3": "rejected"}
    assert any(i["code"] == "formula" and i["column"] == "经度" for i in _issues(report, 3))


def test_templates_download_and_import_cleanly(client: TestClient, session: Session) -> None:
    for suffix, name in (("csv", "t.csv"), ("xlsx", "t.xlsx")):
        reply = client.get(f"/api/v1/imports/template.{suffix}")
        assert reply.status_code == 200
        report = _dry(session, reply.content, name).report
        assert report["rows"] == {"2": "ok"}, report["issues"]


def test_apply_reuses_the_dry_runs_file_checks(session: Session) -> None:
    job = _dry(session, SAMPLE.read_bytes(), SAMPLE.name)
    kept = stored.load(job.checked)
    assert kept is not None and len(kept.rows) == 12
    afresh = checking.check(session=session, content=SAMPLE.read_bytes(), filename=SAMPLE.name,
                            options=importer.Options(crs=Crs.WGS84), scope="", limits=importer.Limits())
    again = checking.against_registry(session=session, checked=kept)
    assert build(again, filename=SAMPLE.name) == build(afresh, filename=SAMPLE.name), "the same outcome either way"
    job.content = b"name\n"  # the apply must not read the file again
    applied = importer.apply(session=session, job_id=job.id, mode="valid", actor="t")
    assert applied.report["created"] == 6 and applied.report["rows"] == EXPECTED
    assert applied.checked is None, "dropped once applied"


class _Planted:
    """What a blob planted in the database would make the app run on loading it: create `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_kept_checks_never_call_what_a_planted_blob_names(tmp_path: Path) -> None:
    marker = tmp_path / "planted"
    planted = stored.FORMAT + zlib.compress(pickle.dumps(_Planted(marker)))
    assert stored.load(planted) is None  # refused, so the apply checks the file again
    assert not marker.exists(), "loading the blob ran the command it names"


def test_apply_checks_the_file_again_without_readable_kept_checks(session: Session) -> None:
    assert stored.load(None) is None and stored.load(stored.FORMAT + b"not zlib") is None
    job = _dry(session, SAMPLE.read_bytes(), SAMPLE.name)
    job.checked = b"stations-import-checked-0\n" + (job.checked or b"")[len(stored.FORMAT):]  # an older format
    applied = importer.apply(session=session, job_id=job.id, mode="valid", actor="t")
    assert applied.report["created"] == 6 and applied.report["rows"] == EXPECTED
