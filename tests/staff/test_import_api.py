"""Imports over HTTP on the live app: dry run and apply in worker processes, progress, cancel, a worker that dies
or overruns, and jobs that belong to their creator's region (anyone else gets 404)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import httpx
import pytest

from stations.services.importer import runner
from tests.staff.import_server import PASSWORD, ImportServer, _serve

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "import_sample_gb18030.csv"
EXPECTED = {"2": "ok", "3": "ok", "4": "ok", "5": "ok", "6": "rejected", "7": "rejected", "8": "ok",
            "9": "rejected", "10": "rejected", "11": "rejected", "12": "duplicate", "13": "ok"}
PUBLIC_ID = re.compile(r"^I[0-9A-HJKMNP-TV-Z]{15}$")


def _csv(count: int, *, region: str = "620102") -> bytes:
    lines = ["站点名称,类型,地址,经度(GPS),纬度(GPS),行政区划代码"]
    lines += [f"示例驿站{n}号,驿站,甘肃省兰州市城关区{n}号,{103.834 + n * 1e-4:.4f},36.06,{region}"
              for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def test_dry_run_then_apply_with_progress(uploads: ImportServer) -> None:
    checked = uploads.upload("admin", "sample.csv", SAMPLE.read_bytes())
    assert checked.status_code == 201, checked.text
    job = checked.json()
    assert job["status"] == "checked" and job["report"]["rows"] == EXPECTED and PUBLIC_ID.match(job["id"])
    with uploads.client("admin") as client:
        refused = client.post(f"/api/v1/imports/{job['id']}/apply?mode=all").json()
        assert refused["status"] == "rejected" and "没有写入任何站点" in refused["report"]["refused"]
        again = uploads.upload("admin", "sample.csv", SAMPLE.read_bytes(), apply="valid").json()
        assert again["status"] == "applied"
        assert again["progress"] == {"stage": "writing", "done": 6, "total": 6, "percent": 100.0}
        assert client.get(f"/api/v1/imports/{again['id']}").json()["report"]["created"] == 6
        assert client.post(f"/api/v1/imports/{again['id']}/apply").status_code == 409, "applied once only"
    assert uploads.sql("SELECT count(*) FROM stations")[0][0] == 6
    assert uploads.upload("viewer", "sample.csv", SAMPLE.read_bytes()).status_code == 403


def test_unreadable_files_get_a_clear_4xx_and_leave_a_failed_job(uploads: ImportServer) -> None:
    bad = uploads.upload("admin", "x.csv", b"foo,bar\n1,2\n")
    assert bad.status_code == 422 and "template" in bad.json()["detail"] and "站点名称" in bad.json()["detail"]
    old = uploads.upload("admin", "x.xls", b"\xd0\xcf\x11\xe0")
    assert old.status_code == 422 and ".xlsx" in old.json()["detail"]
    rows = uploads.sql("SELECT status, error_status, length(content) FROM import_jobs ORDER BY id")
    assert [tuple(r) for r in rows] == [("failed", 422, 0), ("failed", 422, 0)], "refused files are not kept"


def test_respond_async_answers_at_once_and_the_job_can_be_followed(uploads: ImportServer) -> None:
    started = uploads.upload("chengguan", "f.csv", _csv(50), prefer="respond-async")
    assert started.status_code == 202 and started.json()["status"] == "checking"
    assert started.headers["location"] == f"/api/v1/imports/{started.json()['id']}"
    done = uploads.follow("chengguan", started.json()["id"])
    assert done["status"] == "checked" and done["report"]["valid"] == 50
    assert done["progress"]["stage"] == "matching" and done["progress"]["percent"] == 100.0


def test_a_cancelled_check_and_a_cancelled_apply_write_nothing(uploads: ImportServer) -> None:
    big = _csv(20_000)
    started = uploads.upload("admin", "big.csv", big, prefer="respond-async").json()
    with uploads.client("admin") as client:
        assert client.post(f"/api/v1/imports/{started['id']}/cancel").json()["cancel_requested"] is True
        assert uploads.follow("admin", started["id"])["status"] == "cancelled"
        assert client.post(f"/api/v1/imports/{started['id']}/cancel").status_code == 409, "it has ended"
        checked = uploads.upload("admin", "big.csv", big).json()
        applying = client.post(f"/api/v1/imports/{checked['id']}/apply?mode=valid",
                               headers={"Prefer": "respond-async"})
        assert applying.status_code == 202 and applying.json()["status"] == "applying"
        client.post(f"/api/v1/imports/{checked['id']}/cancel").raise_for_status()
    assert uploads.follow("admin", checked["id"])["status"] == "cancelled"
    assert uploads.sql("SELECT count(*) FROM stations")[0][0] == 0, "the apply was rolled back"


def test_jobs_belong_to_their_creators_region(uploads: ImportServer) -> None:
    mine = uploads.upload("chengguan", "f.csv", _csv(3)).json()
    other = uploads.upload("chengguan", "f.csv", _csv(3)).json()
    assert mine["id"] != other["id"] and PUBLIC_ID.match(mine["id"]) and PUBLIC_ID.match(other["id"])
    with uploads.client("qilihe") as neighbour:
        for reply in (neighbour.get(f"/api/v1/imports/{mine['id']}"),
                      neighbour.post(f"/api/v1/imports/{mine['id']}/apply?mode=valid"),
                      neighbour.post(f"/api/v1/imports/{mine['id']}/cancel"),
                      neighbour.get("/api/v1/imports/INOSUCHJOB000000"), neighbour.get("/api/v1/imports/1")):
            assert reply.status_code == 404, reply.text
    assert _get(uploads, "qilihe", f"/staff/imports/{mine['id']}").status_code == 404
    assert uploads.sql("SELECT status FROM import_jobs WHERE public_id = :p", p=mine["id"])[0][0] == "checked"
    with uploads.client("lanzhou") as city:
        assert city.get(f"/api/v1/imports/{mine['id']}").status_code == 200, "the city contains the county"
    county_job = uploads.upload("lanzhou", "f.csv", _csv(2)).json()
    with uploads.client("chengguan") as county:
        assert county.get(f"/api/v1/imports/{county_job['id']}").status_code == 404, "not the other way round"
        assert county.post(f"/api/v1/imports/{mine['id']}/apply?mode=valid").json()["status"] == "applied"


def test_a_worker_that_dies_is_a_413_and_no_half_written_job(uploads: ImportServer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "WORKER", (sys.executable, "-c", "import os, signal; os.kill(os.getpid(), 9)"))
    died = uploads.upload("admin", "f.csv", _csv(3))
    assert died.status_code == 413 and "异常退出" in died.json()["detail"]
    assert [tuple(r) for r in uploads.sql("SELECT status, error_status FROM import_jobs")] == [("failed", 413)]


def test_a_worker_past_its_time_limit_is_stopped_with_a_413(import_database: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "WORKER", (sys.executable, "-c", "import time; time.sleep(120)"))
    for server in _serve(import_database, import_worker_seconds=1.0):
        late = server.upload("admin", "f.csv", _csv(3))
        assert late.status_code == 413 and "超过 1 秒仍未完成" in late.json()["detail"]
        job = server.sql("SELECT status FROM import_jobs ORDER BY id DESC LIMIT 1")[0][0]
        assert job == "failed"


def test_the_staff_page_lists_imports_not_dry_runs(uploads: ImportServer) -> None:
    dry = uploads.upload("chengguan", "dry.csv", _csv(2)).json()
    applied = uploads.upload("chengguan", "applied.csv", _csv(3, region="620102"), apply="valid").json()
    page = _get(uploads, "chengguan", "/staff/imports").text
    assert applied["id"] in page and dry["id"] not in page
    assert dry["id"] in _get(uploads, "chengguan", f"/staff/imports/{dry['id']}").text, "a dry run is reachable"


def _get(server: ImportServer, who: str, path: str) -> httpx.Response:
    """A staff page as `who` sees it after logging in through the form."""
    with httpx.Client(base_url=server.url) as browser:
        browser.post("/staff/login", data={"username": who, "password": PASSWORD})
        return browser.get(path)


def test_the_staff_page_checks_reports_and_applies_without_javascript(uploads: ImportServer) -> None:
    with httpx.Client(base_url=uploads.url, timeout=120) as browser:
        browser.post("/staff/login", data={"username": "admin", "password": PASSWORD})
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/staff/imports").text)
        assert csrf
        files = {"file": (SAMPLE.name, SAMPLE.read_bytes(), "text/csv")}
        report = browser.post("/staff/imports", data={"csrf_token": csrf.group(1), "crs": "wgs84"}, files=files)
        assert report.status_code == 200
        assert "经度和纬度填反了" in report.text and "Mo-Su 08:00-18:00" in report.text
        job = re.search(r"/staff/imports/(I\w+)/apply", report.text)
        assert job
        done = browser.post(f"/staff/imports/{job.group(1)}/apply", data={"csrf_token": csrf.group(1), "mode": "valid"})
        assert "已导入 6 个站点" in done.text
        listed = browser.get("/staff/stations?q=onerror").text
        assert "&lt;img src=x onerror=alert(1)&gt;示例驿站" in listed and "<img src=x" not in listed
        again = browser.post(f"/staff/imports/{job.group(1)}/apply", data={"csrf_token": csrf.group(1), "mode": "all"})
        assert again.status_code == 409 and "不能再导入" in again.text
