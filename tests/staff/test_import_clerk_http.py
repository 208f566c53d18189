"""A clerk's messy spreadsheet through the CLI and the API (live app, worker processes): the report asserted row by
row in Chinese and with lang=en, a sheet chosen, a file without a datum that must state it before apply, unknown
hours in the nearest lookup, and region scope (a new editor of 620100 imports Lanzhou; one of 620102 cannot touch
620103)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from stations.cli import main
from tests.staff import messy_files as files
from tests.staff.import_server import PASSWORD, ImportServer
from tests.staff.test_import_clerk_files import by_row
from tests.support import migrated_database


@pytest.fixture(scope="module")
def _cli_database() -> Iterator[str]:
    """A database of its own for the CLI, which commits (stations, sign serials, jobs)."""
    with migrated_database(f"stations_cli_import_{os.getpid()}") as url:
        yield url


@pytest.fixture
def cli_db(_cli_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI pointed at its own database, emptied after each test."""
    monkeypatch.setenv("STATIONS_DATABASE_URL", _cli_database)
    monkeypatch.setenv("STATIONS_LOG_FORMAT", "console")
    yield _cli_database
    engine = create_engine(_cli_database)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE stations, sites, import_jobs, sign_serials RESTART IDENTITY CASCADE"))
    engine.dispose()


