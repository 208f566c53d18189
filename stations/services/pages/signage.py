"""Unified sign plates: one layout (kind title, name, six-promise icons, hours, QR, sign code) as SVG or PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from stations.db.models import Station
from stations.errors import SetupError
from stations.reference import KIND_LABELS, Kind

WIDTH, HEIGHT = 210.0, 297.0  # mm, one A4 portrait plate per page
RED, WHITE, INK, GREY = "#C8102E", "#FFFFFF", "#1A1A1A", "#666666"
FONT_FAMILY = "'WenQuanYi Zen Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"
FONT_FILES = (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),)
SIX_PROMISES = (  # 六可: the amenity that keeps each promise, the promise, the glyph on its icon
    ("heating", "冷可取暖", "暖"), ("air_conditioning", "热可纳凉", "凉"), ("drinking_water", "渴可饮水", "水"),
    ("seating", "累可歇脚", "座"), ("toilet", "急可如厕", "厕"), ("first_aid", "伤可用药", "药"),
)


@dataclass(frozen=True)
class Box:
    """A filled rectangle (mm)."""

    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Disc:
    """A filled circle (mm)."""

    cx: float
    cy: float
    r: float
    fill: str


@dataclass(frozen=True)
class Label:
    """Text whose baseline starts (or centres, for anchor middle) at x, y; size in mm."""

    x: float
    y: float
    text: str
    size: float
    fill: str = INK
    anchor: str = "middle"


@dataclass(frozen=True)
class Qr:
    """A QR code's dark modules, drawn in a square of `size` mm."""

    x: float
    y: float
    size: float
    matrix: tuple[tuple[bool, ...], ...]


Shape = Box | Disc | Label | Qr


def promises(station: Station) -> list[tuple[str, str]]:
    """The six-promise (promise, glyph) pairs this station keeps, in the standard order."""
    return [(text, glyph) for code, text, glyph in SIX_PROMISES if code in station.amenities]


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code for a URL (error correction M, quiet zone included)."""
    code = segno.make_qr(url, error="m")
    return tuple(tuple(bool(v) for v in row) for row in code.matrix_iter(scale=1, border=2))


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def layout(station: Station, *, url: str) -> list[Shape]:
    """The plate's shapes, in mm from the top-left corner."""
    shapes: list[Shape] = [Box(0, 0, WIDTH, HEIGHT, WHITE), Box(0, 0, WIDTH, 52, RED), Box(0, 287, WIDTH, 10, RED)]
    shapes += [Label(WIDTH / 2, 18, "工会服务阵地 · 统一标识", 7, WHITE),
               Label(WIDTH / 2, 40, KIND_LABELS[Kind(station.kind)].zh, 15, WHITE)]
    name_size = 11 if len(station.name) <= 16 else 8
    shapes.append(Label(WIDTH / 2, 72, _fit(station.name, 24), name_size))
    kept = promises(station)
    step = WIDTH / max(len(kept), 1)
    for i, (text, glyph) in enumerate(kept):
        cx = step * (i + 0.5)
        shapes += [Disc(cx, 100, 12, RED), Label(cx, 104.5, glyph, 12, WHITE), Label(cx, 123, text, 5)]
    shapes += [Label(20, 150, "开放时间", 5.5, GREY, "start"),
               Label(20, 160, _fit(station.hours, 34), 6.5, INK, "start")]
    if station.self_service_hours:
        shapes.append(Label(20, 170, f"自助开放 {_fit(station.self_service_hours, 28)}", 5, INK, "start"))
    shapes += [Qr(120, 185, 72, qr_matrix(url)), Label(156, 265, "扫码查看 · 导航 · 报告问题", 4.2, GREY)]
    shapes += [Label(20, 205, "标识编号", 5.5, GREY, "start"), Label(20, 220, station.sign_code, 10, INK, "start")]
    return shapes + rating_shapes(station)


