"""The dry run: the file read and every row checked as it streams in, then duplicates in the file and in the
registry, then whether a file that states no coordinate system looks like GCJ-02."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session

from stations.db import import_queries
from stations.db.models import ImportJob
from stations.services.importer import datum, duplicates, jobs, kinds, reader, registered, stored
from stations.services.importer.limits import Limits
from stations.services.importer.messages import Note, Text
from stations.services.importer.options import Options
from stations.services.importer.progress import Progress, no_progress
from stations.services.importer.report import Checked, build
from stations.services.importer.rows import CRS_WORDS, CheckedRow, Context, check_row
from stations.services.importer.sheet import Sheet

_EVERY = 256  # rows between two progress reports


def _where(sheet: Sheet) -> dict[str, Any]:
    if sheet.name is None:
        return {"sheet_zh": "", "sheet_en": ""}
    return {"sheet_zh": f"工作表“{sheet.name}”的", "sheet_en": f" of sheet “{sheet.name}”"}


def _reading_notes(sheet: Sheet, options: Options) -> list[Note]:
    header, notes = sheet.header, [Note("header_at", "note", params={**_where(sheet), "row": sheet.header.first_row})]
    if header.last_row != header.first_row:
        notes.append(Note("header_two_rows", "note", params={"first": header.first_row, "last": header.last_row}))
    if sheet.before:
        numbers = [str(n) for n, _ in sheet.before[:10]]
        rows = Text("、".join(numbers), ", ".join(numbers))
        notes.append(Note("rows_before_header", "note", params={"rows": rows, "title": sheet.title[:60]}))
    if options.sheet is not None:
        notes.append(Note("sheet_chosen", "note", params={"sheet": sheet.name}))
    elif len(sheet.sheets) > 1:
        others = sheet.station_sheets
        nxt = others[0] if others else next(s for s in sheet.sheets if s != sheet.name)
        notes.append(Note("other_sheets", "warning" if others else "note", params={
            "count": len(sheet.sheets), "sheet": sheet.name, "next": nxt,
            "names": Text("、".join(sheet.sheets[:12]), ", ".join(sheet.sheets[:12])),
            "others": f"；“{'”“'.join(others)}”看起来也是站点表，没有读取" if others else "",
            "others_en": f"; “{'”, “'.join(others)}” also look like station lists and were not read"
            if others else ""}))
    return notes


def _context(sheet: Sheet, options: Options, scope: str, notes: list[Note]) -> Context:
    header = sheet.header
    stating = next((c for c in (header.column(f) for f in ("lon", "lat", "lonlat")) if c and c.crs), None)
    crs, said = (stating.crs, stating.header) if stating else (options.crs, "")
    if stating and stating.crs and options.crs and options.crs is not stating.crs:
        notes.append(Note("crs_upload_overridden", "warning", params={
            "header": stating.header, "crs": CRS_WORDS[stating.crs], "chosen": CRS_WORDS[options.crs]}))
    elif stating and stating.crs:
        notes.append(Note("crs_from_header", "note", params={"header": stating.header, "crs": CRS_WORDS[stating.crs]}))
    elif options.crs:
        notes.append(Note("crs_from_upload", "note", params={"crs": CRS_WORDS[options.crs]}))
    has_kind, kind, title_kind = header.column("kind") is not None, options.kind, None
    if kind and has_kind:
        notes.append(Note("kind_fills_blanks", "note", params={"kind": kinds.label(kind)}))
    elif kind:
        notes.append(Note("kind_from_upload", "note", params={"kind": kinds.label(kind)}))
    elif not has_kind and (title_kind := kinds.of_title(sheet.title)):
        notes.append(Note("kind_from_title", "note", params={"kind": kinds.label(title_kind),
                                                             "title": sheet.title[:60]}))
    if header.column("adcode") is None:
        notes.append(Note("adcode_derived_file", "note"))
    return Context(scope=scope, crs=crs, crs_header=said, kind=kind, title_kind=title_kind)


def check(
    *, session: Session, content: bytes, filename: str, options: Options, scope: str, limits: Limits,
    progress: Progress = no_progress,
) -> Checked:
    """Read and check every row, then flag duplicates within the file and against the registry."""
    checked = read(content=content, filename=filename, options=options, scope=scope, limits=limits,
                   progress=progress)
    return against_registry(session=session, checked=checked, progress=progress)


def read(
    *, content: bytes, filename: str, options: Options, scope: str, limits: Limits, progress: Progress = no_progress,
) -> Checked:
    """What the file alone says: every row read and checked, and duplicates within the file flagged (the same for
    the same file, options and scope; `against_registry` adds what depends on the registry)."""
    sheet = reader.read(content, filename, limits, sheet=options.sheet)
    file_notes = _reading_notes(sheet, options)
    context = _context(sheet, options, scope, file_notes)
    rows: list[CheckedRow] = []
    skipped: list[Note] = []
    last = sheet.header_row
    for raw in sheet.rows:
        last = raw.number
        if raw.skip:
            skipped.append(Note(raw.skip, "note", rows=[raw.number]))
        elif any(v.strip() for v in raw.values.values()):
            rows.append(check_row(raw.number, raw.values, formulas=raw.formulas, context=context))
            if len(rows) % _EVERY == 0:
                progress("reading", len(rows))
    progress("reading", len(rows), len(rows))
    if sheet.filled[0]:
        file_notes.append(Note("merged_filled", "note", params={"count": sheet.filled[0]}))
    duplicates.within_file(rows)
    return Checked(sheet=dataclasses.replace(sheet, rows=iter(())), context=context, file_notes=file_notes,
                   total_rows=last - sheet.header_row, rows=rows, skipped=skipped)


def against_registry(*, session: Session, checked: Checked, progress: Progress = no_progress) -> Checked:
    """Flag `read`'s rows already in the registry, then say whether a file stating no system looks like GCJ-02."""
    rows, file_notes = checked.rows, checked.file_notes
    registered.against_registry(session=session, rows=rows, progress=progress)
    evidence = datum.looks_gcj02(rows) if any(r.assumed for r in rows) else None
    if evidence is not None:
        file_notes.append(Note("crs_looks_gcj02", "warning", params=evidence.params()))
    elif any(r.assumed for r in rows):
        file_notes.append(Note("crs_assumed", "note"))
    checked.gcj02 = evidence
    return checked


