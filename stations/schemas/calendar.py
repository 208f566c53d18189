"""The holiday calendar as the admin API shows it: years and their state, and a load's report."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel


class CalendarYear(BaseModel):
    """One year: official (chinesecalendar), loaded (by an admin) or not known (hours judged provisionally)."""

    year: int
    state: Literal["official", "loaded", "not_known"]
    source: str | None = None
    loaded_by: str | None = None
    loaded_at: str | None = None
    days: int = 0
    package_check: str | None = None


class CalendarStatus(BaseModel):
    """Every year the registry knows, and what staff must be told (a missing schedule), if anything."""

    years: list[CalendarYear]
    notice: str | None


class CalendarDay(BaseModel):
    """A listed day of a schedule."""

    date: str
    kind: Literal["holiday", "makeup_workday"]
    name: str


class CalendarBlock(BaseModel):
    """A holiday break (consecutive days off with one name) or a make-up workday."""

    kind: Literal["holiday", "makeup_workday"]
    name: str
    first: str
    last: str
    days: int


class CalendarReport(BaseModel):
    """What a schedule file holds, what is wrong with it, and how it changes the stored year."""

    year: int
    source: str
    papers: list[str]
    ok: bool
    errors: list[str]
    warnings: list[str]
    days: int
    blocks: list[CalendarBlock]
    replaces: dict[str, str] | None
    added: list[CalendarDay]
    removed: list[CalendarDay]
    changed: list[CalendarDay]
    applied: bool = False


class CalendarLoad(BaseModel):
    """One load of a year's schedule: who, when, from what, and what it changed."""

    id: int
    source: str
    actor: str
    changed_at: str
    summary: dict[str, Any]


class CalendarYearDetail(BaseModel):
    """A year's listed days and the history of its loads, newest first."""

    year: int
    days: list[CalendarDay]
    history: list[CalendarLoad]
