"""Every message of an import about the whole file, and every reason a file is refused:
code -> (problem zh, problem en, suggestion zh, suggestion en)."""

from __future__ import annotations

RESAVE = ("请在 Excel 中另存为 .xlsx 或 CSV UTF-8 后再导入", "save it again in Excel as .xlsx or CSV UTF-8")
SPLIT = ("请拆分成较小的文件后再导入", "split it into smaller files")
TEMPLATE = ("下载模板（/api/v1/imports/template.xlsx）对照表头",
            "compare with the template (/api/v1/imports/template.xlsx)")

FILE_MESSAGES: dict[str, tuple[str, str, str, str]] = {
    # how the file was read
    "header_at": ("表头在{sheet_zh}第 {row} 行", "the header is on row {row}{sheet_en}", "", ""),
    "header_two_rows": ("表头占第 {first}–{last} 行（上一行是合并单元格的总标题）",
                        "the header spans rows {first}-{last} (merged group titles above the column names)", "", ""),
    "rows_before_header": ("表头前的第 {rows} 行是标题或说明，已跳过：“{title}”",
                           "row(s) {rows} above the header are a title or remark, skipped: “{title}”", "", ""),
    "other_sheets": ("工作簿有 {count} 个工作表（{names}），读取了“{sheet}”{others}",
                     "the workbook has {count} sheets ({names}); “{sheet}” was read{others_en}",
                     "--sheet {next}（网页：选择工作表后重新检查）",
                     "--sheet {next} (page: choose the sheet, check again)"),
    "sheet_chosen": ("按选择读取工作表“{sheet}”", "sheet “{sheet}” was read, as chosen", "", ""),
    "merged_filled": ("{count} 个合并单元格的内容已填到它覆盖的每一行", "merged cells filled into every row they "
                      "cover: {count}", "", ""),
    "rows_skipped": ("跳过了 {count} 个合计行或表尾行", "{count} totals or footer rows were skipped", "", ""),
    # coordinates
    "crs_from_header": ("经纬度按表头“{header}”读作 {crs}", "coordinates read as {crs}, as the header “{header}” says",
                        "", ""),
    "crs_from_upload": ("经纬度按导入时选择的坐标系读作 {crs}", "coordinates read as {crs}, as chosen for the upload",
                        "", ""),
    "crs_upload_overridden": ("表头“{header}”写明是 {crs}，没有采用导入时选择的 {chosen}",
                              "the header “{header}” says {crs}: the {chosen} chosen for the upload was not used",
                              "", ""),
    "crs_assumed": ("文件没有说明坐标系，按 WGS-84（GPS）读取", "the file states no coordinate system: read as WGS-84",
                    "坐标如取自高德或腾讯地图，把表头改为“经度(高德)”“纬度(高德)”，或导入时选择坐标系",
                    "if the points come from Amap or Tencent, name the headers 经度(高德)/纬度(高德) or choose the "
                    "system for the upload"),
    "crs_looks_gcj02": ("文件没有说明坐标系，而坐标像是高德/腾讯（GCJ-02）坐标：{count} 个站点与{evidence}相差 "
                        "{low}–{high} 米，正是 GCJ-02 与 WGS-84 之间的偏移；导入前必须说明坐标系",
                        "the file states no coordinate system and its points sit where GCJ-02 (Amap, Tencent) "
                        "input would: {count} stations are {low}-{high} m from {evidence_en}, the GCJ-02 shift; "
                        "state the system before applying",
                        "选择坐标系 GCJ-02 后重新检查（命令行 --crs gcj02），或把表头改为“经度(高德)”“纬度(高德)”；"
                        "确是 GPS 坐标则选择 WGS-84",
                        "check again with the system GCJ-02 (--crs gcj02) or headers 经度(高德)/纬度(高德); if they "
                        "really are GPS points choose WGS-84"),
    # kind and region
    "kind_from_title": ("没有类型列：按标题“{title}”定为 {kind}（名称另有所指的行除外，见各行提示）",
                        "no kind column: stations are taken as {kind}, as the title “{title}” says (except rows "
                        "whose names say otherwise)", "", ""),
    "kind_from_upload": ("没有类型列：按导入时选择的类型，全部站点定为 {kind}",
                         "no kind column: every station is taken as {kind}, as chosen for the upload", "", ""),
    "kind_fills_blanks": ("类型为空的行按导入时选择的类型定为 {kind}", "rows without a kind take the kind chosen "
                          "for the upload, {kind}", "", ""),
    "adcode_derived_file": ("没有行政区划代码列：按所属区县和地址得出，见各行提示", "no region code column: each "
                            "row's code comes from its district and address (see the rows)", "", ""),
    # refusals: the file cannot be used at all
    "no_header": ("{where}前 {rows} 行没有找到表头（至少要有“站点名称”“地址”“经度”“纬度”等列名）",
                  "no header in the first {rows} rows{where_en} (columns such as 站点名称, 地址, 经度, 纬度)",
                  *TEMPLATE),
    "missing_columns": ("表头（第 {row} 行）缺少必填列 {names}", "the header (row {row}) lacks {names_en}", *TEMPLATE),
    "crs_headers_differ": ("经度列“{lon}”和纬度列“{lat}”写的坐标系不同", "the longitude column “{lon}” and the "
                           "latitude column “{lat}” name different coordinate systems",
                           "两列使用同一坐标系，如“经度(高德)”“纬度(高德)”", "give both the same system"),
    "unknown_sheet": ("工作簿里没有工作表“{name}”：有 {names}", "the workbook has no sheet “{name}”: it has {names}",
                      "从中选择一个", "choose one of them"),
    "no_sheets": ("工作簿里没有工作表", "the workbook has no sheet", RESAVE[0], RESAVE[1]),
    "empty": ("文件是空的：需要一行表头和至少一行站点", "the file is empty: it needs a header and a station",
              "", ""),
    "old_xls": ("不支持旧的 .xls 格式", "the old .xls format cannot be read", *RESAVE),
    "not_text": ("文件既不是 UTF-8 也不是 GB18030 编码的文本", "the file is neither UTF-8 nor GB18030 text", *RESAVE),
    "csv_unreadable": ("第 {row} 行无法按 CSV 读取（{detail}）", "row {row} cannot be read as CSV ({detail})", *RESAVE),
    "not_xlsx": ("文件不是可读取的 .xlsx 工作簿", "the file is not a readable .xlsx workbook", *RESAVE),
    "dtd": ("工作簿中含有 DTD 声明（正常的 Excel 文件没有）", "the workbook holds a DTD (Excel never writes one)",
            *RESAVE),
    "rows_out_of_order": ("工作表的第 {row} 行排在第 {after} 行之后", "row {row} comes after row {after}", *RESAVE),
    "too_many_rows": ("文件超过 {most} 行", "the file has more than {most} rows",
                      "拆分成每个不超过 {most} 行的文件后分别导入", "split it into files of at most {most} rows"),
    "too_many_columns": ("第 {row} 行第 {column} 列有内容，表格最多 {most} 列", "row {row} has a value in column "
                         "{column}; at most {most} columns", "删除多余的列后再导入", "delete the extra columns"),
    "too_long_cell": ("第 {row} 行有单元格超过 {most} 个字符", "row {row} has a cell over {most} characters",
                      "检查该行", "check that row"),
    "too_many_members": ("压缩包内有 {count} 个文件，超过 {most} 个：这不是正常的 Excel 文件",
                         "the zip holds {count} files, more than {most}: not a normal Excel file", *RESAVE),
    "too_big_unpacked": ("工作簿解压后超过 {most} MB（{name} 有 {size} MB）",
                         "the workbook unpacks to more than {most} MB ({name} is {size} MB)", *SPLIT),
    "zip_bomb": ("工作簿中的 {name} 压缩比异常（{ratio} 倍，疑似压缩炸弹）",
                 "{name} in the workbook is compressed {ratio} times (a zip bomb?)", *RESAVE),
    "part_too_big": ("工作簿中的 {name} 有 {size} MB，不像正常的 Excel 文件",
                     "{name} in the workbook is {size} MB: not a normal Excel file", *RESAVE),
    "too_many_strings_declared": ("工作簿声明了 {count} 个不同的文本，超过 {most} 个",
                                  "the workbook declares {count} distinct texts, more than {most}", *SPLIT),
    "too_long_text": ("工作簿中有文本超过 {most} 个字符", "the workbook holds a text over {most} characters",
                      "检查后再导入", "check the workbook"),
    "too_many_strings": ("工作簿的文本超过 {most} 个", "the workbook holds more than {most} texts", *SPLIT),
    "too_many_merges": ("工作表的合并单元格超过 {most} 个", "the sheet has more than {most} merged cells",
                        "取消合并单元格后再导入", "unmerge the cells"),
    "too_big_file": ("文件超过 {most} MB", "the file is larger than {most} MB", *SPLIT),
}
