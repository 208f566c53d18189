"""The origin of every absolute link we print (OGC links, sign QR codes, the feed's next link): configured, never
taken from the request's Host header, which any client can set."""

from __future__ import annotations

from urllib.parse import urlsplit

from stations.errors import NotConfigured
from stations.settings import Settings

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
NO_BASE = ("未设置公开网址（STATIONS_PUBLIC_BASE_URL），不能打印标识牌：二维码会指向这台电脑的地址，工人扫码打不开。"
           "请管理员设置以 https:// 开头的公开网址后再打印。")
NOT_HTTPS = ("公开网址 {url} 不是 https：工人扫码后手机不能定位，微信也会提示网页不安全。"
             "请管理员把 STATIONS_PUBLIC_BASE_URL 设为以 https:// 开头的网址后再打印标识牌。")


def public_base(settings: Settings) -> str:
    """STATIONS_PUBLIC_BASE_URL, else the configured listen address (http://STATIONS_HOST:STATIONS_PORT)."""
    if settings.public_base_url:
        return settings.public_base_url
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}"


def _local(url: str) -> bool:
    return urlsplit(url).hostname in LOCAL_HOSTS


def sign_base(settings: Settings) -> str:
    """The origin a printed QR code may open: STATIONS_PUBLIC_BASE_URL over https, never the listen address (a
    county's signs printed from a laptop would point nowhere). http is allowed only for this machine's own address
    when STATIONS_SIGNS_ALLOW_LOCAL_HTTP is set (tests). Else `NotConfigured`, in words a clerk can pass on."""
    base = settings.public_base_url
    if not base:
        raise NotConfigured(NO_BASE)
    if base.startswith("https://") or (settings.signs_allow_local_http and _local(base)):
        return base
    raise NotConfigured(NOT_HTTPS.format(url=base))


NO_LOCATION = ("手机浏览器只在 https 网页上提供定位：地图若从 {url} 打开，工人只能选择城市查找站点。"
               "请在 https 反向代理后运行，并把 STATIONS_PUBLIC_BASE_URL 设为 https:// 网址。")


def sign_notice(settings: Settings) -> str | None:
    """Why signs cannot be printed now (shown on the staff dashboard), or None when they can."""
    try:
        sign_base(settings)
    except NotConfigured as exc:
        return exc.message
    return None


def startup_notices(settings: Settings) -> list[tuple[str, str]]:
    """(event, words) staff should read in the log when the app starts: signs that cannot be printed, riders who
    cannot be located because the map is not served over https."""
    base = settings.public_base_url
    if base and (base.startswith("https://") or _local(base)):
        return []
    signs = NOT_HTTPS.format(url=base) if base else NO_BASE
    return [("signs_not_printable", signs),
            ("geolocation_unavailable", NO_LOCATION.format(url=base or public_base(settings)))]
