"""Hostile uploads, each built in the test, against the live app: every one gets the right 4xx (or a normal report)
while /healthz and the nearest lookup keep answering, and the app is still there afterwards."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from tests.staff import hostile_files as files
from tests.staff.import_server import ImportServer, probing

MB = 2**20
CSV_HEADER = "站点名称,类型,地址,经度,纬度,行政区划代码"


def _ok(statuses: list[int]) -> None:
    assert statuses and set(statuses) == {200}, statuses


@pytest.mark.parametrize("dimension", ["A1:XFD2000", "A1:H1048576"])
def test_a_claimed_range_costs_nothing(uploads: ImportServer, dimension: str) -> None:
    content = files.honest(2, dimension=dimension)
    reply, statuses = probing(uploads, lambda: uploads.upload("chengguan", "f.xlsx", content))
    assert reply.status_code == 201, reply.text
    assert reply.json()["report"]["rows"] == {"2": "ok", "3": "ok"}
    _ok(statuses)


def test_a_million_rows_of_one_shared_string_is_refused_while_the_app_answers(uploads: ImportServer) -> None:
    rows = (b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (n, n) for n in range(2, 1_000_001))
    content = files.workbook(itertools.chain([files.row(1, files.HEADER)], rows), strings=["示例驿站"], level=1)
    started = uploads.upload("admin", "million.xlsx", content, prefer="respond-async")
    assert started.status_code == 202
    seen: list[tuple[str, int, int]] = []  # (job status, /healthz, nearest) asked one after the other
    with uploads.client("admin") as client:
        while not seen or seen[-1][0] == "checking":
            status = client.get(f"/api/v1/imports/{started.json()['id']}").json()["status"]
            seen.append((status, client.get("/healthz").status_code,
                         client.get("/api/v1/stations/nearest?lon=103.83&lat=36.06").status_code))
            time.sleep(0.05)
    assert seen[0][0] == "checking" and all(s[1:] == (200, 200) for s in seen), seen
    job = uploads.follow("admin", started.json()["id"])
    assert job["status"] == "failed" and "超过 200000 行" in job["error"]
    with uploads.client("admin") as client:
        waited = client.post("/api/v1/imports", files={"file": ("million.xlsx", content)})
    assert waited.status_code == 413 and "超过 200000 行" in waited.json()["detail"]


def _bombs() -> Iterator[tuple[str, bytes, str]]:
    spaces = files.workbook([files.row(1, files.HEADER), b"<!-- " + b" " * (6 * MB) + b" -->"], level=9)
    yield "ratio", spaces, "压缩比异常"
    yield "declared", files.declared_size(files.honest(), "xl/worksheets/sheet1.xml", 4_000_000_000), "解压后超过 8 MB"
    yield "members", files.workbook([files.row(1, files.HEADER)], extra={f"m/{i}": b"" for i in range(1001)}), "个文件"


@pytest.mark.parametrize(("kind", "content", "says"), list(_bombs()), ids=lambda v: v if isinstance(v, str) else "")
def test_zip_bombs_are_refused_before_unpacking(small_uploads: ImportServer, kind: str, content: bytes,
                                               says: str) -> None:
    reply, statuses = probing(small_uploads, lambda: small_uploads.upload("admin", f"{kind}.xlsx", content))
    assert reply.status_code == 413 and says in reply.json()["detail"], reply.text
    _ok(statuses)


def test_an_oversize_csv_is_refused_before_it_is_read(small_uploads: ImportServer) -> None:
    line = "示例驿站,驿站,甘肃省兰州市城关区示例路1号,103.83,36.06,620102\n"
    content = (CSV_HEADER + "\n" + line * (4 * MB // len(line.encode()))).encode()
    reply, statuses = probing(small_uploads, lambda: small_uploads.upload("admin", "big.csv", content))
    assert reply.status_code == 413 and reply.json()["detail"] == "文件超过 2 MB：请拆分成较小的文件后再导入"
    _ok(statuses)
    boundary = "b0undary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n").encode()

    def body() -> Iterator[bytes]:  # sent chunked: no Content-Length to refuse it by
        yield head
        for start in range(0, len(content), 64 * 1024):
            yield content[start : start + 64 * 1024]
        yield f"\r\n--{boundary}--\r\n".encode()

    with small_uploads.client("admin") as client:
        chunked = client.post("/api/v1/imports", content=body(),
                              headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert chunked.status_code == 413 and "2 MB" in chunked.json()["detail"]
    assert small_uploads.sql("SELECT count(*) FROM import_jobs")[0][0] == 0, "refused before a job existed"


def test_many_columns_are_refused_at_the_first_cell_past_the_cap(small_uploads: ImportServer) -> None:
    line = "示例驿站,驿站,甘肃省兰州市城关区示例路1号,103.83,36.06,620102" + "," * 5000 + "备注\n"
    csv = (CSV_HEADER + "\n" + line * 200).encode()
    reply, statuses = probing(small_uploads, lambda: small_uploads.upload("admin", "wide.csv", csv))
    assert reply.status_code == 413 and "第 2 行第 5006 列有内容" in reply.json()["detail"]
    far = files.workbook([files.row(1, files.HEADER), files.row(2, ["备注"], first_column=16_384)])
    reply, statuses = probing(small_uploads, lambda: small_uploads.upload("admin", "wide.xlsx", far))
    assert reply.status_code == 413 and "第 16384 列" in reply.json()["detail"]
    _ok(statuses)


def test_four_thousand_rows_at_one_point_are_checked(small_uploads: ImportServer) -> None:
    names = [f"示例驿站{n}号" for n in range(2000)] + [f"驿站{chr(0x4E00 + n)}{chr(0x5E00 + n)}" for n in range(2000)]
    lines = [f"{name},驿站,甘肃省兰州市城关区示例路,103.83,36.06,620102" for name in names]
    csv = "\n".join([CSV_HEADER, *lines, lines[7]]).encode()
    reply, statuses = probing(small_uploads, lambda: small_uploads.upload("admin", "pile.csv", csv))
    assert reply.status_code == 201, reply.text
    report = reply.json()["report"]
    assert report["valid"] == 4000 and report["duplicates"] == 1 and report["rows"]["4002"] == "duplicate"
    assert any(issue["code"] == "crowded" for issue in report["issues"]), "the crowded spot is reported"
    _ok(statuses)
