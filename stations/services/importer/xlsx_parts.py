"""The parts of an XLSX upload: its zip checked against limits before anything is unpacked, its sheets found
through the workbook's relationships (in the workbook's order), a sheet's rows and merged cells counted by a scan
of its bytes, shared strings read with their count and size bounded."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from stations.services.importer.limits import MB, RATIO_FLOOR, Limits
from stations.services.importer.messages import refuse, too_large

CHUNK = 64 * 1024
SMALL_PART = 8 * MB  # workbook.xml and relationship parts are read whole: a real one is a few KB
MOST_MERGES = 50_000
MAX_COLUMN = 16_384  # XFD, Excel's last column
# What a damaged zip or XML part raises while it is read (zipfile, zlib, expat, int() of a bad index).
CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, ValueError,
           KeyError, IndexError, expat.ExpatError)
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})\"")
StartHandler = Callable[[str, dict[str, str]], None]
EndHandler = Callable[[str], None]
TextHandler = Callable[[str], None]


def local(name: str) -> str:
    """An element or attribute name without its namespace (expat gives 'uri name')."""
    return name.rpartition(" ")[2]


def _no_dtd(*_: Any) -> None:
    raise refuse("dtd")


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
        raise refuse("not_xlsx") from exc
    infos = book.infolist()
    if len(infos) > limits.max_members:
        raise too_large("too_many_members", count=len(infos), most=limits.max_members)
    total = 0
    for info in infos:  # the sizes the zip declares: reading a member never yields more than its declared size
        name, size = info.filename[:60], info.file_size
        total += size
        if total > limits.max_unpacked:
            raise too_large("too_big_unpacked", most=limits.max_unpacked // MB, name=name, size=size // MB)
        if size > RATIO_FLOOR and size > limits.max_ratio * max(info.compress_size, 1):
            raise too_large("zip_bomb", name=name, ratio=size // max(info.compress_size, 1))
    return book


def _small(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > SMALL_PART:
        raise too_large("part_too_big", name=name[:60], size=info.file_size // MB)
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


@dataclass(frozen=True)
class SheetPart:
    """One sheet of a workbook: its name as the tab shows it, its part in the zip, and whether it is hidden."""

    name: str
    part: str
    hidden: bool


def locate(book: zipfile.ZipFile) -> tuple[list[SheetPart], str | None]:
    """The workbook's sheets in tab order, and the path of its shared strings (None when it has none)."""
    workbook = next((p for kind, p in _relations(book, "").values() if kind == "officeDocument"), "xl/workbook.xml")
    relations = _relations(book, workbook)
    sheets = [SheetPart(attrs.get("name", "")[:100], relations[attrs["id"]][1],
                        attrs.get("state", "visible") != "visible")
              for tag, attrs in _elements(_small(book, workbook))
              if tag == "sheet" and attrs.get("id") in relations and relations[attrs["id"]][1] in book.NameToInfo]
    if not sheets:
        raise refuse("no_sheets")
    strings = next((p for kind, p in relations.values() if kind == "sharedStrings"), None)
    return sheets, strings if strings in book.NameToInfo else None


Merge = tuple[int, int, int, int]  # first row, first column, last row, last column


def column_of(ref: str) -> int:
    """The column number of a cell reference (B7 -> 2); 0 when it has no letters."""
    number = 0
    for char in ref:
        digit = ord(char) - 64
        if not 1 <= digit <= 26:
            break
        number = number * 26 + digit
        if number > MAX_COLUMN:
            break
    return number


def _merge(first: bytes, last: bytes) -> Merge:
    top, bottom = first.decode(), last.decode()
    return (int(top.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), column_of(top),
            int(bottom.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), column_of(bottom))


def scan(book: zipfile.ZipFile, part: str) -> tuple[int, list[Merge]]:
    """How many `<row>` elements a sheet part really holds and its merged ranges, by a scan of its bytes (no XML
    parsed; at most MOST_MERGES merges kept).

    Each scan stops at the chunk's last `<`, the rest is carried over: a tag never spans two scans.
    """
    count, carried, merges = 0, b"", list[Merge]()

    def take(data: bytes, end: int) -> int:
        for found in _MERGE.finditer(data, 0, end):
            if len(merges) >= MOST_MERGES:
                raise too_large("too_many_merges", most=MOST_MERGES)
            merges.append(_merge(found.group(1), found.group(2)))
        return len(_ROW_TAG.findall(data, 0, end))

    with book.open(part) as stream:
        while chunk := stream.read(16 * CHUNK):
            data = carried + chunk
            cut = data.rfind(b"<")
            count += take(data, max(cut, 0))
            carried = data[cut:] if cut >= 0 else b""
    return count + take(carried, len(carried)), merges


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
            raise too_large("too_many_strings_declared", count=attrs["uniqueCount"][:20],
                            most=self.limits.max_shared_strings)

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
                raise too_large("too_many_strings", most=self.limits.max_shared_strings)

    def text(self, data: str) -> None:
        if self.in_text:
            self.run.append(data)
            self.chars += len(data)
            if self.chars > self.limits.max_cell_chars:
                raise too_large("too_long_text", most=self.limits.max_cell_chars)


def shared_strings(book: zipfile.ZipFile, part: str, limits: Limits) -> list[str]:
    """The workbook's shared strings; the declared count is checked first, the real count while reading."""
    reader = _Strings(limits)
    with book.open(part) as stream:
        for _ in parse(stream, reader.start, reader.end, reader.text):
            pass
    return reader.strings
