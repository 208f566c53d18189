"""Input that used to reach the database and come back as a 500 (issue 16): now a 4xx naming what to fix."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import Role, TokenKind
from stations.schemas.staff import StaffUserCreate
from stations.services.registry import stations as station_service
from stations.services.staff import auth, users
from stations.settings import Settings
from tests.factories import station_create

NEW_STATION = {"kind": "outdoor_station", "name": "城关区测试驿站", "address": "甘肃省兰州市城关区测试路1号",
               "adcode": "620102", "lon": 103.8343, "lat": 36.0611, "hours": "24/7"}


@pytest.fixture
def admin(client: TestClient, session: Session, app_settings: Settings) -> dict[str, str]:
    """An admin's bearer header."""
    user = users.create(session=session, cost="test", data=StaffUserCreate(
        username="hostile-admin", password="correct-horse-battery", role=Role.ADMIN, display_name="admin"))
    token, _ = auth.issue_token(session=session, settings=app_settings, user=user, kind=TokenKind.API)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def station(session: Session) -> int:
    """A stored station at version 1."""
    return station_service.create(session=session, data=station_create()).id


def refused(reply: object, status: int, *words: str) -> str:
    """The reply's detail, after checking its status, its `{"detail": string}` shape and that it says `words`."""
    assert getattr(reply, "status_code", None) == status, getattr(reply, "text", reply)
    body = reply.json()  # type: ignore[attr-defined]
    assert isinstance(body["detail"], str)
    for word in words:
        assert word in body["detail"], body["detail"]
    return str(body["detail"])


# --- numbers within their columns ---

def test_restoring_a_version_beyond_integer_is_a_422(client: TestClient, admin: dict[str, str], station: int) -> None:
    reply = client.post(f"/api/v1/stations/{station}/restore", json={"version": 2147483648}, headers=admin)
    refused(reply, 422, "version", "2147483647")


@pytest.mark.parametrize(("field", "value", "limit"), [
    ("capacity", 2147483648, "2147483647"), ("capacity", -1, "0"),
    ("area_m2", 1e308, "9999999.9"), ("area_m2", 10_000_000, "9999999.9"), ("area_m2", 0, "greater than 0"),
])
def test_a_number_its_column_cannot_hold_is_a_422_naming_it(
    client: TestClient, admin: dict[str, str], station: int, field: str, value: float, limit: str
) -> None:
    refused(client.post("/api/v1/stations", json={**NEW_STATION, field: value}, headers=admin), 422, field, limit)
    patched = client.patch(f"/api/v1/stations/{station}", json={field: value}, headers={**admin, "If-Match": '"1"'})
    refused(patched, 422, field, limit)


def test_nan_and_infinity_in_a_json_body_are_a_422(client: TestClient, admin: dict[str, str]) -> None:
    for literal in ("NaN", "Infinity"):
        body = json.dumps(NEW_STATION)[:-1] + f', "area_m2": {literal}}}'  # Python's JSON parser accepts these
        reply = client.post("/api/v1/stations", content=body, headers={**admin, "Content-Type": "application/json"})
        refused(reply, 422, "area_m2")


# --- strict JSON types ---

@pytest.mark.parametrize(("path", "body", "field", "words"), [
    ("/api/v1/admin/api-keys", {"name": "x", "rate_per_minute": True}, "rate_per_minute", "integer, not true"),
    ("/api/v1/admin/api-keys", {"name": "x", "rate_per_minute": "60"}, "rate_per_minute", "not a string"),
    ("/api/v1/admin/api-keys", {"name": "x", "rate_per_minute": 60.0}, "rate_per_minute", "not a fraction"),
    ("/api/v1/stations", {**NEW_STATION, "sign_installed": 1}, "sign_installed", "boolean"),
    ("/api/v1/stations", {**NEW_STATION, "sign_installed": "true"}, "sign_installed", "boolean"),
    ("/api/v1/stations", {**NEW_STATION, "capacity": True}, "capacity", "integer, not true"),
    ("/api/v1/stations", {**NEW_STATION, "lon": "103.8"}, "lon", "number, not a string"),
])
def test_numbers_and_booleans_must_be_json_numbers_and_booleans(
    client: TestClient, admin: dict[str, str], path: str, body: dict[str, object], field: str, words: str
) -> None:
    refused(client.post(path, json=body, headers=admin), 422, field, words)


