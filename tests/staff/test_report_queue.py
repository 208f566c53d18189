"""The worker-report queue: open reports of the region, resolved with a note, confirming refreshes verified_at."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stations.db.models import ReportKind, ReportResolution, StaffUser, Station, StationReport
from stations.schemas.report import ReportCreate
from stations.services.feedback import reports
from stations.services.registry import stations as service
from tests.factories import station_create
from tests.staff.conftest import PASSWORD


def _report(session: Session, **station: str) -> tuple[Station, StationReport]:
    s = service.create(session=session, data=station_create(**station))
    r = reports.create(session=session, station_id=s.id, report=ReportCreate(kind=ReportKind.NO_WATER, text="没水了"),
                       today=date(2026, 11, 25))
    return s, r


def _page_login(client: TestClient, username: str) -> str:
    client.post("/staff/login", data={"username": username, "password": PASSWORD})
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/staff/reports").text)
    assert match
    return match.group(1)


def test_county_queue_shows_only_its_reports_and_resolving_confirms(
    client: TestClient, session: Session, staff: dict[str, StaffUser]
) -> None:
    mine, report = _report(session)
    _, other = _report(session, adcode="620103", address="甘肃省兰州市七里河区1号", name="七里河驿站")
    csrf = _page_login(client, "chengguan")
    queue = client.get("/staff/reports").text
    assert "没水了" in queue and mine.name in queue and "七里河驿站" not in queue
    no_note = client.post(f"/staff/reports/{report.id}", data={"csrf_token": csrf, "status": "resolved"})
    assert no_note.status_code == 422
    done = client.post(f"/staff/reports/{report.id}", follow_redirects=False,
                       data={"csrf_token": csrf, "status": "resolved", "note": "已送水", "confirms": "1"})
    assert done.status_code == 303
    session.expire_all()
    assert session.get(StationReport, report.id).status == "resolved"  # type: ignore[union-attr]
    resolution = session.scalars(select(ReportResolution).where(ReportResolution.report_id == report.id)).one()
    assert resolution.note == "已送水" and resolution.handled_by == "chengguan" and resolution.confirms_station
    station = session.get(Station, mine.id)
    assert station is not None and station.verified_at is not None and station.version == 1, "not a registry edit"
    assert "没水了" not in client.get("/staff/reports").text
    forbidden = client.post(f"/staff/reports/{other.id}", data={"csrf_token": csrf, "status": "dismissed", "note": "x"})
    assert forbidden.status_code == 403
