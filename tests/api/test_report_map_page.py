"""The map page over HTTP: our own assets only, a strict CSP, the sign page, the service worker."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from stations.api import security
from stations.services.pages import map_page
from stations.settings import Settings
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


def test_basemap_presets_and_the_gcj02_switch(app_settings: Settings) -> None:
    amap = app_settings.model_copy(update={"map_tiles": "amap"})
    html = map_page.render(settings=amap, lang="zh")
    assert '"crs": "gcj02"' in html and "autonavi.com" in html
    assert "img-src 'self' data: https: https://*.is.autonavi.com" in security.map_policy(html=html, settings=amap)
    assert '"crs": "wgs84"' in map_page.render(settings=app_settings, lang="zh")
    with pytest.raises(ValidationError, match="STATIONS_TIANDITU_KEY"):
        Settings(map_tiles="tianditu")
    tianditu = Settings(map_tiles="tianditu", tianditu_key="k123")
    assert map_page.basemap(tianditu).url.endswith("tk=k123")  # type: ignore[union-attr]
