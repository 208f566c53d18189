"""The import page's own words in Chinese and English (the report's messages come with the report)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "批量导入", "switch": "English", "switch_lang": "en",
        "intro": "支持 CSV（UTF-8 或 GB18030，Excel 另存即可）和 XLSX，不超过 {max_mb} MB。表头可用中文或英文，标题行、"
                 "序号列、合计行都会自动跳过；下载模板：",
        "intro_end": "先检查（不写入），确认报告后再导入；同一文件重复导入不会产生重复站点。",
        "template_xlsx": "Excel 模板", "template_csv": "CSV 模板", "file": "文件",
        "crs": "坐标系（表头和“坐标系”列都没写时）", "crs_unstated": "未说明（按表头判断；像高德坐标时会提醒）",
        "kind": "类型（表中没有“类型”列时）", "kind_auto": "按标题或站点名称判断", "sheet": "工作表（可不填）",
        "sheet_hint": "默认读取第一个有表头的工作表", "check": "检查文件", "recheck": "按以上选择重新检查",
        "report": "导入 {job}：{filename}", "checked": "（检查结果，尚未写入）", "applied": "（已导入）",
        "not_applied": "（未导入）", "already": "这个文件已于 {at} 导入过（导入 {job}）；再次导入不会重复登记。",
        "refused": "文件中有错误行，按“全部或全不”方式未写入任何数据。", "rows": "行", "valid": "可导入",
        "rejected": "有错误", "duplicates": "重复（跳过）", "skipped": "合计/表尾（跳过）", "created": "已新增",
        "read": "读取情况", "columns": "各列的用途", "col": "列", "header": "表头", "use": "用途",
        "issues": "逐行检查结果（相同的问题合并为一条，列出所有行）", "row": "行号", "level": "级别", "column": "列",
        "problem": "问题", "suggestion": "建议（可直接粘贴）", "more": "只显示前 {shown} 条，共 {count} 条。",
        "apply_valid": "只导入无错误的 {valid} 行", "apply_all": "全部或全不（有错误则不导入）",
        "needs_crs": "文件没有说明坐标系，而坐标像是高德/腾讯坐标：请在下面选择坐标系，重新检查后再导入。",
        "choose": "换个选择重新检查", "recent": "最近的导入", "id": "编号", "status": "状态", "actor": "操作人",
        "time": "时间", "running_hint": "检查在后台进行，本页会自动刷新；离开本页不影响检查。",
        "cancel_asked": "已请求取消，正在停止…", "cancel": "取消", "queued": "排队中",
        "outcome_applied": "已导入 {created} 个站点", "outcome_cancelled": "已取消，没有写入任何站点",
        "error": "错误", "warning": "警告", "note": "提示", "file_level": "整个文件",
    },
    "en": {
        "title": "Bulk import", "switch": "中文", "switch_lang": "zh",
        "intro": "CSV (UTF-8 or GB18030, as Excel saves it) or XLSX, up to {max_mb} MB. Chinese or English headers; "
                 "title rows, row-number columns and totals rows are skipped. Templates: ",
        "intro_end": "Check first (nothing is written), read the report, then import; importing a file twice "
                     "creates no duplicates.",
        "template_xlsx": "Excel template", "template_csv": "CSV template", "file": "File",
        "crs": "Coordinate system (when neither the headers nor a 坐标系 column say)",
        "crs_unstated": "not stated (from the headers; a warning if the points look like Amap's)",
        "kind": "Kind (when the file has no 类型 column)", "kind_auto": "from the title or the names",
        "sheet": "Sheet (optional)", "sheet_hint": "default: the first sheet with a header", "check": "Check file",
        "recheck": "Check again with these choices", "report": "Import {job}: {filename}",
        "checked": " (checked, nothing written yet)", "applied": " (imported)", "not_applied": " (not imported)",
        "already": "This file was imported on {at} (import {job}); importing it again registers nothing twice.",
        "refused": "The file has rows with errors: mode all wrote nothing.", "rows": "rows", "valid": "valid",
        "rejected": "with errors", "duplicates": "duplicates (skipped)", "skipped": "totals/footer (skipped)",
        "created": "created", "read": "How the file was read", "columns": "What each column is used for",
        "col": "Col", "header": "Header", "use": "Use",
        "issues": "Row by row (the same note on many rows is listed once, with its rows)", "row": "Rows",
        "level": "Level", "column": "Column", "problem": "Problem", "suggestion": "Suggestion (pasteable)",
        "more": "Showing the first {shown} of {count}.", "apply_valid": "Import the {valid} valid rows",
        "apply_all": "All or nothing (nothing if any row has an error)",
        "needs_crs": "The file states no coordinate system and its points look like Amap's (GCJ-02): choose the "
                     "system below, check again, then import.",
        "choose": "Check again with other choices", "recent": "Latest imports", "id": "Id", "status": "Status",
        "actor": "By", "time": "Time", "running_hint": "Checking runs in the background; this page refreshes "
        "itself and you may leave it.", "cancel_asked": "Cancel asked for, stopping…", "cancel": "Cancel",
        "queued": "queued", "outcome_applied": "Imported {created} stations",
        "outcome_cancelled": "Cancelled: nothing was written", "error": "error", "warning": "warning",
        "note": "note", "file_level": "file",
    },
}
