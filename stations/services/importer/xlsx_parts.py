"""The parts of an XLSX upload: its zip checked against limits before anything is unpacked, the first sheet's
part found through the workbook's relationships, shared strings read with their count and size bounded."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from stations.errors import InvalidInput, TooLarge
from stations.services.importer.limits import MB, RATIO_FLOOR, Limits

CHUNK = 64 * 1024
SMALL_PART = 8 * MB  # workbook.xml and relationship parts are read whole: a real one is a few KB
NOT_XLSX = "文件不是可读取的 .xlsx 工作簿：请在 Excel 中打开并另存为 .xlsx（或 CSV UTF-8）后再导入"
# What a damaged zip or XML part raises while it is read (zipfile, zlib, expat, int() of a bad index).
CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, ValueError,
           KeyError, IndexError, expat.ExpatError)
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
StartHandler = Callable[[str, dict[str, str]], None]
EndHandler = Callable[[str], None]
TextHandler = Callable[[str], None]


def local(name: str) -> str:
    """An element or attribute name without its namespace (expat gives 'uri name')."""
    return name.rpartition(" ")[2]


def _no_dtd(*_: Any) -> None:
    raise InvalidInput("工作簿中含有 DTD 声明（正常的 Excel 文件没有）：请在 Excel 中另存为 .xlsx 后再导入")


def parse(stream: IO[bytes], start: StartHandler, end: EndHandler, text: TextHandler) -> Iterator[None]:
    """Parse an XML part in 64 KB chunks with expat, yielding after each; a DTD or entity is refused."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    while chunk := stream.read(CHUNK):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)
    yield


def open_zip(content: bytes, limits: Limits) -> zipfile.ZipFile:
    """The upload as a zip whose members' count, unpacked sizes and compression ratios are within limits."""
    try:
        book = zipfile.ZipFile(io.BytesIO(content))
    except CORRUPT as exc:
        raise InvalidInput(NOT_XLSX) from exc
    infos = book.infolist()
    if len(infos) > limits.max_members:
        raise TooLarge(f"压缩包内有 {len(infos)} 个文件，超过 {limits.max_members} 个：这不是正常的 Excel 文件")
    total = 0
    for info in infos:  # the sizes the zip declares: reading a member never yields more than its declared size
        name, size = info.filename[:60], info.file_size
        total += size
        if total > limits.max_unpacked:
            raise TooLarge(f"工作簿解压后超过 {limits.max_unpacked // MB} MB（{name} 有 {size // MB} MB）："
                           "请拆分成较小的文件，或另存为 CSV 后再导入")
        if size > RATIO_FLOOR and size > limits.max_ratio * max(info.compress_size, 1):
            raise TooLarge(f"工作簿中的 {name} 压缩比异常（{size // max(info.compress_size, 1)} 倍，疑似压缩炸弹）："
                           "请在 Excel 中重新保存后再导入")
    return book


def _small(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > SMALL_PART:
        raise TooLarge(f"工作簿中的 {name[:60]} 有 {info.file_size // MB} MB，不像正常的 Excel 文件")
    return book.read(info)


def _elements(data: bytes) -> list[tuple[str, dict[str, str]]]:
    """Every element of a small part as (local name, attributes by local name)."""
    found: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        found.append((local(name), {local(k): v for k, v in attrs.items()}))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.StartElementHandler = start
    parser.Parse(data, True)
    return found


def _relations(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type's last word, target path) of a part; empty when it has none."""
    folder, file = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", file + ".rels")
    if rels not in book.NameToInfo:
        return {}
    out = {}
    for tag, attrs in _elements(_small(book, rels)):
        if tag == "Relationship" and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[attrs["Id"]] = (attrs.get("Type", "").rpartition("/")[2], path)
    return out


def locate(book: zipfile.ZipFile) -> tuple[str, str | None]:
    """The path of the workbook's first sheet and of its shared strings (None when it has none)."""
    workbook = next((p for kind, p in _relations(book, "").values() if kind == "officeDocument"), "xl/workbook.xml")
    relations = _relations(book, workbook)
    first = next((attrs for tag, attrs in _elements(_small(book, workbook)) if tag == "sheet"), None)
    if first is None or first.get("id") not in relations:
        raise InvalidInput("工作簿里没有工作表：请在 Excel 中检查后另存为 .xlsx")
    strings = next((p for kind, p in relations.values() if kind == "sharedStrings"), None)
    return relations[first["id"]][1], strings if strings in book.NameToInfo else None


def count_rows(book: zipfile.ZipFile, part: str) -> int:
    """How many `<row>` elements a sheet part really holds, by a scan of its bytes (no XML parsed, nothing kept).

    Each scan stops at the chunk's last `<`, the rest is carried over: a tag never spans two scans.
    """
    count, carried = 0, b""
    with book.open(part) as stream:
        while chunk := stream.read(16 * CHUNK):
            data = carried + chunk
            cut = data.rfind(b"<")
            count += len(_ROW_TAG.findall(data, 0, max(cut, 0)))
            carried = data[cut:] if cut >= 0 else b""
    return count + len(_ROW_TAG.findall(carried))


class _Strings:
    """Collects shared strings: the text of each <si>, phonetic runs (<rPh>) left out, as openpyxl does."""

    def __init__(self, limits: Limits) -> None:
        self.limits, self.strings, self.run, self.chars = limits, list[str](), list[str](), 0
        self.in_text = self.phonetic = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "t":
            self.in_text = not self.phonetic
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "sst" and int(attrs.get("uniqueCount") or 0) > self.limits.max_shared_strings:
            most = self.limits.max_shared_strings
            raise TooLarge(f"工作簿声明了 {attrs['uniqueCount']} 个不同的文本，超过 {most} 个：请拆分成小文件后再导入")

    def end(self, name: str) -> None:
        tag = local(name)
        if tag == "t":
            self.in_text = False
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "si":
            self.strings.append("".join(self.run))
            self.run.clear()
            self.chars = 0
            if len(self.strings) > self.limits.max_shared_strings:
                raise TooLarge(f"工作簿的文本超过 {self.limits.max_shared_strings} 个：请拆分成较小的文件后再导入")

    def text(self, data: str) -> None:
        if self.in_text:
            self.run.append(data)
            self.chars += len(data)
            if self.chars > self.limits.max_cell_chars:
                raise TooLarge(f"工作簿中有文本超过 {self.limits.max_cell_chars} 个字符：请检查后再导入")


def shared_strings(book: zipfile.ZipFile, part: str, limits: Limits) -> list[str]:
    """The workbook's shared strings; the declared count is checked first, the real count while reading."""
    reader = _Strings(limits)
    with book.open(part) as stream:
        for _ in parse(stream, reader.start, reader.end, reader.text):
            pass
    return reader.strings
