"""Reading an uploaded sheet: CSV (UTF-8 with or without BOM, GB18030) or XLSX, as a stream of rows of text.

Rows are handed on one at a time; the row, column and cell-size caps are enforced while reading, so a file past
them is refused at the first row past them, whatever it claims about itself. Each row costs its own cells.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence

from stations.errors import InvalidInput
from stations.services.importer import xlsx
from stations.services.importer.limits import MB, Limits
from stations.services.importer.sheet import Header, RawRow, Sheet, text_of

XLSX_MAGIC = b"PK\x03\x04"
RESAVE = "请在 Excel 中另存为 CSV UTF-8 或 .xlsx 后再导入"


def _decodes(content: bytes, encoding: str) -> bool:
    """True if the whole content decodes; read a megabyte at a time, nothing kept."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(content), MB):
            decoder.decode(content[start : start + MB])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(content, encoding):
            return encoding
    raise InvalidInput("文件既不是 UTF-8 也不是 GB18030 编码的文本：请在 Excel 中另存为 CSV UTF-8 或 .xlsx")


def _width(cells: Sequence[str]) -> int:
    """How many columns a record uses: up to its last non-empty field."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def _checked(number: int, cells: Sequence[str], limits: Limits) -> Sequence[str]:
    if number > limits.max_rows + 1:
        raise limits.too_many_rows()
    if (width := _width(cells)) > limits.max_columns:
        raise limits.too_many_columns(number, width)
    if any(len(c) > limits.max_cell_chars for c in cells):
        raise limits.too_long_cell(number)
    return cells


def _csv_rows(records: Iterator[list[str]], header: Header, limits: Limits) -> Iterator[RawRow]:
    number = 1
    try:
        for number, cells in enumerate(records, start=2):
            yield RawRow(number=number, values=header.from_list(_checked(number, cells, limits)))
    except csv.Error as exc:
        raise InvalidInput(f"第 {number + 1} 行无法按 CSV 读取（{exc}）：{RESAVE}") from exc


def _records(content: bytes, encoding: str) -> Iterator[list[str]]:
    return csv.reader(io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline=""))


def _count(content: bytes, encoding: str) -> int:
    """How many records the file holds (0 when it cannot be read as CSV: the reading pass says where)."""
    try:
        return sum(1 for _ in _records(content, encoding))
    except csv.Error:
        return 0


def read_csv(content: bytes, limits: Limits) -> Sheet:
    """A CSV file's header and rows, decoded as they are read; the row count is checked before any row is."""
    encoding = _encoding(content)
    if _count(content, encoding) > limits.max_rows + 1:
        raise limits.too_many_rows()
    records = _records(content, encoding)
    try:
        first = next(records)
    except StopIteration:
        raise InvalidInput("文件是空的：需要一行表头和至少一行站点") from None
    except csv.Error as exc:
        raise InvalidInput(f"第 1 行无法按 CSV 读取（{exc}）：{RESAVE}") from exc
    header = Header.parse({c: text_of(t) for c, t in enumerate(_checked(1, first, limits))})
    return Sheet(encoding=encoding, ignored_headers=header.ignored, header_row=1,
                 rows=_csv_rows(records, header, limits))


def read(content: bytes, filename: str, limits: Limits) -> Sheet:
    """The rows of an uploaded CSV or XLSX file; InvalidInput (or TooLarge) says what to fix."""
    name = filename.lower()
    if name.endswith(".xls") and not content.startswith(XLSX_MAGIC):
        raise InvalidInput("不支持旧的 .xls 格式：请在 Excel 中另存为 .xlsx 或 CSV UTF-8 后再导入")
    if content.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        return xlsx.read(content, limits)
    return read_csv(content, limits)