def test_strict_booleans_on_updates(client: TestClient, admin: dict[str, str], station: int) -> None:
    listing = client.put(f"/api/v1/stations/{station}/listings/amap", json={"status": "listed", "synced": 1},
                         headers=admin)
    refused(listing, 422, "synced", "boolean")
    me = client.get("/api/v1/auth/me", headers=admin).json()
    refused(client.patch(f"/api/v1/staff/users/{me['id']}", json={"is_active": "yes"}, headers=admin), 422,
            "is_active", "boolean")


# --- control characters in every kind of text ---

@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("POST", "/api/v1/stations", {**NEW_STATION, "name": "驿站\x00"}, "name"),
    ("POST", "/api/v1/stations", {**NEW_STATION, "address": "测试路\x1b[2J"}, "address"),
    ("POST", "/api/v1/stations", {**NEW_STATION, "amenities": ["drinking_water", "micro\x00wave"]}, "amenities.1"),
    ("POST", "/api/v1/stations", {**NEW_STATION, "name": "two\nlines"}, "name"),
    ("POST", "/api/v1/stations", {**NEW_STATION, "status_reason": "修缮\x00"}, "status_reason"),
    ("POST", "/api/v1/stations", {**NEW_STATION, "sign_code": "620102-Y-\x00"}, "sign_code"),
    ("POST", "/api/v1/admin/webhooks", {"url": "https://example.com/\x00"}, "url"),
    ("POST", "/api/v1/admin/webhooks", {"url": "https://example.com/h", "secret": "s" * 16 + "\x00"}, "secret"),
    ("POST", "/api/v1/admin/api-keys", {"name": "key\x00"}, "name"),
    ("POST", "/api/v1/staff/users", {"username": "abc", "password": "a" * 12, "role": "admin",
                                     "display_name": "名字\x00"}, "display_name"),
    ("POST", "/api/v1/staff/users", {"username": "abc", "password": "a" * 12 + "\x00", "role": "admin",
                                     "display_name": "名字"}, "password"),
    ("POST", "/api/v1/stations", {**NEW_STATION, "name": "lone \ud800 surrogate"}, "name"),
])
def test_control_characters_in_a_json_body_are_a_422_naming_the_field(
    client: TestClient, admin: dict[str, str], method: str, path: str, body: dict[str, object], field: str
) -> None:
    content = json.dumps(body)  # ASCII escapes: a lone surrogate travels as \\ud800, as a hostile client sends it
    reply = client.request(method, path, content=content, headers={**admin, "Content-Type": "application/json"})
    refused(reply, 422, f"{field}: must not contain control characters")


def test_control_characters_in_writes_to_a_stored_station(
    client: TestClient, admin: dict[str, str], station: int
) -> None:
    url, if_match = f"/api/v1/stations/{station}", {**admin, "If-Match": '"1"'}
    refused(client.patch(url, json={"reason": "改名\x00"}, headers=if_match), 422, "reason")
    refused(client.put(f"{url}/listings/baidu", json={"status": "listed", "poi_id": "B0\x00"}, headers=admin), 422,
            "poi_id")
    refused(client.request("DELETE", url, json={"reason": "关闭\x00"}, headers=admin), 422, "reason")
    refused(client.post(f"{url}/restore", json={"version": 1, "reason": "\x07"}, headers=admin), 422, "reason")
    ok = client.patch(url, json={"status_reason": "修缮中\n\t下月开放", "reason": "第一行\r\n第二行"}, headers=if_match)
    assert ok.status_code == 200, ok.text  # free text keeps its line breaks and tabs


