"""The map page's config JSON, written from cached parts, is the text `json.dumps` writes for the whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stations.geo.crs import Crs
from stations.services.pages import map_page

WEB = Path(__file__).resolve().parents[2] / "web"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("crs", list(Crs))
@pytest.mark.parametrize("notice", [None, "没有找到标识牌 <b>&</b> \"A-1\""])
@pytest.mark.parametrize("focus", [None, {"id": 7, "lon": 116.4, "lat": 39.9,
                                          "navigation": {"amap": "https://uri.amap.com/navigation?to=1&x=<y>"}}])
def test_the_config_equals_the_whole_written_at_once(
    lang: str, crs: Crs, notice: str | None, focus: dict[str, Any] | None
) -> None:
    whole = {"lang": lang, "crs": crs.value, "strings": map_page._strings(WEB)[lang],
             "cities": map_page._cities(crs, lang), "notice": notice, "focus": focus}
    assert map_page._config(WEB, crs, lang, notice, focus) == map_page._json_for_script(whole)
