"""The report a clerk reads: how the file was read, every column's use (or why it was not imported), the notes
about the whole file, the row notes grouped, counts and each row's outcome; in Chinese, with the English texts
under `en` (the API answers `lang=en` by putting them in place: `db.import_queries.report_text`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stations.services.importer.columns import BY_FIELD, UNUSED
from stations.services.importer.datum import Evidence
from stations.services.importer.messages import LANGS, Note, grouped
from stations.services.importer.rows import CheckedRow, Context
from stations.services.importer.sheet import ColumnUse, Sheet


@dataclass
class Checked:
    """A file after checking: how it was read, what holds for the whole file, its rows counted from the header,
    the non-empty rows checked, and the evidence that its points are GCJ-02 when it stated no system."""

    sheet: Sheet
    context: Context
    file_notes: list[Note]
    total_rows: int
    rows: list[CheckedRow]
    skipped: list[Note] = field(default_factory=list)
    gcj02: Evidence | None = None


MAX_ISSUES = 5000
"""Grouped notes kept in a report (a note lists its rows, so this is many more rows)."""
_USE = {
    "district": ("用于核对并推算行政区划代码（本身不单独存储）",
                 "checks and derives the region code (not stored itself)"),
    "crs": ("说明本行的坐标系，用于换算坐标", "names the row's coordinate system, used to convert the point"),
    "lonlat": ("拆成经度和纬度导入", "split into longitude and latitude"),
}
_NOT = ("未导入：", "not imported: ")
_WHY = {
    "unknown": ("不认识的表头", "unknown header"),
    "repeat": ("与“{other}”重复，只读取第一列", "repeats “{other}”, only the first is read"),
    "no_header": ("这一列有内容但没有表头", "it has values but no header"),
    **UNUSED,
}


def _column(column: ColumnUse, lang: str) -> dict[str, Any]:
    zh = lang == "zh"
    if column.why:
        text = _WHY[column.why][0 if zh else 1].format(other=column.other)
        if column.why == "unknown" and column.other:
            text += (f"；如果是“{column.other}”，请把表头改为“{column.other}”" if zh
                     else f"; if it means {column.other}, name it “{column.other}”")
        use, imported = _NOT[0 if zh else 1] + text, False
    elif column.field in _USE:
        use, imported = _USE[column.field][0 if zh else 1], True
    else:
        target = BY_FIELD[column.field or ""]
        use, imported = (f"导入为“{target.zh}”" if zh else f"imported as {target.en}"), True
    return {"column": column.letter, "header": column.header, "field": column.field,
            "crs": column.crs.value if column.crs else None, "imported": imported, "use": use}


def _outcome(row: CheckedRow) -> str:
    return "rejected" if row.data is None else "duplicate" if row.duplicate_of else "ok"


def _with_columns(notes: list[Note], headers: dict[str, str]) -> list[Note]:
    for note in notes:
        if note.field and not note.column:
            note.column = headers.get(note.field) or (BY_FIELD[note.field].zh if note.field in BY_FIELD else note.field)
    return notes


def build(checked: Checked, *, filename: str) -> dict[str, Any]:
    """The report of a checked file, both languages."""
    sheet, rows, header = checked.sheet, checked.rows, checked.sheet.header
    notes = grouped(_with_columns([n for r in rows for n in r.notes] + checked.skipped, header.headers))
    columns = header.all_columns()
    report: dict[str, Any] = {
        "filename": filename, "encoding": sheet.encoding, "sheet": sheet.name, "sheets": sheet.sheets,
        "header_row": header.first_row, "header_rows": [header.first_row, header.last_row], "title": sheet.title,
        "crs": checked.context.crs.value if checked.context.crs else None,
        "ignored_headers": sheet.ignored_headers, "total_rows": checked.total_rows,
        "empty_rows": checked.total_rows - len(rows) - len(checked.skipped), "skipped_rows": len(checked.skipped),
        "valid": sum(1 for r in rows if r.data is not None and r.duplicate_of is None),
        "rejected": sum(1 for r in rows if r.data is None),
        "duplicates": sum(1 for r in rows if r.data is not None and r.duplicate_of is not None),
        "created": 0, "needs": ["crs"] if checked.gcj02 else [], "issue_count": len(notes),
        "rows": {str(r.number): _outcome(r) for r in rows},
    }
    for lang in LANGS:
        texts = {"file_notes": [n.render(lang) for n in checked.file_notes],
                 "columns": [_column(c, lang) for c in columns],
                 "issues": [n.render(lang) for n in notes[:MAX_ISSUES]]}
        report |= texts if lang == "zh" else {"en": texts}
    return report


def refused(report: dict[str, Any]) -> dict[str, Any]:
    """A report whose apply in mode `all` wrote nothing, saying so in both languages."""
    zh = "文件中有错误行，按“全部或全不”方式没有写入任何站点"
    en = "the file has rows with errors: mode all wrote nothing"
    return report | {"refused": zh, "en": {**report.get("en", {}), "refused": en}}