@pytest.mark.parametrize(("path", "words"), [
    ("/api/v1/reports/R%00000000", "path parameter 'public_id'"),
    ("/s/620102-Y-%0000001", "path parameter 'sign_code'"),
    ("/api/v1/stats/listings?region=62%00", "query parameter 'region'"),
    ("/api/v1/listings/resync?region=%1F", "query parameter 'region'"),
    ("/ogc/collections/stations/items?kind=%00", "query parameter 'kind'"),
    ("/api/v1/stations/1?lang=%C2%85", "query parameter 'lang'"),  # U+0085, a C1 control
])
def test_control_characters_in_the_url_are_a_422_naming_the_parameter(
    client: TestClient, admin: dict[str, str], path: str, words: str
) -> None:
    refused(client.get(path, headers=admin), 422, words, "control characters")


def test_control_characters_in_forms_and_file_names_are_a_422(client: TestClient, admin: dict[str, str]) -> None:
    login = client.post("/api/v1/auth/token", data={"username": "admin\x00", "password": "whatever-long"})
    refused(login, 422, "form field 'username'")
    page = client.post("/staff/login", data={"username": "\x00", "password": "x"})
    refused(page, 422, "form field 'username'")
    body = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="stations\x00.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\nname\n\r\n--b--\r\n")  # a raw NUL: httpx would percent-encode it
    upload = client.post("/api/v1/imports", content=body,
                         headers={**admin, "Content-Type": "multipart/form-data; boundary=b"})
    refused(upload, 422, "the name of file 'file'")


# --- If-Match ---

@pytest.mark.parametrize(("if_match", "status", "words"), [
    ('"\u00b2"', 412, "current version is 1"),  # "²": str.isdigit says yes, int() says no
    ('"' + "9" * 5000 + '"', 412, "current version is 1"),  # past int()'s 4,300 digits
    ('"2147483648"', 412, "current version is 1"),  # beyond integer: never one of our versions
    ('"01"', 412, "current version is 1"),  # another opaque tag than ours
    ('W/"1"', 412, "current version is 1"),  # If-Match compares strongly: a weak tag never matches
    ('"2", W/"1"', 412, "current version is 1"),
    ("1", 400, "double quotes"),
    ('"1', 400, "double quotes"),
    ('"1 2"', 400, "double quotes"),
    ('"1", "2"', 400, "send the one ETag"),
    ("*", 428, "names no version"),
    ("", 428, "send If-Match"),
])
def test_if_match_is_parsed_strictly(
    client: TestClient, admin: dict[str, str], station: int, if_match: str, status: int, words: str
) -> None:
    headers = {**admin, "If-Match": if_match.encode()}  # "²" goes as its UTF-8 bytes, as an attacker sent it
    refused(client.patch(f"/api/v1/stations/{station}", json={"name": "新名"}, headers=headers), status, words)


def test_if_match_that_names_the_current_version_writes(client: TestClient, admin: dict[str, str],
                                                        station: int) -> None:
    reply = client.patch(f"/api/v1/stations/{station}", json={"name": "新名"}, headers={**admin, "If-Match": ' "1" '})
    assert reply.status_code == 200 and reply.headers["ETag"] == '"2"'
    assert client.request("DELETE", f"/api/v1/stations/{station}", json={"reason": "关闭了"},
                          headers={**admin, "If-Match": "*"}).status_code == 204  # *: any current version


def test_if_match_on_a_missing_station_is_a_404_first(client: TestClient, admin: dict[str, str]) -> None:
    reply = client.patch("/api/v1/stations/999999", json={"name": "x"}, headers={**admin, "If-Match": '"²"'.encode()})
    refused(reply, 404, "no station")


def test_a_superscript_digit_as_an_ogc_feature_id_is_a_404(client: TestClient) -> None:
    refused(client.get("/ogc/collections/stations/items/%C2%B2"), 404, "no station")  # found by the fuzzer: 500
