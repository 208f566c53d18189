"""Photos over HTTP: staff upload, EXIF/GPS stripped, served with safe headers, shown on the station, hostile files
refused (type, size before reading, decompression bombs), removed on request."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy.orm import Session

from stations.services.registry import stations as registry
from tests.factories import station_create
from tests.unit.test_imaging import jpeg_with_gps, png_claiming

Login = Callable[[str], dict[str, str]]


def _upload(client: TestClient, station: int, data: bytes, headers: dict[str, str], name: str = "a.jpg",
            kind: str = "entrance") -> Any:
    return client.post(f"/api/v1/stations/{station}/photos", files={"file": (name, data, "image/jpeg")},
                       data={"kind": kind}, headers=headers)


def test_upload_strips_gps_and_shows_the_photo(client: TestClient, session: Session, login: Login) -> None:
    station = registry.create(session=session, actor="setup", data=station_create())
    reply = _upload(client, station.id, jpeg_with_gps(), login("chengguan"))
    assert reply.status_code == 201, reply.text
    photo = reply.json()
    assert photo["kind"] == "entrance" and photo["url"] == f"/photos/{photo['id']}.jpg"
    served = client.get(photo["url"])
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff" and "sandbox" in served.headers[
        "content-security-policy"]
    image = Image.open(io.BytesIO(served.content))
    assert not image.getexif() and b"PhoneMaker" not in served.content
    thumb = Image.open(io.BytesIO(client.get(photo["thumbnail_url"]).content))
    assert max(thumb.size) <= 320
    feature = client.get(f"/api/v1/stations/{station.id}").json()["properties"]
    assert feature["photos"] == [photo["url"]] and feature["version"] == 1  # shown, without a registry edit
    assert [p["id"] for p in client.get(f"/api/v1/stations/{station.id}/photos").json()] == [photo["id"]]
    assert client.delete(f"/api/v1/photos/{photo['id']}", headers=login("chengguan")).status_code == 204
    assert client.get(photo["url"]).status_code == 404
    assert client.get(f"/api/v1/stations/{station.id}").json()["properties"]["photos"] == []


def test_hostile_files_are_refused(client: TestClient, session: Session, login: Login) -> None:
    station = registry.create(session=session, actor="setup", data=station_create())
    headers = login("chengguan")
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    assert _upload(client, station.id, gif.getvalue(), headers).status_code == 415
    svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
    assert _upload(client, station.id, svg, headers, name="x.svg").status_code == 415
    bomb = _upload(client, station.id, png_claiming(40_000, 40_000), headers)
    assert bomb.status_code == 413 and "像素" in bomb.json()["detail"]
    huge = b"\xff\xd8" + b"\0" * (10 * 2**20 + 2**21)
    refused = _upload(client, station.id, huge, headers)
    assert refused.status_code == 413


def test_only_staff_in_the_region_upload(client: TestClient, session: Session, login: Login) -> None:
    elsewhere = registry.create(session=session, actor="setup", data=station_create(adcode="620103"))
    assert _upload(client, elsewhere.id, jpeg_with_gps(), login("chengguan")).status_code == 403

    assert _upload(client, elsewhere.id, jpeg_with_gps(), login("viewer")).status_code == 403
    assert client.post(f"/api/v1/stations/{elsewhere.id}/photos",
                       files={"file": ("a.jpg", jpeg_with_gps(), "image/jpeg")}).status_code == 401
