"""Checklists, inspections, findings and per-fact confirmations under /api/v1 (staff; inspectors in their region)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Request, Response, status

from stations.api.deps import CurrentAdmin, CurrentStaff, SessionDep
from stations.db import trust_queries
from stations.db.models import Checklist
from stations.schemas.trust import (
    ChecklistPublic,
    ChecklistRules,
    FactsChecked,
    FindingFix,
    FindingPublic,
    InspectionCreate,
    InspectionPublic,
)
from stations.services.registry import stations as registry
from stations.services.staff import auth
from stations.services.trust import checklists, facts, inspections

router = APIRouter(prefix="/api/v1", tags=["inspections"])
StationId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _checklist(row: Checklist) -> ChecklistPublic:
    return ChecklistPublic.model_validate({"province": row.province, "version": row.version, "name": row.name,
                                           "rules": row.rules, "loaded_by": row.loaded_by,
                                           "loaded_at": row.loaded_at})


@router.get("/checklists", response_model=list[ChecklistPublic])
def list_checklists(session: SessionDep) -> list[ChecklistPublic]:
    """Every checklist version loaded (province 00 is the national default)."""
    return [_checklist(row) for row in checklists.all_versions(session=session)]


@router.post("/checklists", response_model=ChecklistPublic, status_code=status.HTTP_201_CREATED)
def load_checklist(rules: Annotated[ChecklistRules, Body()], user: CurrentAdmin,
                   session: SessionDep) -> ChecklistPublic:
    """Load a new version of a province's checklist and star rules (admins; versions are never rewritten)."""
    checklists.parse(rules.model_dump_json())
    return _checklist(checklists.load(session=session, rules=rules, actor=user.username))


@router.get("/stations/{station_id}/checklist", response_model=ChecklistPublic)
def station_checklist(station_id: StationId, session: SessionDep) -> ChecklistPublic:
    """The checklist an inspection of this station uses: its province's latest, else the national one."""
    station = registry.get(session=session, station_id=station_id)
    return _checklist(checklists.for_station(session=session, adcode=station.adcode)[0])


@router.post("/stations/{station_id}/inspections", response_model=InspectionPublic,
             status_code=status.HTTP_201_CREATED)
def create_inspection(station_id: StationId, data: InspectionCreate, user: CurrentStaff, session: SessionDep,
                      request: Request) -> InspectionPublic:
    """Record a visit: every checklist item answered; failed items become open findings; the station is rated."""
    inspection = inspections.record(session=session, station_id=station_id, data=data, user=user,
                                    now=request.app.state.clock())
    return inspections.public(session=session, inspection=inspection)


@router.get("/stations/{station_id}/inspections", response_model=list[InspectionPublic])
def list_inspections(station_id: StationId, _: CurrentStaff, session: SessionDep) -> list[InspectionPublic]:
    """A station's inspections, latest first, with their findings."""
    registry.get(session=session, station_id=station_id)
    return [inspections.public(session=session, inspection=i)
            for i in trust_queries.inspections_of(session=session, station_id=station_id)]


@router.post("/findings/{finding_id}/fix", response_model=FindingPublic)
def fix_finding(finding_id: Annotated[int, Path(ge=1, le=2**63 - 1)], data: FindingFix, user: CurrentStaff,
                session: SessionDep, request: Request) -> FindingPublic:
    """Record how a finding was fixed; the reply says how many days it stayed open."""
    finding = inspections.fix(session=session, finding_id=finding_id, note=data.note, user=user,
                              now=request.app.state.clock())
    return inspections.finding_public(finding)


@router.post("/stations/{station_id}/checks", status_code=status.HTTP_204_NO_CONTENT)
def confirm_facts(station_id: StationId, data: FactsChecked, user: CurrentStaff, session: SessionDep,
                  request: Request) -> Response:
    """Staff checked these facts and found them right: today's check date on each, no registry edit."""
    station = registry.get(session=session, station_id=station_id)
    auth.ensure_in_scope(auth.inspect_scope(user), station.adcode)
    facts.confirm(session=session, station_id=station_id, facts=data.facts, today=request.app.state.clock().date())
    return Response(status_code=status.HTTP_204_NO_CONTENT)