def test_the_cli_prints_the_workbooks_report_row_by_row(cli_db: str, tmp_path: Path) -> None:
    book = tmp_path / "城关区驿站统计.xlsx"
    book.write_bytes(files.lanzhou_workbook())
    out = CliRunner().invoke(main, ["import", str(book)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[:3] == [
        "整个文件 提示: 表头在工作表“城关区”的第 3 行",
        f"整个文件 提示: 表头前的第 1、2 行是标题或说明，已跳过：“{files.TITLE}”",
        "整个文件 警告: 工作簿有 3 个工作表（城关区、七里河区、填表说明），读取了“城关区”；“七里河区”看起来也是站点表，"
        "没有读取 → --sheet 七里河区（网页：选择工作表后重新检查）",
    ]
    assert lines[7:11] == [
        "未导入的列：", "  A “序号”: 未导入：这是序号，系统自己给站点编号", "  L “星级”: 未导入：不认识的表头",
        "  M “备注”: 未导入：站点没有备注字段，需要保存的内容请写入对应的列"]
    assert ("第 4,5,6,8 行 提示 [行政区划代码]: 没有行政区划代码：按所属区县“城关区”定为 620102（甘肃省兰州市城关区）"
            " → 620102") in lines
    assert ("第 5 行 错误 [开放时间]: “周一至周五 9:00-17:00 节假日休息”不是 opening_hours 格式的开放时间 → "
            "Mo-Fr 09:00-17:00; PH off") in lines
    assert "第 5,8 行 提示 [经度(高德)]: 全角数字或符号已按半角读取" in lines
    assert ("第 7 行 错误 [所属区县]: 所属区县“七里河区”与地址“甘肃省兰州市城关区”不符，"
            "地址、坐标都在 城关区（620102） → 城关区") in lines
    assert lines[-2] == "共 7 行：3 行可导入，2 行有错误，0 行重复（跳过），0 行空行，2 行合计或表尾（跳过）"
    english = CliRunner().invoke(main, ["import", str(book), "--sheet", "七里河区", "--lang", "en"])
    assert english.output.splitlines()[:4] == [
        "file note: the header is on row 2 of sheet “七里河区”",
        "file note: the header spans rows 2-3 (merged group titles above the column names)",
        "file note: row(s) 1 above the header are a title or remark, skipped: “七里河区工会服务阵地一览表”",
        "file note: sheet “七里河区” was read, as chosen"]
    assert ("row 5 error [开放时间]: “工作日 8:30-17:30” is not an opening_hours expression → "
            "Mo-Fr 08:30-17:30; PH off") in english.output


def test_the_cli_refuses_to_apply_a_file_that_must_state_its_datum(cli_db: str, tmp_path: Path) -> None:
    truth, amap = tmp_path / "truth.csv", tmp_path / "amap.csv"
    truth.write_bytes(files.truth_csv())
    amap.write_bytes(files.no_datum_csv())
    assert CliRunner().invoke(main, ["import", str(truth), "--apply", "valid"]).exit_code == 0
    refused = CliRunner().invoke(main, ["import", str(amap), "--apply", "valid"])
    assert refused.exit_code == 1
    assert ("整个文件 警告: 文件没有说明坐标系，而坐标像是高德/腾讯（GCJ-02）坐标："
            "3 个站点与已登记的同名站点相差") in refused.output
    assert refused.output.splitlines()[-1] == "文件没有说明坐标系，而坐标像是 GCJ-02：加 --crs 说明坐标系后再导入"
    stated = CliRunner().invoke(main, ["import", str(amap), "--crs", "gcj02", "--apply", "valid"])
    assert stated.exit_code == 0 and "已导入 0 个站点" in stated.output, "the same stations, compared in WGS-84"


def _report(server: ImportServer, who: str, job: str, lang: str = "zh") -> dict[str, Any]:
    with server.client(who) as client:
        reply = client.get(f"/api/v1/imports/{job}", params={"lang": lang})
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body


def test_the_api_reports_the_workbook_row_by_row_in_both_languages(uploads: ImportServer) -> None:
    checked = uploads.upload("admin", "城关区.xlsx", files.lanzhou_workbook())
    assert checked.status_code == 201, checked.text
    job = checked.json()
    report = job["report"]
    assert report["rows"] == {"4": "ok", "5": "rejected", "6": "ok", "7": "rejected", "8": "ok"}
    assert by_row(report)[7] == [("error", "所属区县", "place_disagrees", "城关区")]
    assert "en" not in report, "each language gets its own texts only"
    english = _report(uploads, "admin", job["id"], "en")["report"]
    assert "en" not in english and english["file_notes"][0]["problem"] == "the header is on row 3 of sheet “城关区”"
    assert by_row(english) == by_row(report), "the same notes on the same rows"
    assert next(i for i in english["issues"] if i["code"] == "hours_empty")["problem"].startswith(
        "no opening hours: stored as unknown")
    with uploads.client("admin") as client:
        again = client.post(f"/api/v1/imports/{job['id']}/recheck", data={"sheet": "七里河区"})
        assert again.status_code == 201, again.text
        assert again.json()["report"]["sheet"] == "七里河区" and again.json()["id"] != job["id"]
        missing = client.post(f"/api/v1/imports/{job['id']}/recheck?lang=en", data={"sheet": "西固区"})
        assert missing.status_code == 422 and missing.json()["detail"].startswith("the workbook has no sheet “西固区”")
        applied = client.post(f"/api/v1/imports/{job['id']}/apply?mode=valid").json()
        assert applied["status"] == "applied" and applied["report"]["created"] == 3
        nearest = client.get("/api/v1/stations/nearest", params={
            "lon": files.CHENGGUAN[2][0], "lat": files.CHENGGUAN[2][1], "limit": 1}).json()["features"][0]
        assert nearest["properties"]["name"] == "城关区皋兰路驿站"
        assert (nearest["properties"]["hours"], nearest["properties"]["open"]) == ("unknown", None)
        assert nearest["properties"]["hours_confidence"] == "unknown", "never called open"
        only_open = client.get("/api/v1/stations/nearest", params={
            "lon": files.CHENGGUAN[2][0], "lat": files.CHENGGUAN[2][1], "radius_m": 300, "open_now": "true"}).json()
        assert "城关区皋兰路驿站" not in [f["properties"]["name"] for f in only_open["features"]]


def test_a_file_without_a_datum_must_state_it_before_apply_over_the_api(uploads: ImportServer) -> None:
    assert uploads.upload("admin", "truth.csv", files.truth_csv(), apply="valid").json()["report"]["created"] == 3
    job = uploads.upload("chengguan", "amap.csv", files.no_datum_csv()).json()
    assert job["report"]["needs"] == ["crs"]
    with uploads.client("chengguan") as client:
        refused = client.post(f"/api/v1/imports/{job['id']}/apply?mode=valid")
        assert refused.status_code == 409 and "没有说明坐标系" in refused.json()["detail"]
        english = client.post(f"/api/v1/imports/{job['id']}/apply?mode=valid&lang=en")
        assert english.json()["detail"].endswith("states no coordinate system and its points look like GCJ-02: "
                                                 "choose the system, check again, then apply")
        stated = client.post(f"/api/v1/imports/{job['id']}/recheck", data={"crs": "gcj02"}).json()
        assert stated["report"]["needs"] == [] and stated["report"]["duplicates"] == 3
    assert uploads.sql("SELECT count(*) FROM stations")[0][0] == 3, "nothing was imported twice"


def test_a_new_editor_of_620100_imports_lanzhou_and_one_of_620102_cannot_touch_620103(
    uploads: ImportServer, import_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATIONS_DATABASE_URL", import_database)
    monkeypatch.setenv("STATIONS_PASSWORD_HASH_COST", "test")
    added = CliRunner().invoke(main, ["users", "add", "newcity", "--role", "editor", "--region", "620100",
                                      "--password", PASSWORD])
    assert added.exit_code == 0 and "newcity (editor 6201)" in added.output, added.output
    try:
        city = uploads.upload("newcity", "兰州.csv", files.lanzhou_city_csv(), apply="valid").json()
        assert city["status"] == "applied" and city["report"]["created"] == 6
        codes = [row[0] for row in uploads.sql("SELECT adcode FROM stations ORDER BY adcode")]
        assert codes == ["620102", "620102", "620103", "620103", "620104", "620104"]
        county = uploads.upload("chengguan", "兰州.csv", files.lanzhou_city_csv()).json()["report"]
        assert [r for r, s in county["rows"].items() if s == "rejected"] == ["4", "5", "6", "7"]
        assert {n["code"] for n in county["issues"] if n["level"] == "error"} == {"outside_scope"}
        qilihe = uploads.sql("SELECT id FROM stations WHERE adcode = '620103' LIMIT 1")[0][0]
        qilihe_job = uploads.upload("qilihe", "f.csv", files.lanzhou_city_csv()).json()["id"]
        with uploads.client("chengguan") as client:
            assert client.patch(f"/api/v1/stations/{qilihe}", json={"name": "改名"},
                                headers={"If-Match": '"1"'}).status_code == 403
            assert client.get(f"/api/v1/imports/{qilihe_job}").status_code == 404
            assert client.post(f"/api/v1/imports/{qilihe_job}/apply?mode=valid").status_code == 404
    finally:
        uploads.sql("DELETE FROM staff_users WHERE username = 'newcity'")
