"""Spreadsheets built part by part for the upload tests: honest ones, and ones that lie or explode."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ("站点名称", "类型", "地址", "经度", "纬度", "行政区划代码")
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="站点" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def column_letters(number: int) -> str:
    """Column 1 -> A, 28 -> AB, 16384 -> XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(row: int, column: int, value: str | float) -> str:
    """One cell as Excel writes it: a number, or an inline string."""
    ref = f"{column_letters(column)}{row}"
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def cells(number: int, values: Sequence[str | float], first_column: int = 1) -> str:
    """The cells of row `number` from `first_column` on."""
    return "".join(cell(number, first_column + i, v) for i, v in enumerate(values))


def row(number: int, values: Sequence[str | float], first_column: int = 1) -> str:
    """One `<row>` with its cells from `first_column` on."""
    return f'<row r="{number}">{cells(number, values, first_column)}</row>'


def station(number: int) -> tuple[str, str, str, float, float, int]:
    """A valid station row (the number makes its name unique)."""
    return (f"示例驿站{number}号", "户外劳动者服务站点", f"甘肃省兰州市城关区示例路{number}号", 103.83, 36.06, 620102)


def workbook(rows: Iterable[str | bytes], *, dimension: str = "A1:F3", strings: Sequence[str] = (),
             extra: dict[str, bytes] | None = None, level: int = 6, prolog: str = "",
             declared_strings: int | None = None) -> bytes:
    """An XLSX package whose first sheet holds `rows` (XML, streamed into the zip) and claims `dimension`; its
    shared strings part says it holds `declared_strings` (the truth unless given)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        count = len(strings) if declared_strings is None else declared_strings
        book.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" uniqueCount="{count}">{sst}</sst>')
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{prolog}<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode())
            for part in rows:
                sheet.write(part.encode() if isinstance(part, str) else part)
            sheet.write(b"</sheetData></worksheet>")
        for name, data in (extra or {}).items():
            book.writestr(name, data)
    return out.getvalue()


def honest(count: int = 2, *, dimension: str = "A1:F3") -> bytes:
    """A small valid workbook (header and `count` stations) that claims whatever `dimension` it is given."""
    return workbook([row(1, HEADER), *(row(n + 1, station(n)) for n in range(1, count + 1))], dimension=dimension)


def declared_size(content: bytes, member: str, size: int) -> bytes:
    """The zip with `member`'s uncompressed size in the central directory replaced by `size` (a lie)."""
    at = content.index(b"PK\x01\x02")  # the first central directory entry
    while True:
        name_length = struct.unpack_from("<H", content, at + 28)[0]
        if content[at + 46 : at + 46 + name_length].decode() == member:
            return content[: at + 24] + struct.pack("<I", size) + content[at + 28 :]
        extra, comment = struct.unpack_from("<HH", content, at + 30)
        at = content.index(b"PK\x01\x02", at + 46 + name_length + extra + comment)
