"""Checklists and star rules per province, as data with a version: loaded from JSON, never edited in place."""

from __future__ import annotations

import json

from pydantic import ValidationError
from sqlalchemy.orm import Session

from stations.db import trust_queries as queries
from stations.db.models import Checklist
from stations.errors import Conflict, InvalidInput, NotFound
from stations.regions import PROVINCES
from stations.schemas.trust import ChecklistRules

NATIONAL = "00"


def parse(text: str | bytes) -> ChecklistRules:
    """A checklist file checked: InvalidInput saying what to fix."""
    try:
        rules = ChecklistRules.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()) \
            if isinstance(exc, ValidationError) else str(exc)
        raise InvalidInput(f"检查表文件有误 (checklist file is not valid): {detail}") from exc
    if rules.province != NATIONAL and rules.province not in PROVINCES:
        raise InvalidInput(f"unknown province {rules.province!r}: use two adcode digits such as 62, or 00")
    codes = [item.code for item in rules.items]
    if len(set(codes)) != len(codes):
        raise InvalidInput("item codes must be unique within a checklist")
    if len({level.stars for level in rules.stars}) != len(rules.stars):
        raise InvalidInput("each number of stars may be described once")
    return rules


def load(*, session: Session, rules: ChecklistRules, actor: str) -> Checklist:
    """Store a new version; Conflict if that province already has it (versions are never rewritten)."""
    if queries.checklist(session=session, province=rules.province, version=rules.version) is not None:
        raise Conflict(f"checklist {rules.province}-{rules.version} exists: versions never change, give a new one")
    row = Checklist(province=rules.province, version=rules.version, name=rules.name,
                    rules=rules.model_dump(mode="json"), loaded_by=actor)
    session.add(row)
    session.flush()
    return row


def for_station(*, session: Session, adcode: str) -> tuple[Checklist, ChecklistRules]:
    """The checklist in force for a station: its province's latest version, else the national one's."""
    row = queries.checklist(session=session, province=adcode[:2]) or queries.checklist(
        session=session, province=NATIONAL)
    if row is None:
        raise NotFound("no checklist loaded: load one with `stations checklists load FILE`")
    return row, ChecklistRules.model_validate(row.rules)


def all_versions(*, session: Session) -> list[Checklist]:
    """Every stored version."""
    return queries.checklists(session=session)