def fill(*, session: Session, job: ImportJob, limits: Limits, progress: Progress = no_progress) -> ImportJob:
    """Check a job's file and store its report; the job is then `checked` (or Cancelled is raised)."""
    checked = read(content=job.content, filename=job.filename, options=Options.stored(job.crs, job.options),
                   scope=job.region, limits=limits, progress=progress)
    kept = stored.dump(checked)  # before the registry's flags: the apply adds those as they are then
    against_registry(session=session, checked=checked, progress=progress)
    # The job's row is written only now: the progress (another connection) could not write it once this
    # transaction has, until the commit.
    job.checked = kept
    job.total_rows, job.report = checked.total_rows, build(checked, filename=job.filename)
    job.options = {**job.options, "needs": ["crs"] if checked.gcj02 else []}
    earlier = import_queries.applied_earlier(session=session, sha256=job.sha256, region=job.region)
    if earlier is not None:
        job.report["already_applied"] = {"job": earlier.public_id, "at": str(earlier.applied_at)}
    jobs.finish(session=session, job=job, status="checked")
    return job


def dry_run(
    *, session: Session, content: bytes, filename: str, options: Options, actor: str, scope: str,
    limits: Limits | None = None, progress: Progress = no_progress,
) -> ImportJob:
    """Check a file in this process without changing the registry; the job keeps the file and report for apply."""
    limits = limits or Limits()
    job = jobs.create(session=session, content=content, filename=filename, options=options,
                      actor=actor, region=scope, seconds=limits.seconds)
    return fill(session=session, job=job, limits=limits, progress=progress)


__all__ = ["Checked", "Options", "against_registry", "check", "dry_run", "fill", "read"]
