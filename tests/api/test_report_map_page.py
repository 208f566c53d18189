"""The map page over HTTP: our own assets only, a strict CSP, the sign page, the service worker."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.db.test_nearest import insert_station


def test_page_has_no_external_urls_and_a_strict_csp(client: TestClient) -> None:
    reply = client.get("/")
    assert reply.status_code == 200 and '<html lang="zh-CN">' in reply.text
    assert re.findall(r"(?:src|href)=\"(?!/|\?|#)[^\"]*\"", reply.text) == []
    assert "cdn" not in reply.text.lower() and "jquery" not in reply.text.lower()
    csp = reply.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "/static/vendor/leaflet/leaflet.js" in reply.text
    assert client.get("/?lang=en").text.count('lang="en"') == 1


def test_static_assets_and_service_worker_are_served(client: TestClient) -> None:
    for path in ("/static/map.js", "/static/map.css", "/static/manifest.webmanifest", "/sw.js"):
        assert client.get(path).status_code == 200, path
    assert client.get("/sw.js").headers["content-type"].startswith("text/javascript")


def test_sign_page_names_the_station(client: TestClient, session: Session) -> None:
    station = insert_station(session, lon=103.8343, lat=36.0611)
    code = session.get_bind().exec_driver_sql(f"SELECT sign_code FROM stations WHERE id = {station}").scalar_one()
    reply = client.get(f"/s/{code}")
    assert reply.status_code == 200 and f'"id": {station}' in reply.text
    missing = client.get("/s/%3Cscript%3E")
    config = missing.text.split('id="config">')[1].split("</script>")[0]
    assert missing.status_code == 404 and "<" not in config and "\\u003cscript\\u003e" in config