def rating_shapes(station: Station) -> list[Shape]:
    """The star rating, a small element of its own under the sign code (none when the station is not rated)."""
    if not station.star_rating:
        return []
    stars = "★" * station.star_rating + "☆" * (5 - station.star_rating)
    year = f" · {station.star_rated_on.year} 年评定" if station.star_rated_on else ""
    return [Label(20, 240, stars, 8, RED, "start"), Label(20, 249, f"星级站点{year}", 4.2, GREY, "start")]


def _svg_shape(shape: Shape) -> str:
    if isinstance(shape, Box):
        return f'<rect x="{shape.x}" y="{shape.y}" width="{shape.w}" height="{shape.h}" fill="{shape.fill}"/>'
    if isinstance(shape, Disc):
        return f'<circle cx="{shape.cx}" cy="{shape.cy}" r="{shape.r}" fill="{shape.fill}"/>'
    if isinstance(shape, Label):
        return (f'<text x="{shape.x}" y="{shape.y}" font-size="{shape.size}" fill="{shape.fill}" '
                f'text-anchor="{shape.anchor}">{escape(shape.text)}</text>')
    cell = shape.size / len(shape.matrix)
    path = "".join(
        f"M{shape.x + c * cell:.3f} {shape.y + r * cell:.3f}h{cell:.3f}v{cell:.3f}h-{cell:.3f}z"
        for r, row in enumerate(shape.matrix) for c, dark in enumerate(row) if dark
    )
    return f'<path d="{path}" fill="{INK}"/>'


def render_svg(station: Station, *, url: str) -> str:
    """The plate as a standalone SVG (A4, sizes in mm); text is escaped, never markup."""
    body = "\n".join(_svg_shape(s) for s in layout(station, url=url))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}mm" height="{HEIGHT}mm" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT_FAMILY}">\n'
        f"<title>{escape(station.name)} {escape(station.sign_code)}</title>\n{body}\n</svg>\n"
    )


@lru_cache(maxsize=1)
def _pdf_font() -> str:
    for path in FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont("SignCJK", str(path), subfontIndex=0))
            return "SignCJK"
    raise SetupError("no CJK font for sign PDFs: install the Debian package fonts-wqy-zenhei")


def _pdf_shape(canvas: Canvas, shape: Shape, font: str) -> None:
    mm = 72 / 25.4
    top = HEIGHT * mm
    if isinstance(shape, Box):
        canvas.setFillColor(HexColor(shape.fill))
        canvas.rect(shape.x * mm, top - (shape.y + shape.h) * mm, shape.w * mm, shape.h * mm, stroke=0, fill=1)
    elif isinstance(shape, Disc):
        canvas.setFillColor(HexColor(shape.fill))
        canvas.circle(shape.cx * mm, top - shape.cy * mm, shape.r * mm, stroke=0, fill=1)
    elif isinstance(shape, Label):
        canvas.setFillColor(HexColor(shape.fill))
        canvas.setFont(font, shape.size * mm)
        draw = canvas.drawCentredString if shape.anchor == "middle" else canvas.drawString
        draw(shape.x * mm, top - shape.y * mm, shape.text)
    else:
        cell = shape.size / len(shape.matrix)
        canvas.setFillColor(HexColor(INK))
        for r, row in enumerate(shape.matrix):
            for c, dark in enumerate(row):
                if dark:
                    x, y = shape.x + c * cell, shape.y + (r + 1) * cell
                    canvas.rect(x * mm, top - y * mm, cell * mm, cell * mm, stroke=0, fill=1)


def render_pdf(plates: Sequence[tuple[Station, str]], *, title: str = "工会服务阵地统一标识") -> bytes:
    """One PDF page per (station, QR url), fonts embedded (batch printing for a region)."""
    font = _pdf_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(WIDTH * 72 / 25.4, HEIGHT * 72 / 25.4), pageCompression=1)
    canvas.setTitle(title)
    for station, url in plates:
        for shape in layout(station, url=url):
            _pdf_shape(canvas, shape, font)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
