"""Next year's holiday schedule loaded through the API, the CLI and the staff page, as a rider sees the result.

The 2027 file is synthetic (tests/fixtures/holidays/README.md). Before it is loaded, 2027 lookups answer
provisionally; after, a holiday in it closes `PH off` stations and a make-up workday follows Monday's hours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from stations.cli import main
from stations.db.models import StaffUser
from stations.hours import SHANGHAI
from tests.db.test_nearest import insert_station
from tests.staff.conftest import PASSWORD
from tests.support import Clock, Registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "holidays"
SYNTHETIC = FIXTURES / "2027-synthetic.json"
NEAREST = "/api/v1/stations/nearest"
OFFICE = "Mo-Fr 08:30-17:30; PH off"


@pytest.fixture
def office_and_shop(registry: Registry) -> dict[str, int]:
    """An office-hours station (PH off) and a 24/7 one next to it, in 兰州 (committed: lookups read them)."""
    return {
        "office": insert_station(registry, lon=103.8343, lat=36.0611, name="城关区示例驿站", hours=OFFICE),
        "always": insert_station(registry, lon=103.8353, lat=36.0611, name="全天示例驿站", hours="24/7"),
    }


def lookup(client: TestClient, **params: Any) -> dict[int, dict[str, Any]]:
    reply = client.get(NEAREST, params={"lon": 103.8343, "lat": 36.0611, **params})
    assert reply.status_code == 200, reply.text
    return {f["id"]: f["properties"] for f in reply.json()["features"]}


def upload(client: TestClient, headers: dict[str, str], *, apply: bool, path: Path = SYNTHETIC) -> Any:
    return client.post("/api/v1/admin/calendar/imports", headers=headers, data={"apply": str(apply).lower()},
                       files={"file": (path.name, path.read_bytes(), "application/json")})


def test_before_the_load_2027_is_provisional_and_never_refused(
    client: TestClient, office_and_shop: dict[str, int], clock: Clock
) -> None:
    clock.now = datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI)  # an ordinary Tuesday; the notice is not loaded
    rows = lookup(client, open_now="true")
    office, always = rows[office_and_shop["office"]], rows[office_and_shop["always"]]
    assert (office["open"], office["hours_confidence"], office["open_on_ordinary_day"]) == (None, "provisional", True)
    assert (always["open"], always["hours_confidence"]) == (True, "certain")
    # The synthetic Spring Festival Monday: before the load it is an ordinary Monday (provisionally open).
    holiday = lookup(client, open_at="2027-02-08T10:00:00")
    assert holiday[office_and_shop["office"]]["open_on_ordinary_day"] is True
    saturday = lookup(client, open_at="2027-02-20T10:00:00")  # a make-up workday in the file, a Saturday before it
    assert office_and_shop["office"] not in saturday


def test_loaded_through_the_api_the_schedule_decides(
    client: TestClient, office_and_shop: dict[str, int], login: Callable[[str], dict[str, str]], clock: Clock
) -> None:
    admin = login("admin")
    dry = upload(client, admin, apply=False)
    assert dry.status_code == 200 and dry.json()["ok"] and not dry.json()["applied"]
    assert lookup(client, open_at="2027-02-08T10:00:00")[office_and_shop["office"]]["hours_confidence"] == "provisional"
    applied = upload(client, admin, apply=True)
    assert applied.status_code == 201, applied.text
    assert applied.json()["applied"] and len(applied.json()["added"]) == 34
    # A holiday in the file closes PH-off stations: gone from the open filter, certain.
    holiday = lookup(client, open_at="2027-02-08T10:00:00")
    assert office_and_shop["office"] not in holiday and holiday[office_and_shop["always"]]["open"] is True
    clock.now = datetime(2027, 2, 8, 10, 0, tzinfo=SHANGHAI)
    office = lookup(client)[office_and_shop["office"]]
    assert (office["open"], office["hours_confidence"]) == (False, "certain")
    # A make-up workday (Saturday 20 February) follows Monday's hours.
    saturday = lookup(client, open_at="2027-02-20T10:00:00")
    assert saturday[office_and_shop["office"]]["open"] is True
    status = client.get("/api/v1/admin/calendar", headers=admin).json()
    year = next(y for y in status["years"] if y["year"] == 2027)
    assert (year["state"], year["loaded_by"], year["days"]) == ("loaded", "admin", 34)
    detail = client.get("/api/v1/admin/calendar/2027", headers=admin).json()
    assert len(detail["days"]) == 34 and [h["actor"] for h in detail["history"]] == ["admin"]
    assert detail["history"][0]["summary"]["action"] == "load"
    assert client.get("/api/v1/admin/calendar/2031", headers=admin).status_code == 404


def test_only_admins_load_and_a_not_published_file_loads_nothing(
    client: TestClient, login: Callable[[str], dict[str, str]], office_and_shop: dict[str, int]
) -> None:
    assert upload(client, login("lanzhou"), apply=True).status_code == 403
    assert client.get("/api/v1/admin/calendar", headers=login("viewer")).status_code == 200
    empty = upload(client, login("admin"), apply=True, path=FIXTURES / "2027-not-published.json")
    assert empty.status_code == 422 and "尚未发布" in empty.json()["detail"]
    assert lookup(client, open_at="2027-02-08T10:00:00")[office_and_shop["office"]]["hours_confidence"] == "provisional"


def test_readyz_and_the_dashboard_warn_from_november(
    client: TestClient, clock: Clock, staff: dict[str, StaffUser]
) -> None:
    clock.now = datetime(2026, 10, 20, 9, 0, tzinfo=SHANGHAI)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["detail"] is None
    clock.now = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and "2027 年的节假日安排尚未导入" in ready.json()["detail"]
    client.post("/staff/login", data={"username": "viewer", "password": PASSWORD})
    page = client.get("/staff")
    assert 'id="calendar-notice"' in page.text and "2027 年的节假日安排尚未导入" in page.text


def test_the_staff_page_checks_then_loads(client: TestClient, clock: Clock, staff: dict[str, StaffUser],
                                          office_and_shop: dict[str, int]) -> None:
    clock.now = datetime(2026, 12, 6, 9, 0, tzinfo=SHANGHAI)
    client.post("/staff/login", data={"username": "admin", "password": PASSWORD})
    page = client.get("/staff/calendar")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf and "未导入（按常规推算）" in page.text
    checked = client.post("/staff/calendar", data={"csrf_token": csrf.group(1)},
                          files={"file": ("2027.json", SYNTHETIC.read_bytes(), "application/json")})
    assert checked.status_code == 200 and "确认导入 2027 年" in checked.text
    assert "2027-02-05 至 2027-02-12" in checked.text
    content = re.search(r'<textarea name="content" hidden>(.*?)</textarea>', checked.text, re.S)
    assert content is not None
    done = client.post("/staff/calendar/apply", data={"csrf_token": csrf.group(1), "filename": "2027.json",
                                                      "content": _unescape(content.group(1))})
    assert done.status_code == 200 and "已导入 2027 年的节假日安排" in done.text
    assert lookup(client, open_at="2027-02-08T10:00:00").get(office_and_shop["office"]) is None


def _unescape(html: str) -> str:
    return html.replace("&#34;", '"').replace("&quot;", '"').replace("&#39;", "'").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&amp;", "&")


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI on the test database; the years it loads are removed afterwards (it commits)."""
    monkeypatch.setenv("STATIONS_DATABASE_URL", database_url)
    monkeypatch.setenv("STATIONS_LOG_FORMAT", "console")
    yield database_url
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM holiday_schedules WHERE year = 2027"))
        conn.execute(text("DELETE FROM holiday_changes WHERE year = 2027"))
    engine.dispose()


def test_the_cli_dry_runs_then_loads_and_reports_status(cli_database: str) -> None:
    runner = CliRunner()
    dry = runner.invoke(main, ["calendar", "import", str(SYNTHETIC)])
    assert dry.exit_code == 0, dry.output
    assert "2027-02-05 至 2027-02-12  春节  放假（8 天）" in dry.output and "仅检查，未写入" in dry.output
    assert "2027  未知：按常规推算" in runner.invoke(main, ["calendar", "status"]).output
    loaded = runner.invoke(main, ["calendar", "import", str(SYNTHETIC), "--apply", "--actor", "zhang"])
    assert loaded.exit_code == 0 and "已导入 2027 年" in loaded.output
    status = runner.invoke(main, ["calendar", "status"]).output
    assert re.search(r"2027  已导入，holiday-cn 2027-synthetic\.json，zhang 于 \S+（34 天）", status), status
    refused = runner.invoke(main, ["calendar", "import", str(FIXTURES / "2027-not-published.json"), "--apply"])
    assert refused.exit_code == 1 and "尚未发布" in refused.output
